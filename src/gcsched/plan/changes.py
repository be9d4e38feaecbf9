"""One change a plan would make, and how it reads to a human.

A `Change` is a plain value: what to do (`action`), to which schedule family or
campaign kind, the version seen at plan time, and the Genesys bodies before and
after. Changes sort deletes first (so freed windows are free before creates
land), then creates, updates and pacing, as octoDNS orders Delete < Create <
Update.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gcsched.domain import canonical_body
from gcsched.plan.describe import describe_body, describe_update

__all__ = ["ACTION_ORDER", "SCHEDULE_KINDS", "Action", "Change"]

Action = Literal["delete", "create", "update", "pacing"]

ACTION_ORDER: Mapping[str, int] = {"delete": 0, "create": 1, "update": 2, "pacing": 3}
"""Sort rank of each action: deletes first, pacing last."""

SCHEDULE_KINDS: frozenset[str] = frozenset(
    {
        "campaigns",
        "sequences",
        "emailcampaigns",
        "messagingcampaigns",
        "whatsappcampaigns",
    }
)
"""The schedule families (the path segment of `/api/v2/outbound/schedules/...`)."""


def _plain(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A deep, mutable copy of a body, safe to hand to JSON or a caller."""
    if value is None:
        return None
    return copy.deepcopy(dict(value))


@dataclass(frozen=True, slots=True)
class Change:
    """One thing `apply` will do.

    Attributes:
        action: ``delete``, ``create``, ``update`` or ``pacing``.
        kind: the schedule family (``campaigns``, ``sequences``, ``emailcampaigns``,
            ``messagingcampaigns``, ``whatsappcampaigns``) or, for pacing, the
            campaign kind (``campaign`` or ``messagingcampaign``).
        target_id: id of the campaign, sequence or messaging campaign.
        target_name: its name, for people.
        version_seen: the schedule (or messaging campaign) version read at plan
            time; None for a create and for voice pacing (PATCH has no version).
        before: the body as it is now (None for a create); for pacing, just the
            fields that change.
        after: the body gcsched will send (None for a delete); for pacing, just
            the fields that change.
    """

    action: Action
    kind: str
    target_id: str
    target_name: str
    version_seen: int | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        """Deterministic order: action rank, then kind, target name and id."""
        return (ACTION_ORDER[self.action], self.kind, self.target_name, self.target_id)

    def data(self) -> dict[str, Any]:
        """The change as a JSON-able dict (one entry of `plan --json` `changes`).

        Returns:
            ``{action, kind, target_id, target_name, version_seen, before, after}``
            with deep copies of the bodies.
        """
        return {
            "action": self.action,
            "kind": self.kind,
            "target_id": self.target_id,
            "target_name": self.target_name,
            "version_seen": self.version_seen,
            "before": _plain(self.before),
            "after": _plain(self.after),
        }

    def describe(self) -> list[str]:
        """Human lines saying what changes, field by field.

        Updates and pacing list each differing field as ``path: old → new``
        (schedule updates compare the domain's canonical forms, as `diff` does)
        (e.g. ``recurrences[0].pattern.daysOfWeek: Monday–Friday →
        Monday–Saturday``); creates and deletes summarise the schedule (name,
        zone, windows, range, alterations, intervals).

        Returns:
            One string per line, without indentation or markers.
        """
        if self.action == "create":
            return describe_body(self.after or {})
        if self.action == "delete":
            return describe_body(self.before or {})
        before, after = self.before or {}, self.after or {}
        if self.kind in SCHEDULE_KINDS:
            # Compare what diff() compared, so formatting noise (".000", a
            # recurrence zone equal to the schedule's) never shows as a change.
            before, after = _comparable(before), _comparable(after)
        return describe_update(before, after)


def _comparable(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The domain's canonical form of a body, or the body if it is malformed."""
    try:
        return canonical_body(body)
    except (TypeError, ValueError, AttributeError, KeyError):
        return body
