"""One change a plan would make, and how it reads to a human.

A `Change` is a plain value (a `gcsched.genesys.ChangeSpec`): what to do
(`action`), to which schedule family or campaign, the version seen at plan time,
and the Genesys bodies before and after. Changes sort deletes first (so freed
windows are free before creates land), then creates, updates and pacing, as
octoDNS orders Delete < Create < Update.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gcsched.domain import canonical_body
from gcsched.genesys import (
    NESTED_READ_ONLY_KEYS,
    SCHEDULE_READ_ONLY_KEYS,
    Action,
    ChangeSpec,
)
from gcsched.plan.describe import describe_body, describe_difference, describe_update

__all__ = ["ACTION_ORDER", "Action", "Change", "canonical_json", "hashed_body"]

ACTION_ORDER: Mapping[str, int] = {
    Action.DELETE: 0,
    Action.CREATE: 1,
    Action.UPDATE: 2,
    Action.PACING: 3,
}
"""Sort rank of each action: deletes first, pacing last."""


def _strip_nested(value: Any) -> Any:
    """A copy without nested read-only keys."""
    if isinstance(value, Mapping):
        return {
            str(key): _strip_nested(item)
            for key, item in value.items()
            if key not in NESTED_READ_ONLY_KEYS
        }
    if isinstance(value, list | tuple):
        return [_strip_nested(item) for item in value]
    return value


def hashed_body(after: Mapping[str, Any] | None) -> Any:
    """The part of a change's `after` the checksum covers.

    Args:
        after: the body (or pacing fields) to send, or None for a delete.

    Returns:
        A JSON-able copy without read-only fields, or None.
    """
    if after is None:
        return None
    return _strip_nested(
        {
            key: value
            for key, value in after.items()
            if key not in SCHEDULE_READ_ONLY_KEYS
        }
    )


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON: sorted keys, compact, UTF-8 kept (the checksum's)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A deep, mutable copy of a body, safe to hand to JSON or a caller."""
    if value is None:
        return None
    return copy.deepcopy(dict(value))


@dataclass(frozen=True, slots=True)
class Change(ChangeSpec):
    """One thing `apply` will do: a `ChangeSpec` that sorts, serialises and reads.

    See `gcsched.genesys.ChangeSpec` for the attributes. `stored_kind` (the
    family, or ``campaign`` / ``messagingcampaign`` for pacing) is what
    ``plan --json`` calls `kind` and what the checksum covers.

    Attributes:
        basis: the change's day-independent form (`gcsched.plan.basis`) when
            its body depends on the day it is sent (an org that refuses starts
            in the past); None otherwise. Never stored in the journal.
    """

    basis: Mapping[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, spec: ChangeSpec) -> Change:
        """`spec` as a `Change` (a journal step holds a plain `ChangeSpec`)."""
        if isinstance(spec, Change):
            return spec
        return cls(
            action=spec.action,
            family=spec.family,
            target_kind=spec.target_kind,
            target_id=spec.target_id,
            target_name=spec.target_name,
            version_seen=spec.version_seen,
            before=spec.before,
            after=spec.after,
        )

    def key(self) -> list[Any]:
        """What the checksum covers of this change, JSON-able.

        ``[action, kind, target_id, version_seen, after]`` with read-only fields
        stripped from `after` (`step_key`); with a `basis`, that form stands in
        for `after` (``{"basis": ...}``), so that the checksum is the same on
        any day. `Plan.checksum()` hashes these.
        """
        if self.basis is None:
            return self.step_key()
        return [
            str(self.action),
            self.stored_kind,
            self.target_id,
            self.version_seen,
            {"basis": self.basis},
        ]

    def step_key(self) -> list[Any]:
        """``[action, kind, target_id, version_seen, after]``, `after` stripped of
        read-only fields: what a journal step holds, so a resumed run covers a
        change when one of its steps has the same step key."""
        return [
            str(self.action),
            self.stored_kind,
            self.target_id,
            self.version_seen,
            hashed_body(self.after),
        ]

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Deterministic order: action rank, then kind, target name and id."""
        return (
            ACTION_ORDER[self.action],
            self.stored_kind,
            self.target_name,
            self.target_id,
        )

    def data(self) -> dict[str, Any]:
        """The change as a JSON-able dict (one entry of `plan --json` `changes`).

        Returns:
            ``{action, kind, target_id, target_name, version_seen, before, after}``
            with deep copies of the bodies.
        """
        return {
            "action": str(self.action),
            "kind": self.stored_kind,
            "target_id": self.target_id,
            "target_name": self.target_name,
            "version_seen": self.version_seen,
            "before": _plain(self.before),
            "after": _plain(self.after),
        }

    def describe(self) -> list[str]:
        """Human lines saying what changes, field by field.

        Schedule updates compare the domain's canonical forms, as `diff` does,
        and name windows in the file's terms (``Saturday window: ends 14:00 →
        16:00``, see `describe_difference`); pacing lists each differing field
        as ``path: old → new``; creates and deletes summarise the schedule
        (name, zone, windows, range, alterations, intervals).

        Returns:
            One string per line, without indentation or markers.
        """
        if self.action == "create":
            return describe_body(self.after or {})
        if self.action == "delete":
            return describe_body(self.before or {})
        before, after = self.before or {}, self.after or {}
        if self.is_schedule:
            # Compare what diff() compared, so formatting noise (".000", a
            # recurrence zone equal to the schedule's) never shows as a change.
            before, after = _comparable(before), _comparable(after)
            return describe_difference(before, after)
        return describe_update(before, after)


def _comparable(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The domain's canonical form of a body, or the body if it is malformed."""
    try:
        return canonical_body(body)
    except (TypeError, ValueError, AttributeError, KeyError):
        return body
