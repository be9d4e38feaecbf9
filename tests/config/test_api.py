"""schedule_from_mapping, json_schema and the package surface."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

import gcsched.config
from gcsched.config import json_schema, loads, schedule_from_mapping
from gcsched.domain.model import DayRange, Target, Weekday
from gcsched.errors import ConfigError

TARGET = Target("campaign", "Q4 Renewals")


def test_public_names_are_sorted() -> None:
    """The package exports a sorted, curated surface."""
    assert gcsched.config.__all__ == sorted(gcsched.config.__all__)
    assert {"load", "loads", "dump", "json_schema", "schedule_from_mapping"} <= set(
        gcsched.config.__all__
    )


def test_schedule_from_mapping_with_python_values() -> None:
    """Python dates, times and tuples are accepted like their YAML forms."""
    schedule = schedule_from_mapping(
        {
            "time_zone": "America/Chicago",
            "windows": ({"days": ("mon-fri",), "start": time(9), "end": "17:00"},),
            "from": date(2026, 12, 1),
            "count": 10,
            "except": ["us-holidays", "2026-12-24"],
        },
        target=TARGET,
        calendars={"us-holidays": (DayRange(date(2026, 12, 25), date(2026, 12, 25)),)},
    )
    assert schedule.target == TARGET
    assert schedule.windows[0].days == frozenset(Weekday) - {
        Weekday.SATURDAY,
        Weekday.SUNDAY,
    }
    assert schedule.windows[0].start == time(9)
    assert schedule.except_ == (
        DayRange(date(2026, 12, 25), date(2026, 12, 25)),
        DayRange(date(2026, 12, 24), date(2026, 12, 24)),
    )
    assert schedule.source is None


def test_schedule_from_mapping_reports_every_problem() -> None:
    """Problems are listed with field paths and no line numbers."""
    with pytest.raises(ConfigError) as caught:
        schedule_from_mapping(
            {
                "campaign": "Other",
                "time_zone": "Mars/Olympus",
                "priority": 12,
                "windows": [{"days": "daily", "start": "09:00", "end": "09:00"}],
            },
            target=TARGET,
        )
    assert caught.value.reasons == (
        "<provision>: campaign: the target is given separately; remove this key",
        "<provision>: time_zone: unknown time zone 'Mars/Olympus': use an IANA name "
        "such as America/Chicago",
        "<provision>: priority: must be at most 10, found 12",
    )


def test_schedule_from_mapping_cross_field_problems() -> None:
    """Cross-field rules apply too (end equals start, unknown calendar)."""
    with pytest.raises(ConfigError) as caught:
        schedule_from_mapping(
            {
                "time_zone": "UTC",
                "windows": [{"days": "daily", "start": "09:00", "end": "09:00"}],
                "except": ["holidays"],
            },
            target=TARGET,
            path="provision(Q4 Renewals)",
        )
    assert caught.value.reasons == (
        "provision(Q4 Renewals): windows[0].end: end equals start (09:00); a window "
        "needs a length (an end before the start runs past midnight)",
        "provision(Q4 Renewals): except[0]: unknown calendar 'holidays'; known "
        "calendars: none (add a calendars: section)",
    )


def test_schedule_from_mapping_rejects_a_non_mapping() -> None:
    """A list instead of a mapping is one clear line."""
    with pytest.raises(ConfigError) as caught:
        schedule_from_mapping(["nope"], target=TARGET)  # type: ignore[arg-type]
    assert caught.value.reasons == (
        "<provision>: the schedule must be a mapping of keys to values",
    )


def test_json_schema_describes_the_file() -> None:
    """The schema is JSON, closed, and names the file's keys by their YAML names."""
    schema = json_schema()
    json.dumps(schema)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["version"]
    assert set(schema["properties"]) == {
        "version",
        "project",
        "org",
        "policy",
        "calendars",
        "schedules",
        "webhooks",
        "include",
        "environments",
    }
    schedule = schema["$defs"]["ScheduleModel"]
    assert {"from", "until", "except", "include", "time_zone"} <= set(
        schedule["properties"]
    )
    assert schedule["properties"]["priority"]["maximum"] == 10


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("mon-fri", {1, 2, 3, 4, 5}),
        ("fri-mon", {5, 6, 7, 1}),
        ("SUN", {7}),
        (["Monday", "wednesday-thu"], {1, 3, 4}),
        ("sat-sat", {6}),
    ],
)
def test_day_forms(days: object, expected: set[int]) -> None:
    """Names, full names, ranges and wrap-around ranges, any case."""
    text = (
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"
        f"    windows: [{{days: {json.dumps(days)}, start: '09:00', end: '10:00'}}]\n"
    )
    window = loads(text).schedules[0].windows[0]
    assert window.days == frozenset(Weekday(d) for d in expected)


@pytest.mark.parametrize("days", ["daily", "[daily]", "[Daily]"])
def test_daily(days: str) -> None:
    """`daily`, as a word or a one-item list, means days=None."""
    text = (
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"
        f"    windows: [{{days: {days}, start: '22:00', end: '06:00', every: 2}}]\n"
    )
    window = loads(text).schedules[0].windows[0]
    assert (window.days, window.every) == (None, 2)
    assert window.duration.total_seconds() == 8 * 3600


def test_zone_suggestion_for_wrong_case() -> None:
    """A zone in the wrong case suggests the right spelling."""
    text = "version: 1\nschedules:\n  - campaign: A\n    time_zone: europe/london\n"
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml")
    assert caught.value.reasons[0] == (
        "f.yaml:4:16: schedules[0].time_zone: unknown time zone 'europe/london': use "
        "an IANA name such as America/Chicago; did you mean 'Europe/London'?"
    )


def test_allow_overlap_pairs() -> None:
    """allow_overlap takes pairs of two different labels."""
    text = "version: 1\npolicy:\n  allow_overlap: [[A], [A, A], [A, B, C]]\n"
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml")
    assert caught.value.reasons == (
        "f.yaml:3:19: policy.allow_overlap[0]: needs 2 items, found 1",
        "f.yaml:3:32: policy.allow_overlap[2]: has 3 items; at most 2 are allowed",
    )
    ok = loads("version: 1\npolicy:\n  allow_overlap: [[A, B]]\n")
    assert ok.policy.allows("B", "A")
    with pytest.raises(ConfigError) as same:
        loads("version: 1\npolicy:\n  allow_overlap: [[A, A]]\n", "f.yaml")
    assert same.value.reasons == (
        "f.yaml:3:19: policy.allow_overlap[0]: a pair needs two different schedules",
    )


def test_project_defaults_to_default_and_takes_a_slug() -> None:
    base = "version: 1\nschedules: []\n"
    assert loads(base).project == "default"
    assert loads("project: uk-retention\n" + base).project == "uk-retention"
    for bad in ("UK", "-x", "x-", "a_b", "x" * 21, "a b"):
        with pytest.raises(ConfigError) as caught:
            loads(f"project: '{bad}'\n" + base)
        assert [p.code for p in caught.value.problems] == ["bad_project"], bad


def test_a_project_marker_must_still_fit_64_characters() -> None:
    entry = (
        "schedules:\n  - campaign: C\n    name: {name}\n    time_zone: UTC\n"
        "    windows: [{{days: [mon], start: '09:00', end: '10:00'}}]\n"
    )
    fits = "n" * (64 - len("gcsched:team-a: "))
    assert loads("version: 1\nproject: team-a\n" + entry.format(name=fits))
    with pytest.raises(ConfigError) as caught:
        loads("version: 1\nproject: team-a\n" + entry.format(name=fits + "n"))
    assert [p.code for p in caught.value.problems] == ["bad_name"]
