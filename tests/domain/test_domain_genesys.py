"""Genesys bodies: render, parse, canonical form, ownership."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from domain_factories import WEEKDAYS, schedule, window

from gcsched.domain import canonical_body, expand, owned, parse_body, render_body
from gcsched.domain.model import DayRange, Schedule, Target, TimedRange, Weekday
from gcsched.errors import InputError

TARGET = Target("campaign", "Q4 Renewals")


def _design_example() -> Schedule:
    return schedule(
        zone="America/Chicago",
        windows=(window(days=WEEKDAYS | {Weekday.SATURDAY}),),
        from_=date(2026, 12, 1),
        until=date(2026, 12, 31),
        except_=(
            DayRange(date(2026, 12, 25), date(2026, 12, 25)),
            DayRange(date(2026, 12, 31), date(2027, 1, 1), "New Year"),
            TimedRange(datetime(2026, 12, 24, 18), datetime(2026, 12, 26, 8)),
        ),
        include=(DayRange(date(2026, 12, 26), date(2026, 12, 26)),),
        intervals=(TimedRange(datetime(2026, 12, 27, 10), datetime(2026, 12, 27, 14)),),
        name="Q4 weekday calling",
    )


def test_render_design_example() -> None:
    """The design.md example renders to the documented Genesys body."""
    body = render_body(_design_example(), today=date(2026, 1, 1))
    assert body == {
        "name": "gcsched: Q4 weekday calling",
        "timeZone": "America/Chicago",
        "intervals": [
            {"start": "2026-12-27T10:00:00.000", "end": "2026-12-27T14:00:00.000"}
        ],
        "recurrences": [
            {
                "start": "2026-12-01T09:00:00",
                "end": "2026-12-01T17:00:00",
                "pattern": {
                    "type": "Weekly",
                    "interval": 1,
                    "daysOfWeek": [
                        "Monday",
                        "Tuesday",
                        "Wednesday",
                        "Thursday",
                        "Friday",
                        "Saturday",
                    ],
                },
                "range": {"type": "EndDate", "end": "2026-12-31T23:59:59"},
                "alterations": [
                    {
                        "type": "Exclusion",
                        "start": "2026-12-25T00:00:00",
                        "end": "2026-12-26T00:00:00",
                    },
                    {
                        "type": "Exclusion",
                        "start": "2026-12-31T00:00:00",
                        "end": "2027-01-02T00:00:00",
                    },
                    {
                        "type": "Exclusion",
                        "start": "2026-12-24T18:00:00",
                        "end": "2026-12-26T08:00:00",
                    },
                    {
                        "type": "Inclusion",
                        "start": "2026-12-26T00:00:00",
                        "end": "2026-12-27T00:00:00",
                    },
                ],
            }
        ],
    }
    assert list(body) == ["name", "timeZone", "intervals", "recurrences"]


def test_render_first_occurrence_daily_overnight_numbered_and_zone_override() -> None:
    """Overnight daily window in another zone, counted: start on from, end next day."""
    s = schedule(
        zone="UTC",
        windows=(window("22:00", "02:00", None, every=2, time_zone="Asia/Kolkata"),),
        from_=date(2026, 3, 3),
        until=None,
        count=4,
    )
    (rec,) = render_body(s, today=date(2026, 1, 1))["recurrences"]
    assert rec == {
        "start": "2026-03-03T22:00:00",
        "end": "2026-03-04T02:00:00",
        "timeZone": "Asia/Kolkata",
        "pattern": {"type": "Daily", "interval": 2},
        "range": {"type": "Numbered", "numberOfOccurrences": 4},
    }


def test_render_without_from_uses_anchor_or_today() -> None:
    """No from: the first matching day on/after anchors[i], else today; NoEnd range."""
    s = schedule(from_=None, until=None)
    rec = render_body(s, today=date(2026, 1, 3))["recurrences"][0]
    assert rec["start"] == "2026-01-05T09:00:00"
    assert rec["range"] == {"type": "NoEnd"}
    rec = render_body(s, today=date(2026, 1, 3), anchors={0: date(2025, 6, 2)})[
        "recurrences"
    ][0]
    assert rec["start"] == "2025-06-02T09:00:00"


def test_render_intervals_mode_lists_every_occurrence_in_schedule_zone() -> None:
    """render: intervals sends each occurrence as a local interval, no recurrences."""
    s = schedule(
        zone="Europe/London",
        from_=date(2026, 1, 5),
        until=date(2026, 1, 6),
        render="intervals",
    )
    body = render_body(s, today=date(2026, 1, 1))
    assert body["recurrences"] == []
    assert body["intervals"] == [
        {"start": "2026-01-05T09:00:00.000", "end": "2026-01-05T17:00:00.000"},
        {"start": "2026-01-06T09:00:00.000", "end": "2026-01-06T17:00:00.000"},
    ]


def test_render_intervals_override_converts_utc_to_local() -> None:
    """A trimmed loser's UTC ranges become local wall-time intervals."""
    s = schedule(zone="America/New_York")
    spans = [
        (datetime(2026, 7, 1, 14, tzinfo=UTC), datetime(2026, 7, 1, 16, tzinfo=UTC))
    ]
    body = render_body(s, today=date(2026, 1, 1), intervals_override=spans)
    assert body["intervals"] == [
        {"start": "2026-07-01T10:00:00.000", "end": "2026-07-01T12:00:00.000"}
    ]
    assert body["recurrences"] == []


def test_owned_checks_the_name_prefix() -> None:
    """Only names starting with gcsched: are owned."""
    assert owned({"name": "gcsched: x"})
    assert not owned({"name": "x gcsched:"})
    assert not owned({})


def test_parse_ignores_read_only_fields_and_accepts_z_and_millis() -> None:
    """Z-suffixed and .SSS strings parse; id/version/nextOccurrenceDetails ignored."""
    body = {
        "id": "abc",
        "version": 3,
        "name": "Weekend push",
        "selfUri": "/x",
        "campaign": {"id": "c1"},
        "intervals": [
            {"start": "2026-05-01T10:00:00.000Z", "end": "2026-05-01T12:00Z"}
        ],
        "recurrences": [
            {
                "id": "r1",
                "start": "2026-05-02T08:00:00",
                "end": "2026-05-03T00:00:00",
                "pattern": {
                    "type": "Weekly",
                    "interval": 1,
                    "daysOfWeek": ["saturday"],
                },
                "range": {"type": "NoEnd"},
                "nextOccurrenceDetails": {},
            }
        ],
    }
    s = parse_body(body, target=TARGET)
    assert s.time_zone == "UTC"
    assert s.name == "Weekend push"
    assert s.intervals == (
        TimedRange(datetime(2026, 5, 1, 10), datetime(2026, 5, 1, 12)),
    )
    (w,) = s.windows
    assert w.days == frozenset({Weekday.SATURDAY})
    assert w.end_of_day
    assert s.from_ == date(2026, 5, 2)
    assert s.until is None


def test_parse_strips_owner_prefix_and_default_name() -> None:
    """gcsched: prefix is stripped; the target ref as name means no name."""
    assert parse_body({"name": "gcsched: Mine"}, target=TARGET).name == "Mine"
    assert parse_body({"name": "gcsched: Q4 Renewals"}, target=TARGET).name is None


def test_parse_keeps_per_window_values_that_differ() -> None:
    """Values not shared by every recurrence stay on the windows."""
    s = schedule(
        zone="UTC",
        windows=(window(until=date(2026, 2, 1)), window("18:00", "20:00")),
        from_=date(2026, 1, 5),
        until=None,
        except_=(DayRange(date(2026, 1, 6), date(2026, 1, 6)),),
    )
    parsed = parse_body(render_body(s, today=date(2026, 1, 1)), target=s.target)
    assert parsed.until is None
    assert [w.until for w in parsed.windows] == [date(2026, 2, 1), None]
    assert parsed.from_ == date(2026, 1, 5)
    assert parsed.except_ == s.except_


@pytest.mark.parametrize(
    ("rec", "message"),
    [
        ({"start": "2026-01-01T09:00", "end": "2026-01-03T09:00"}, "at most 24 hours"),
        ({"start": "x", "end": "2026-01-01T10:00"}, "not an ISO-8601"),
        ({"start": 5, "end": "2026-01-01T10:00"}, "expected a date-time"),
        (
            {
                "start": "2026-01-01T09:00",
                "end": "2026-01-01T10:00",
                "pattern": {"type": "Monthly"},
            },
            "unknown pattern type",
        ),
        (
            {
                "start": "2026-01-01T09:00",
                "end": "2026-01-01T10:00",
                "pattern": {"type": "Weekly", "daysOfWeek": ["Funday"]},
            },
            "unknown day of week",
        ),
        (
            {
                "start": "2026-01-01T09:00",
                "end": "2026-01-01T10:00",
                "pattern": {"type": "Daily"},
                "range": {"type": "Forever"},
            },
            "unknown range type",
        ),
        (
            {
                "start": "2026-01-01T09:00",
                "end": "2026-01-01T10:00",
                "pattern": {"type": "Daily", "interval": "two"},
            },
            "malformed body",
        ),
    ],
)
def test_parse_rejects_what_it_cannot_represent(
    rec: dict[str, object], message: str
) -> None:
    """Bodies gcsched cannot represent raise InputError naming the problem."""
    with pytest.raises(InputError, match=message):
        parse_body({"recurrences": [rec]}, target=TARGET)


def test_canonical_body_normalises() -> None:
    """Read-only fields dropped, times normalised, days sorted, defaults filled."""
    body = {
        "id": "1",
        "version": 2,
        "dateModified": "x",
        "campaign": {"id": "c"},
        "name": "gcsched: a",
        "intervals": [
            {"start": "2026-01-02T10:00:00.000Z", "end": "2026-01-02T11:00:00.000Z"},
            {"start": "2026-01-01T10:00:00.000", "end": "2026-01-01T11:00:00.000"},
        ],
        "recurrences": [
            {
                "id": "r",
                "timeZone": "UTC",
                "start": "2026-01-01T09:00:00.000",
                "end": "2026-01-01T17:00:00Z",
                "pattern": {"type": "Weekly", "daysOfWeek": ["Friday", "Monday"]},
                "range": {"type": "EndDate", "end": "2026-02-01T23:59:59.000Z"},
                "alterations": [],
                "nextOccurrenceDetails": {"x": 1},
            }
        ],
        "custom": 1,
    }
    assert canonical_body(body) == {
        "name": "gcsched: a",
        "timeZone": "UTC",
        "intervals": [
            {"start": "2026-01-01T10:00:00", "end": "2026-01-01T11:00:00"},
            {"start": "2026-01-02T10:00:00", "end": "2026-01-02T11:00:00"},
        ],
        "recurrences": [
            {
                # 2026-01-01 is a Thursday: the first Monday/Friday is the 2nd.
                "start": "2026-01-02T09:00:00",
                "end": "2026-01-02T17:00:00",
                "pattern": {
                    "type": "Weekly",
                    "interval": 1,
                    "daysOfWeek": ["Monday", "Friday"],
                },
                "range": {"type": "EndDate", "end": "2026-02-01T23:59:59"},
            }
        ],
        "custom": 1,
    }


def test_canonical_body_keeps_unparsable_strings_and_sorts_alterations() -> None:
    """Garbage time strings are kept verbatim; alterations sort by type then start."""
    body = {
        "timeZone": "Europe/Paris",
        "recurrences": [
            {
                "timeZone": "Asia/Tokyo",
                "start": "garbage",
                "end": "2026-01-01T17:00:00",
                "pattern": {"type": "Daily", "interval": 1},
                "range": {"type": "Numbered", "numberOfOccurrences": 3, "end": "x"},
                "alterations": [
                    {
                        "type": "Inclusion",
                        "start": "2026-01-03T00:00",
                        "end": "2026-01-04T00:00",
                    },
                    {
                        "type": "Exclusion",
                        "start": "2026-01-02T00:00",
                        "end": "2026-01-03T00:00",
                    },
                ],
            }
        ],
    }
    (rec,) = canonical_body(body)["recurrences"]
    assert rec["start"] == "garbage"
    assert rec["timeZone"] == "Asia/Tokyo"
    assert rec["range"] == {"type": "Numbered", "numberOfOccurrences": 3}
    assert [a["type"] for a in rec["alterations"]] == ["Exclusion", "Inclusion"]


def test_one_off_ending_in_the_spring_gap_is_sent_as_reported() -> None:
    """10#4: 01:30-02:30 on 2027-03-14 (New York) is sent 01:30-03:00, as warned."""
    gap = schedule(
        windows=(),
        intervals=(
            TimedRange(datetime(2027, 3, 14, 1, 30), datetime(2027, 3, 14, 2, 30)),
        ),
    )
    body = render_body(gap, today=date(2027, 1, 1))
    assert body["intervals"] == [
        {"start": "2027-03-14T01:30:00.000", "end": "2027-03-14T03:00:00.000"}
    ]
    (occurrence,) = expand(
        gap, start=date(2027, 3, 14), end=date(2027, 3, 14)
    ).occurrences
    assert occurrence.local_end.strftime("%Y-%m-%dT%H:%M") == "2027-03-14T03:00"


def test_one_off_wholly_in_the_spring_gap_is_not_sent() -> None:
    """An interval inside the gap is dropped from the body, as expansion drops it."""
    inside = schedule(
        windows=(),
        intervals=(
            TimedRange(datetime(2027, 3, 14, 2, 10), datetime(2027, 3, 14, 2, 50)),
            TimedRange(datetime(2027, 11, 7, 1, 15), datetime(2027, 11, 7, 1, 45)),
        ),
    )
    body = render_body(inside, today=date(2027, 1, 1))
    assert body["intervals"] == [
        {"start": "2027-11-07T01:15:00.000", "end": "2027-11-07T01:45:00.000"}
    ]
