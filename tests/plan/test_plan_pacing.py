"""diff(): pacing changes only for fields whose desired value differs."""

from __future__ import annotations

import pytest
from plan_factories import canonical, is_owned

from gcsched.errors import InputError
from gcsched.plan import Change, PacingDesired, diff


def pacing_changes(*items: PacingDesired) -> tuple[Change, ...]:
    result = diff(
        [], [], manage="owned", pacing=items, canonical=canonical, is_owned=is_owned
    )
    return result.changes


def test_only_differing_fields_are_in_before_and_after() -> None:
    """A pacing change holds just the fields that change, old and new."""
    (change,) = pacing_changes(
        PacingDesired(
            "campaign",
            "c1",
            "Q4 Renewals",
            current={"maxCallsPerAgent": 2, "abandonRate": 3.0, "outboundLineCount": 9},
            desired={"maxCallsPerAgent": 3, "abandonRate": 3.0},
        )
    )
    assert change.action == "pacing"
    assert (change.stored_kind, change.family, change.target_kind) == (
        "campaign",
        None,
        "campaign",
    )
    assert change.before == {"maxCallsPerAgent": 2}
    assert change.after == {"maxCallsPerAgent": 3}
    assert change.version_seen is None
    assert change.describe() == ["maxCallsPerAgent: 2 → 3"]


def test_equal_pacing_makes_no_change() -> None:
    """Equal values (3 and 3.0 too) and None wishes give no change."""
    assert (
        pacing_changes(
            PacingDesired(
                "campaign",
                "c1",
                "Q4",
                current={"maxCallsPerAgent": 3, "abandonRate": 2},
                desired={"maxCallsPerAgent": 3.0, "abandonRate": None},
            )
        )
        == ()
    )


def test_field_missing_from_current_is_a_change() -> None:
    """A field the campaign does not report yet counts as different."""
    (change,) = pacing_changes(
        PacingDesired("campaign", "c1", "Q4", current={}, desired={"priority": 4})
    )
    assert change.before == {"priority": None}
    assert change.describe() == ["priority: (none) → 4"]


def test_messaging_pacing_carries_the_campaign_version() -> None:
    """Messaging pacing goes by PUT with version: version_seen is the campaign's."""
    (change,) = pacing_changes(
        PacingDesired(
            "messaging_campaign",
            "m1",
            "SMS blast",
            current={"messagesPerMinute": 100},
            desired={"messagesPerMinute": 150},
            version=12,
        )
    )
    assert change.version_seen == 12
    assert change.data()["after"] == {"messagesPerMinute": 150}


def test_several_fields_sorted() -> None:
    """Several differing fields come out in name order."""
    (change,) = pacing_changes(
        PacingDesired(
            "campaign",
            "c1",
            "Q4",
            current={"outboundLineCount": 1, "abandonRate": 5},
            desired={"outboundLineCount": 2, "abandonRate": 4},
        )
    )
    assert list(change.after or {}) == ["abandonRate", "outboundLineCount"]
    assert change.describe() == ["abandonRate: 5 → 4", "outboundLineCount: 1 → 2"]


def test_pacing_twice_for_one_campaign_is_refused() -> None:
    """Two pacing entries for one campaign are an input error."""
    item = PacingDesired("campaign", "c1", "Q4", {}, {"priority": 1})
    with pytest.raises(InputError, match="more than once"):
        pacing_changes(item, item)
