"""Executing one apply step against the org, and reading one back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gcsched.domain import canonical_body
from gcsched.engine.ports import Json, Org
from gcsched.genesys import CAMPAIGN_READ_ONLY_KEYS, Action
from gcsched.journal import Step

__all__ = ["Landed", "current_of", "execute", "read_back", "step_differs"]


@dataclass(frozen=True, slots=True)
class Landed:
    """What the org holds for a step's target after the call."""

    landed: bool
    version: int | None
    body: Json | None


def _version(body: Mapping[str, Any] | None) -> int | None:
    value = body.get("version") if body else None
    return value if isinstance(value, int) else None


def step_differs(step: Step, current: Mapping[str, Any] | None) -> bool:
    """True when a pacing step's campaign no longer has the values the plan saw.

    (Schedule steps need no such check: their versioned PUT is refused instead.)
    """
    before = step.change.before or {}
    return any((current or {}).get(k) != v for k, v in before.items())


async def _pacing(org: Org, step: Step, fresh: Json | None) -> Landed:
    """Voice: PATCH the pacing fields; messaging: PUT with version.

    A voice step that also maps `priority` (not patchable) is one versioned PUT
    carrying every field: a PATCH first would move the version under the PUT.
    `fresh` is the campaign as just read (the runner's pre-check); read now if None.
    """
    change = step.change
    after = dict(change.after or {})
    if change.target_kind == "campaign":
        if "priority" not in after:
            await org.patch_campaign(change.target_id, after)
            return Landed(True, None, None)
        fresh = fresh or await org.get_campaign(change.target_id)
        body = {k: v for k, v in fresh.items() if k not in CAMPAIGN_READ_ONLY_KEYS}
        body.update(after)
        body["version"] = fresh.get("version")
        result = await org.put_campaign(change.target_id, body)
        return Landed(True, _version(result), result)
    fresh = fresh or await org.get_messaging_campaign(change.target_id)
    body = {k: v for k, v in fresh.items() if k not in CAMPAIGN_READ_ONLY_KEYS}
    body.update(after)
    seen = change.version_seen
    body["version"] = seen if seen is not None else fresh.get("version")
    result = await org.put_messaging_campaign(change.target_id, body)
    return Landed(True, _version(result), result)


async def current_of(org: Org, step: Step) -> Json | None:
    """The target as the org holds it now (a schedule, or the campaign for pacing)."""
    change = step.change
    if change.family is not None:
        return await org.get_schedule(change.family, change.target_id)
    if change.target_kind == "campaign":
        return await org.get_campaign(change.target_id)
    return await org.get_messaging_campaign(change.target_id)


async def execute(org: Org, step: Step, *, fresh: Json | None = None) -> Landed:
    """Send one step: a versioned PUT, a DELETE, or a pacing change.

    `fresh` is a pacing step's campaign as the caller just read it (saves a GET).
    Raises whatever the org raises (VersionConflictError on a stale version).
    """
    change = step.change
    if change.family is None:
        return await _pacing(org, step, fresh)
    if change.action == Action.DELETE:
        await org.delete_schedule(change.family, change.target_id)
        return Landed(True, None, None)
    body = dict(change.after or {})
    if change.version_seen is not None:
        body["version"] = change.version_seen
    else:
        body.pop("version", None)
    result = await org.put_schedule(change.family, change.target_id, body)
    return Landed(True, _version(result), result)


async def read_back(org: Org, step: Step) -> Landed:
    """Did a sent (then interrupted) step land? A GET decides, never a replay."""
    current = await current_of(org, step)
    change = step.change
    if change.is_schedule:
        if change.action == Action.DELETE:
            return Landed(current is None, None, None)
        if current is None or change.after is None:
            return Landed(False, None, current)
        same = canonical_body(current) == canonical_body(change.after)
        seen = change.version_seen
        moved = seen is None or (_version(current) or 0) > seen
        return Landed(same and moved, _version(current), current)
    after = change.after or {}
    landed = current is not None and all(current.get(k) == v for k, v in after.items())
    return Landed(landed, _version(current), current)
