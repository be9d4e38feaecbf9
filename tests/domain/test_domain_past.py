"""Bodies for an org that refuses starts in the past (`gcsched.domain.past`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.domain.past import from_instant, not_before

# Thursday 2026-12-10 15:30 UTC = 09:30 in Chicago.
NOW = datetime(2026, 12, 10, 15, 30, 5, tzinfo=UTC)
LIMIT = not_before(NOW)


def _rec(start: str, end: str, pattern: Any, bounds: Any = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"start": start, "end": end, "pattern": pattern}
    rec["range"] = bounds or {"type": "NoEnd"}
    return rec


def _weekly(*days: str, every: int = 1) -> dict[str, Any]:
    return {"type": "Weekly", "interval": every, "daysOfWeek": list(days)}


def _body(
    *recs: Any, intervals: Any = (), zone: str = "America/Chicago"
) -> dict[str, Any]:
    return {"timeZone": zone, "intervals": list(intervals), "recurrences": list(recs)}


def test_not_before_is_the_next_whole_minute_past_the_margin() -> None:
    assert not_before(NOW) == datetime(2026, 12, 10, 15, 31, tzinfo=UTC)
    naive = datetime(2026, 12, 10, 15, 29, 55)
    assert not_before(naive) == datetime(2026, 12, 10, 15, 30, tzinfo=UTC)


def test_intervals_ended_are_dropped_under_way_clipped_future_kept() -> None:
    body = _body(
        intervals=[
            {"start": "2026-12-09T09:00:00.000", "end": "2026-12-09T17:00:00.000"},
            {"start": "2026-12-10T09:00:00.000", "end": "2026-12-10T10:00:00.000"},
            {"start": "2026-12-10T12:00:00.000", "end": "2026-12-10T13:00:00.000"},
        ]
    )
    out = from_instant(body, LIMIT)
    assert out["intervals"] == [
        {"start": "2026-12-10T09:31:00.000", "end": "2026-12-10T10:00:00.000"},
        {"start": "2026-12-10T12:00:00.000", "end": "2026-12-10T13:00:00.000"},
    ]
    assert body["intervals"][0]["start"] == "2026-12-09T09:00:00.000"  # not mutated


def test_a_utc_interval_is_clipped_in_utc() -> None:
    body = _body(
        intervals=[
            {"start": "2026-12-10T15:00:00.000Z", "end": "2026-12-10T16:00:00.000Z"}
        ]
    )
    (clipped,) = from_instant(body, LIMIT)["intervals"]
    assert clipped == {
        "start": "2026-12-10T15:31:00.000Z",
        "end": "2026-12-10T16:00:00.000Z",
    }


def test_what_cannot_be_read_is_kept_as_it_is() -> None:
    odd = [
        "not a mapping",
        {"start": "garbage", "end": "2026-12-10T10:00:00"},
        {"start": 7, "end": None},
    ]
    recs = [
        "not a mapping",
        _rec("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z", {"type": "Daily"}),
        _rec("2026-12-01T09:00:00", "2026-12-01T10:00:00", {"type": "Monthly"}),
        _rec("2026-12-01T09:00:00", "2026-12-01T10:00:00", None),
        _rec(
            "2026-12-01T09:00:00",
            "2026-12-01T10:00:00",
            {"type": "Daily", "interval": 0},
        ),
        _rec("2026-12-01T09:00:00", "2026-12-01T10:00:00", _weekly("Funday")),
        _rec("bad", "2026-12-01T10:00:00", {"type": "Daily"}),
    ]
    body = {"timeZone": "Not/AZone", "intervals": odd, "recurrences": recs, "x": 1}
    assert from_instant(body, LIMIT) == body
    assert from_instant({"name": "n"}, LIMIT) == {"name": "n"}


@pytest.mark.parametrize(
    ("pattern", "start", "moved"),
    [
        # weekdays from Tue 1 Dec: today's 09:00 has begun, so Friday
        (
            _weekly("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
            "2026-12-01T09:00:00",
            "2026-12-11T09:00:00",
        ),
        # later today is still today
        (_weekly("Thursday"), "2026-12-03T11:00:00", "2026-12-10T11:00:00"),
        # every other day from 1 Dec: 1, 3, ..., 9, 11
        (
            {"type": "Daily", "interval": 2},
            "2026-12-01T09:00:00",
            "2026-12-11T09:00:00",
        ),
        # every other week from the week of Mon 30 Nov: that week, 14 Dec, ...
        (_weekly("Monday", every=2), "2026-11-30T09:00:00", "2026-12-14T09:00:00"),
        (_weekly("Monday", every=2), "2026-11-23T09:00:00", "2026-12-21T09:00:00"),
        # a start in the future stays
        (
            {"type": "Daily", "interval": 1},
            "2026-12-10T10:00:00",
            "2026-12-10T10:00:00",
        ),
    ],
)
def test_a_recurrence_moves_to_its_first_occurrence_from_the_limit(
    pattern: Any, start: str, moved: str
) -> None:
    end = start[:11] + "17:00:00"
    (rec,) = from_instant(_body(_rec(start, end, pattern)), LIMIT)["recurrences"]
    assert rec["start"] == moved
    assert rec["end"] == moved[:11] + "17:00:00"


def test_an_overnight_recurrence_keeps_its_length() -> None:
    rec = _rec("2026-12-01T22:00:00", "2026-12-02T06:00:00", {"type": "Daily"})
    (out,) = from_instant(_body(rec), LIMIT)["recurrences"]
    assert (out["start"], out["end"]) == ("2026-12-10T22:00:00", "2026-12-11T06:00:00")


def test_a_recurrence_zone_of_its_own_decides() -> None:
    """10:00 in London (10:00Z) today is past; 10:00 in Chicago is not yet."""
    rec = _rec("2026-12-10T10:00:00", "2026-12-10T11:00:00", {"type": "Daily"})
    london = {**rec, "timeZone": "Europe/London"}
    out = from_instant(_body(london), LIMIT)["recurrences"]
    assert out[0]["start"] == "2026-12-11T10:00:00"
    out = from_instant(_body(rec), LIMIT)["recurrences"]
    assert out[0]["start"] == "2026-12-10T10:00:00"


def test_a_numbered_range_counts_off_the_skipped_occurrences() -> None:
    numbered = {"type": "Numbered", "numberOfOccurrences": 5}
    rec = _rec(
        "2026-12-01T09:00:00",
        "2026-12-01T10:00:00",
        _weekly("Tuesday", "Thursday"),
        numbered,
    )
    (out,) = from_instant(_body(rec), LIMIT)["recurrences"]
    # 1, 3, 8 and today's 10 Dec 09:00 have begun: Tue 15 Dec is the 5th
    assert out["start"] == "2026-12-15T09:00:00"
    assert out["range"] == {"type": "Numbered", "numberOfOccurrences": 1}
    used = {"type": "Numbered", "numberOfOccurrences": 4}
    assert from_instant(_body({**rec, "range": used}), LIMIT)["recurrences"] == []
    odd = {"type": "Numbered", "numberOfOccurrences": "5"}
    (kept,) = from_instant(_body({**rec, "range": odd}), LIMIT)["recurrences"]
    assert kept["range"] == odd


def test_an_end_date_passed_drops_the_recurrence() -> None:
    ended = {"type": "EndDate", "end": "2026-12-10T23:59:59"}
    rec = _rec("2026-12-01T09:00:00", "2026-12-01T10:00:00", {"type": "Daily"}, ended)
    assert from_instant(_body(rec), LIMIT)["recurrences"] == []
    later = {"type": "EndDate", "end": "2026-12-11T23:59:59"}
    (out,) = from_instant(_body({**rec, "range": later}), LIMIT)["recurrences"]
    assert out["start"] == "2026-12-11T09:00:00"
    assert out["range"] == later


_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@st.composite
def _bodies(draw: st.DrawFn) -> dict[str, Any]:
    first = datetime(2026, 1, 1) + timedelta(
        days=draw(st.integers(0, 400)), minutes=30 * draw(st.integers(0, 47))
    )
    length = timedelta(minutes=30 * draw(st.integers(1, 30)))
    every = draw(st.integers(1, 3))
    if draw(st.booleans()):
        pattern: dict[str, Any] = {"type": "Daily", "interval": every}
    else:
        days = draw(st.sets(st.sampled_from(_DAYS), min_size=1))
        pattern = _weekly(*sorted(days, key=_DAYS.index), every=every)
    bounds = draw(
        st.sampled_from(
            [
                {"type": "NoEnd"},
                {"type": "Numbered", "numberOfOccurrences": draw(st.integers(1, 60))},
                {"type": "EndDate", "end": "2026-12-31T23:59:59"},
            ]
        )
    )
    fmt = "%Y-%m-%dT%H:%M:%S"
    rec = _rec(first.strftime(fmt), (first + length).strftime(fmt), pattern, bounds)
    span = {
        "start": first.strftime(fmt + ".000"),
        "end": (first + length).strftime(fmt + ".000"),
    }
    zone = draw(st.sampled_from(["America/Chicago", "Europe/London", "UTC"]))
    return _body(rec, intervals=[span], zone=zone)


@settings(max_examples=150, deadline=None)
@given(
    body=_bodies(),
    early=st.integers(0, 400 * 24),
    later=st.integers(0, 30 * 24),
)
def test_rendering_twice_is_rendering_once_at_the_later_instant(
    body: dict[str, Any], early: int, later: int
) -> None:
    """What lets a body sent on Monday compare equal to the file's on Tuesday."""
    first = not_before(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=early))
    second = first + timedelta(hours=later)
    once = from_instant(body, second)
    assert from_instant(from_instant(body, first), second) == once
    assert from_instant(once, second) == once
