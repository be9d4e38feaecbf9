"""Change.describe(): field-level differences and create/delete summaries."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from plan_factories import WEEKDAYS, body, change, read_back

from gcsched.plan.describe import (
    describe_body,
    describe_difference,
    describe_update,
    format_days,
)


def updated(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return change("update", before=before, after=after).describe()


def test_nested_days_and_zone() -> None:
    """A weekday added and a zone change read as the brief's examples."""
    lines = updated(
        read_back(body()), body(days=[*WEEKDAYS, "Saturday"], zone="America/New_York")
    )
    assert lines == [
        "timeZone: America/Chicago → America/New_York",
        "Monday–Friday window: days Monday–Friday → Monday–Saturday",
    ]


def test_nested_range_alteration_and_time() -> None:
    """Deep changes name the window they are in, as the file does."""
    after = body(end="2026-12-01T18:00:00")
    after["recurrences"][0]["range"] = {"type": "NoEnd"}
    after["recurrences"][0]["alterations"][0]["start"] = "2026-12-24T00:00:00"
    assert updated(read_back(body()), after) == [
        "Monday–Friday window: ends 17:00 → 18:00",
        # An EndDate end reads as its last day (canonical_body, range end GUESS).
        "Monday–Friday window: runs until 2026-12-31 → no end",
        "Monday–Friday window exceptions: removed except 2026-12-25T00:00 → "
        "2026-12-26T00:00",
        "Monday–Friday window exceptions: added except 2026-12-24T00:00 → "
        "2026-12-26T00:00",
    ]


def test_day_order_and_case_do_not_count() -> None:
    """Genesys's Sunday-first order is the same set of days: no difference."""
    before = read_back(body(days=["Friday", "monday", "Wednesday"]))
    after = body(days=["Monday", "Wednesday", "Friday"])
    assert updated(before, after) == [
        "no field-level difference (only read-only or reference fields)"
    ]


def test_reference_and_read_only_fields_are_not_shown() -> None:
    """The campaign reference, ids and timestamps never appear."""
    before = read_back(body())
    before["campaign"] = {"id": "c1", "name": "Q4", "selfUri": "/x"}
    before["recurrences"][0]["id"] = "rec-1"
    before["recurrences"][0]["nextOccurrenceDetails"] = {"a": 1}
    lines = updated(before, body(name="gcsched:renamed"))
    assert lines == ["name: gcsched:Q4 weekday calling → gcsched:renamed"]


def test_recurrence_added_and_removed() -> None:
    """An extra recurrence reads as added (in words); a missing one as removed."""
    two = body()
    extra = copy.deepcopy(two["recurrences"][0])
    extra["pattern"] = {"type": "Daily", "interval": 2}
    extra["range"] = {"type": "Numbered", "numberOfOccurrences": 5}
    extra["timeZone"] = "Europe/London"
    two["recurrences"].append(extra)
    added = updated(read_back(body()), two)
    assert added == [
        "daily window: added (09:00–17:00, every 2 days, from 2026-12-01, "
        "5 occurrences (Europe/London))"
    ]
    removed = updated(read_back(two), body())
    assert removed[0].startswith("daily window: removed (09:00–17:00")


def test_interval_added() -> None:
    """An added one-off interval reads as start → end."""
    after = body()
    after["intervals"] = [
        {"start": "2026-12-27T10:00:00.000", "end": "2026-12-27T14:00:00.000"}
    ]
    assert updated(read_back(body()), after) == [
        "one-off windows: added 2026-12-27T10:00 → 2026-12-27T14:00"
    ]


def test_value_kinds() -> None:
    """Empty strings, nulls, lists and booleans are shown unambiguously."""
    lines = describe_update(
        {"a": "", "b": None, "c": [1, 2], "d": True},
        {"a": "x", "b": 1, "c": [2], "d": False},
    )
    assert lines == ['a: "" → x', "b: (none) → 1", "c: [1,2] → [2]", "d: true → false"]


def test_create_summary() -> None:
    """A create lists name, zone, each window in words, exclusions and intervals."""
    created = body()
    created["intervals"] = [
        {"start": "2026-12-27T10:00:00.000", "end": "2026-12-27T14:00:00.000"}
    ]
    created["recurrences"][0]["pattern"]["interval"] = 2
    created["recurrences"][0]["alterations"].append(
        {
            "type": "Inclusion",
            "start": "2026-12-26T00:00:00",
            "end": "2026-12-27T00:00:00",
        }
    )
    assert change("create", after=created).describe() == [
        "name: gcsched:Q4 weekday calling",
        "timeZone: America/Chicago",
        "Monday–Friday window: 09:00–17:00, every 2 weeks, "
        "from 2026-12-01, until 2026-12-31",
        "  except 2026-12-25T00:00 → 2026-12-26T00:00",
        "  include 2026-12-26T00:00 → 2026-12-27T00:00",
        "one-off window: 2026-12-27T10:00 → 2026-12-27T14:00",
    ]


def test_delete_summary_of_the_existing_schedule() -> None:
    """A delete summarises what goes away; read-only fields are left out."""
    lines = change(
        "delete", before=read_back(body(days=["Saturday", "Sunday"]))
    ).describe()
    assert lines[2].startswith("Saturday, Sunday window: 09:00–17:00, every week")
    assert not any("dateModified" in line or "version" in line for line in lines)


def test_summary_of_empty_and_odd_bodies() -> None:
    """No windows, no zone, NoEnd, unknown keys and odd shapes never raise."""
    assert describe_body({"name": "x"}) == ["name: x"]
    assert describe_body({"name": "gcsched:x", "intervals": []}) == [
        "name: gcsched:x",
        "timeZone: UTC (not set)",
        "no windows",
    ]
    odd = describe_body(
        {
            "recurrences": [
                "junk",
                {"pattern": None, "start": 5, "range": {"type": "NoEnd"}},
                {"pattern": {"type": "Weekly"}, "range": {"type": "Other"}},
                {"range": {"type": "EndDate", "end": None}},
            ],
            "intervals": ["junk"],
            "extra": {"k": 1},
        }
    )
    assert odd[1:] == [
        "window: junk",
        "? 5–(none) window: 5–(none), every week, no end",
        'Weekly window: (none)–(none), every week, range {"type":"Other"}',
        "? (none)–(none) window: (none)–(none), every week, until ?",
        "one-off window: junk",
        'extra: {"k":1}',
    ]


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "Monday–Friday"),
        (["Sunday", "Saturday"], "Saturday, Sunday"),
        (["Friday", "Saturday", "Sunday", "Monday"], "Monday, Friday–Sunday"),
        (["Monday", "Wednesday"], "Monday, Wednesday"),
        (["monday"], "Monday"),
        ([], "(no days)"),
    ],
)
def test_format_days(days: list[str], text: str) -> None:
    """Weekdays read Monday first with runs of three or more as ranges."""
    assert format_days(days) == text


def test_odd_items_and_times_are_shown_as_they_are() -> None:
    """Non-timestamp times, plain list items and odd alterations do not raise."""
    lines = describe_body(
        {
            "timeZone": "UTC",
            "recurrences": [
                {
                    "start": "soon",
                    "range": "forever",
                    "alterations": ["junk", {"type": "Exclusion", "start": 1}],
                }
            ],
            "intervals": [{"start": "tomorrow", "end": None}],
        }
    )
    assert lines == [
        "timeZone: UTC",
        "? window: soon–(none), every week, from soon",
        "  junk",
        "  except 1 → (none)",
        "one-off window: tomorrow → (none)",
    ]
    assert describe_update({"tags": [{"a": 1}]}, {"tags": [{"a": 1}, 7]}) == [
        "tags[1]: added 7"
    ]
    assert describe_update({"x": [{"a": 1}]}, {"x": []}) == ['x[0]: removed {"a":1}']


def test_a_created_schedule_names_its_windows_as_an_update_does() -> None:
    """Creates and deletes name windows as the file does ("Saturday window",
    hours when two share the days), never by their place in the body."""
    two = _saturday("2026-12-05T14:00:00")
    evening = copy.deepcopy(two["recurrences"][0])
    evening["start"], evening["end"] = "2026-12-01T18:00:00", "2026-12-01T20:00:00"
    two["recurrences"].append(evening)
    lines = change("create", after=two).describe()
    assert lines[2:] == [
        "Monday–Friday 09:00–17:00 window: 09:00–17:00, every week, "
        "from 2026-12-01, until 2026-12-31",
        "  except 2026-12-25T00:00 → 2026-12-26T00:00",
        "Saturday window: 09:00–14:00, every week, from 2026-12-05, until 2026-12-31",
        "  except 2026-12-25T00:00 → 2026-12-26T00:00",
        "Monday–Friday 18:00–20:00 window: 18:00–20:00, every week, "
        "from 2026-12-01, until 2026-12-31",
        "  except 2026-12-25T00:00 → 2026-12-26T00:00",
    ]
    gone = change("delete", before=read_back(two)).describe()
    assert not any("recurrences" in line or "intervals" in line for line in gone)
    assert "Saturday window: 09:00–14:00" in "\n".join(gone)


def _saturday(end: str) -> dict[str, Any]:
    two = body()
    extra = copy.deepcopy(two["recurrences"][0])
    extra["pattern"] = {"type": "Weekly", "interval": 1, "daysOfWeek": ["Saturday"]}
    extra["start"], extra["end"] = "2026-12-05T09:00:00", end
    two["recurrences"].append(extra)
    return two


def test_a_window_is_named_by_its_days_not_its_index() -> None:
    """The second recurrence is the file's "Saturday window", not recurrences[1]."""
    lines = updated(
        read_back(_saturday("2026-12-05T14:00:00")), _saturday("2026-12-05T16:00:00")
    )
    assert lines == ["Saturday window: ends 14:00 → 16:00"]
    # Reordered recurrences are the same windows: no difference.
    swapped = _saturday("2026-12-05T14:00:00")
    swapped["recurrences"].reverse()
    assert describe_difference(_saturday("2026-12-05T14:00:00"), swapped) == [
        "no field-level difference (only read-only or reference fields)"
    ]


def test_two_windows_on_the_same_days_are_told_apart_by_hours() -> None:
    """Morning and evening windows on the same days name their hours."""
    before = body()
    evening = copy.deepcopy(before["recurrences"][0])
    evening["start"], evening["end"] = "2026-12-01T18:00:00", "2026-12-01T20:00:00"
    before["recurrences"].append(evening)
    after = copy.deepcopy(before)
    after["recurrences"][1]["end"] = "2026-12-01T21:00:00"
    assert describe_difference(before, after) == [
        "Monday–Friday 18:00–20:00 window: ends 20:00 → 21:00"
    ]


def _intervals(days: range, start: str = "09:00", end: str = "17:00") -> list[Any]:
    return [
        {
            "start": f"2026-12-{d:02d}T{start}:00.000",
            "end": f"2026-12-{d:02d}T{end}:00.000",
        }
        for d in days
    ]


def test_many_intervals_read_as_counts_and_ranges() -> None:
    """A trimmed schedule's 25 intervals are one line, not 25."""
    created = body()
    created["recurrences"] = []
    created["intervals"] = _intervals(range(1, 21)) + _intervals(
        range(21, 26), "09:00", "12:00"
    )
    lines = change("create", after=created).describe()
    assert lines[-1] == (
        "25 one-off windows, 2026-12-01 → 2026-12-25: 20× 09:00–17:00, 5× 09:00–12:00"
    )
    after = copy.deepcopy(created)
    after["intervals"] = _intervals(range(1, 11)) + _intervals(
        range(11, 21), "09:00", "15:00"
    )
    diff = describe_difference(created, after)
    assert diff == [
        "one-off windows: 25 → 20",
        "  removed 15 one-off windows, 2026-12-11 → 2026-12-25: "
        "10× 09:00–17:00, 5× 09:00–12:00",
        "  added 10 one-off windows, 2026-12-11 → 2026-12-20: 10× 09:00–15:00",
    ]
