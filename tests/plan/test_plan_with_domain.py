"""diff() and describe() with the domain's own canonical_body, owned and bodies."""

from __future__ import annotations

import copy
from datetime import date, datetime, time
from typing import Any

from gcsched.domain import render_body
from gcsched.domain.model import DayRange, Schedule, Target, TimedRange, Weekday, Window
from gcsched.genesys import Action, Family
from gcsched.plan import Change, Desired, Existing, diff

TODAY = date(2026, 11, 1)


def rendered(
    days: range = range(1, 6), zone: str = "America/Chicago"
) -> dict[str, Any]:
    """The body gcsched would PUT for Q4 Renewals (reference field added)."""
    schedule = Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone=zone,
        windows=(
            Window(
                start=time(9), end=time(17), days=frozenset(Weekday(d) for d in days)
            ),
        ),
        intervals=(TimedRange(datetime(2026, 12, 27, 10), datetime(2026, 12, 27, 14)),),
        from_=date(2026, 12, 1),
        until=date(2026, 12, 31),
        except_=(DayRange(date(2026, 12, 25), date(2026, 12, 25)),),
    )
    body = render_body(schedule, today=TODAY)
    body["campaign"] = {"id": "c1"}
    return body


def as_read_from_org(body: dict[str, Any], version: int = 5) -> dict[str, Any]:
    """What GET returns: read-only fields, ids, no milliseconds, a full reference."""
    read = copy.deepcopy(body)
    read.update(
        id="c1",
        version=version,
        dateCreated="2026-10-01T00:00:00.000Z",
        dateModified="2026-10-02T00:00:00.000Z",
        selfUri="/api/v2/outbound/schedules/campaigns/c1",
        campaign={"id": "c1", "name": "Q4 Renewals", "selfUri": "/x"},
    )
    for interval in read["intervals"]:
        interval["start"] = interval["start"].removesuffix(".000")
        interval["end"] = interval["end"].removesuffix(".000")
    for index, recurrence in enumerate(read["recurrences"]):
        recurrence["id"] = f"rec-{index}"
        recurrence["timeZone"] = read["timeZone"]
        recurrence["nextOccurrenceDetails"] = {"startOccurrenceDetails": {}}
        recurrence["pattern"]["daysOfWeek"].reverse()
    return read


def test_a_read_back_of_what_gcsched_wrote_is_unchanged() -> None:
    """Re-planning right after an apply gives zero changes with the real domain."""
    desired = rendered()
    result = diff(
        [Desired("campaigns", "c1", "Q4 Renewals", desired)],
        [Existing("campaigns", "c1", "Q4 Renewals", as_read_from_org(desired))],
        manage="owned",
    )
    assert (result.changes, result.unchanged) == ((), 1)


def test_update_describes_only_the_real_difference() -> None:
    """Formatting noise of the read-back never shows up as a field difference."""
    existing = as_read_from_org(rendered())
    result = diff(
        [Desired("campaigns", "c1", "Q4 Renewals", rendered(days=range(1, 7)))],
        [Existing("campaigns", "c1", "Q4 Renewals", existing)],
        manage="owned",
    )
    (update,) = result.changes
    assert update.version_seen == 5
    assert update.describe() == [
        "Monday–Friday window: days Monday–Friday → Monday–Saturday"
    ]


def test_domain_ownership_marker() -> None:
    """The domain's owned() decides: a foreign name is not managed, a marked one is."""
    foreign = as_read_from_org(rendered())
    foreign["name"] = "Manual survey schedule"
    owned_other = as_read_from_org(rendered())
    result = diff(
        [Desired("campaigns", "c1", "Lapsed Survey", rendered(zone="UTC"))],
        [
            Existing("campaigns", "c1", "Lapsed Survey", foreign),
            Existing(
                "campaigns", "c2", "Gone", {**owned_other, "campaign": {"id": "c2"}}
            ),
        ],
        manage="owned",
    )
    assert [c.action for c in result.changes] == ["delete"]
    assert result.not_managed[0].startswith(
        "Lapsed Survey: existing schedule 'Manual survey schedule' is not managed"
    )


def test_describe_survives_a_body_the_domain_cannot_read() -> None:
    """A malformed body is described as it is instead of raising."""
    odd = Change(
        action=Action.UPDATE,
        family=Family.CAMPAIGNS,
        target_kind="campaign",
        target_id="c1",
        target_name="Q4",
        version_seen=1,
        before={"name": "gcsched: a", "recurrences": ["junk"]},
        after={"name": "gcsched: b", "recurrences": ["junk"]},
    )
    assert odd.describe() == ["name: gcsched: a → gcsched: b"]
