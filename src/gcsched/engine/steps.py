"""Executing one apply step against the org, and reading one back."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gcsched.domain import canonical_body, owned
from gcsched.domain.past import from_instant
from gcsched.engine.ports import Json, Org
from gcsched.genesys import CAMPAIGN_READ_ONLY_KEYS, Action
from gcsched.journal import Step

__all__ = [
    "Landed",
    "campaign_value",
    "current_of",
    "execute",
    "needs_pre_read",
    "read_back",
    "stale_reason",
    "step_differs",
]

_MAX_CALLS = "maxCallsPerAgent"
_MAX_CALLS_DECIMAL = "maxCallsPerAgentDecimal"


@dataclass(frozen=True, slots=True)
class Landed:
    """What the org holds for a step's target after the call."""

    landed: bool
    version: int | None
    body: Json | None


def _version(body: Mapping[str, Any] | None) -> int | None:
    value = body.get("version") if body else None
    return value if isinstance(value, int) else None


def campaign_value(campaign: Mapping[str, Any] | None, field: str) -> Any:
    """A campaign's value of `field` as gcsched means it.

    ``maxCallsPerAgent`` is the decimal ``maxCallsPerAgentDecimal`` when the
    campaign has one (the whole field is that value rounded down), as the
    official provider reads it (fidelity-audit.md #5).
    """
    if campaign is None:
        return None
    if field == _MAX_CALLS:
        exact = campaign.get(_MAX_CALLS_DECIMAL)
        if isinstance(exact, int | float) and not isinstance(exact, bool):
            return int(exact) if float(exact).is_integer() else exact
    return campaign.get(field)


def step_differs(step: Step, current: Mapping[str, Any] | None) -> bool:
    """True when a pacing step's campaign no longer has the values the plan saw."""
    before = step.change.before or {}
    return any(campaign_value(current, k) != v for k, v in before.items())


def needs_pre_read(step: Step) -> bool:
    """Whether the target is read right before the step is sent.

    Pacing steps and deletes: a DELETE carries no version, so only a fresh read
    can tell that a colleague changed (or took over) the schedule since the plan.
    """
    return not step.change.is_schedule or step.change.action == Action.DELETE


def stale_reason(step: Step, current: Mapping[str, Any] | None) -> str | None:
    """Why the target as read now must not be written (a conflict), or None.

    A delete conflicts when the schedule's version is no longer the one the
    plan saw, when it was recreated since (another `dateCreated`), or when it
    lost gcsched's name marker the plan saw on it (an org that drops schedule
    names shows no marker at all: ownership then came from the state store's
    record, and the version decides); one already gone is no conflict (the
    DELETE's 404 is fine). A pacing step conflicts when
    the campaign no longer has the values the plan saw. Versioned PUTs need no
    such check: the API refuses a stale version.
    """
    change = step.change
    if change.is_schedule:
        if change.action != Action.DELETE or current is None:
            return None
        before = change.before or {}
        if before.get("name") is not None and not owned(current):
            return "no longer owned by gcsched"
        created = before.get("dateCreated")
        if created is not None and current.get("dateCreated") not in (None, created):
            return "recreated since plan"
        if change.version_seen is not None and _version(current) != change.version_seen:
            return "changed since plan"
        return None
    return "changed since plan" if step_differs(step, current) else None


def _max_calls(body: dict[str, Any], intended: Any) -> None:
    """Set both max-calls fields of a campaign PUT body to `intended`.

    The client PUTs with ``useMaxCallsPerAgentDecimal=true``, so the decimal is
    the value; the whole field gets it rounded down (an int, as the model has it).
    """
    if not isinstance(intended, int | float) or isinstance(intended, bool):
        body.pop(_MAX_CALLS_DECIMAL, None)
        return
    body[_MAX_CALLS] = math.floor(intended)
    body[_MAX_CALLS_DECIMAL] = float(intended)


async def _pacing(org: Org, step: Step, fresh: Json | None) -> Landed:
    """Voice and messaging: one versioned PUT of the campaign as read, changed.

    Never an unversioned PATCH: a colleague's write between the read and the
    PUT is a 409 (a conflict), not a lost update. `fresh` is the campaign as
    just read (the runner's pre-check); read now if None.
    """
    change = step.change
    after = dict(change.after or {})
    if change.target_kind == "campaign":
        fresh = fresh or await org.get_campaign(change.target_id)
        body = {k: v for k, v in fresh.items() if k not in CAMPAIGN_READ_ONLY_KEYS}
        body.update(after)
        _max_calls(body, after.get(_MAX_CALLS, campaign_value(fresh, _MAX_CALLS)))
        body["version"] = fresh.get("version")
        result = await org.put_campaign(change.target_id, body, fields=tuple(after))
        return Landed(True, _version(result), result)
    fresh = fresh or await org.get_messaging_campaign(change.target_id)
    body = {k: v for k, v in fresh.items() if k not in CAMPAIGN_READ_ONLY_KEYS}
    body.update(after)
    seen = change.version_seen
    body["version"] = seen if seen is not None else fresh.get("version")
    result = await org.put_messaging_campaign(
        change.target_id, body, fields=tuple(after)
    )
    return Landed(True, _version(result), result)


async def current_of(org: Org, step: Step) -> Json | None:
    """The target as the org holds it now (a schedule, or the campaign for pacing)."""
    change = step.change
    if change.family is not None:
        return await org.get_schedule(change.family, change.target_id)
    if change.target_kind == "campaign":
        return await org.get_campaign(change.target_id)
    return await org.get_messaging_campaign(change.target_id)


async def execute(
    org: Org,
    step: Step,
    *,
    fresh: Json | None = None,
    not_before: datetime | None = None,
) -> Landed:
    """Send one step: a versioned PUT, a DELETE, or a pacing change.

    `fresh` is a pacing step's campaign as the caller just read it (saves a GET).
    `not_before` (an org that refuses starts in the past): a schedule body is
    rendered again as it can be sent then (`gcsched.domain.past.from_instant`),
    on the day the apply runs, not the day it was planned.
    Raises whatever the org raises (VersionConflictError on a stale version).
    """
    change = step.change
    if change.family is None:
        return await _pacing(org, step, fresh)
    if change.action == Action.DELETE:
        await org.delete_schedule(change.family, change.target_id)
        return Landed(True, None, None)
    body = dict(change.after or {})
    if not_before is not None:
        body = from_instant(body, not_before)
    if change.version_seen is not None:
        body["version"] = change.version_seen
    else:
        body.pop("version", None)
    result = await org.put_schedule(change.family, change.target_id, body)
    return Landed(True, _version(result), result)


async def read_back(
    org: Org, step: Step, *, not_before: datetime | None = None
) -> Landed:
    """Did a sent (then interrupted) step land? A GET decides, never a replay.

    `not_before` (an org that refuses starts in the past): what is read and
    what was planned are both compared as they would be sent then, since the
    body was rendered again when it was sent.
    """
    current = await current_of(org, step)
    change = step.change
    if change.is_schedule:
        if change.action == Action.DELETE:
            return Landed(current is None, None, None)
        if current is None or change.after is None:
            return Landed(False, None, current)
        sent, held = change.after, current
        if not_before is not None:
            sent = from_instant(sent, not_before)
            held = from_instant(held, not_before)
        same = canonical_body(held) == canonical_body(sent)
        seen = change.version_seen
        moved = seen is None or (_version(current) or 0) > seen
        return Landed(same and moved, _version(current), current)
    after = change.after or {}
    landed = current is not None and all(
        campaign_value(current, k) == v for k, v in after.items()
    )
    return Landed(landed, _version(current), current)
