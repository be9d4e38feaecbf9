"""`dump` writes schedule files that `loads` reads back into equal values."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.config import dump, load, loads
from gcsched.config.dump import compress_days
from gcsched.config.values import day_set
from gcsched.domain.model import (
    DayRange,
    Pacing,
    Schedule,
    Target,
    TimedRange,
    Weekday,
    Window,
)

GOOD = Path(__file__).parent.parent / "fixtures" / "config" / "good"
ZONES = [
    "UTC",
    "America/Chicago",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "EST",  # legacy: dump writes allow_legacy_zone: true
    "US/Eastern",
]

texts = (
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029"
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
days_ = st.dates(date(2025, 1, 1), date(2028, 12, 31))
times = st.builds(
    time,
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from([0, 0, 0, 30]),
)
local_datetimes = st.builds(datetime.combine, days_, times)


@st.composite
def day_ranges(draw: st.DrawFn) -> DayRange:
    start = draw(days_)
    end = start + timedelta(days=draw(st.integers(0, 10)))
    return DayRange(start, end, draw(st.none() | texts))


@st.composite
def timed_ranges(draw: st.DrawFn) -> TimedRange:
    start = draw(local_datetimes)
    end = start + timedelta(minutes=draw(st.integers(1, 5000)))
    return TimedRange(start, end, draw(st.none() | texts))


alterations = st.lists(day_ranges() | timed_ranges(), max_size=3).map(tuple)


@st.composite
def windows(draw: st.DrawFn, schedule_until: bool, schedule_count: bool) -> Window:
    start = draw(times)
    end_of_day = draw(st.booleans())
    end = time(0) if end_of_day else draw(times.filter(lambda t: t != start))
    if end_of_day and start == time(0):
        end_of_day = True
    ending = draw(
        st.sampled_from(
            ["none"]
            + ([] if schedule_count else ["until"])
            + ([] if schedule_until else ["count"])
        )
    )
    return Window(
        start=start,
        end=end,
        days=draw(
            st.none() | st.frozensets(st.sampled_from(list(Weekday)), min_size=1)
        ),
        every=draw(st.integers(1, 4)),
        end_of_day=end_of_day,
        time_zone=draw(st.none() | st.sampled_from(ZONES)),
        until=date(2030, 1, 1) if ending == "until" else None,
        count=draw(st.integers(1, 50)) if ending == "count" else None,
        except_=draw(st.none() | alterations),
        include=draw(st.none() | alterations),
    )


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(["campaign", "sequence", "messaging_campaign"]))
    ending = draw(st.sampled_from(["none", "until", "count"]))
    start = draw(st.none() | days_)
    until = (start or date(2025, 1, 1)) + timedelta(days=draw(st.integers(0, 400)))
    intervals = tuple(draw(st.lists(timed_ranges(), max_size=2)))
    pacing: Pacing | None = None
    if kind == "campaign":
        pacing = draw(
            st.none()
            | st.builds(
                Pacing,
                max_calls_per_agent=st.none() | st.integers(1, 100),
                outbound_line_count=st.none() | st.integers(1, 500),
                abandon_rate=st.none() | st.floats(0, 100, allow_nan=False),
            )
        )
    elif kind == "messaging_campaign":
        pacing = draw(
            st.none() | st.builds(Pacing, messages_per_minute=st.integers(1, 1000))
        )
    schedule = Schedule(
        target=Target(kind, draw(texts)),
        time_zone=draw(st.sampled_from(ZONES)),
        priority=draw(st.integers(1, 10)),
        windows=(),
        intervals=intervals,
        from_=start,
        until=until if ending == "until" else None,
        count=draw(st.integers(1, 99)) if ending == "count" else None,
        except_=draw(alterations),
        include=draw(alterations),
        audience=draw(st.none() | texts),
        name=draw(st.none() | texts.map(lambda t: t[:55].strip()).filter(bool)),
        render=draw(st.sampled_from(["recurrences", "intervals"])),
        pacing=pacing,
    )
    window_list = draw(
        st.lists(
            windows(schedule.until is not None, schedule.count is not None),
            min_size=0 if intervals else 1,
            max_size=3,
        )
    )
    if not window_list:  # alterations act on windows only (an error otherwise)
        schedule = dataclasses.replace(schedule, except_=(), include=())
    built = dataclasses.replace(
        schedule, windows=tuple(_normalise(w, schedule) for w in window_list)
    )
    if not built.finite:  # open-ended `render: intervals` is an error
        built = dataclasses.replace(built, render="recurrences")
    return built


def _normalise(window: Window, schedule: Schedule) -> Window:
    """Overrides equal to the schedule's value are written as no override."""
    changes = {}
    for field, inherited in (
        ("time_zone", schedule.time_zone),
        ("from_", schedule.from_),
        ("until", schedule.until),
        ("count", schedule.count),
        ("except_", schedule.except_),
        ("include", schedule.include),
    ):
        if getattr(window, field) == inherited:
            changes[field] = None
    return dataclasses.replace(window, **changes)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    st.lists(
        schedules(),
        min_size=1,
        max_size=3,
        unique_by=lambda s: (s.target.kind, s.target.ref),
    )
)
def test_dump_then_load_round_trips(items: list[Schedule]) -> None:
    """loads(dump(schedules)) gives the same schedules back."""
    text = dump(items)
    loaded = loads(text)
    assert loaded.schedules == tuple(items)
    assert loaded.policy.manage == "owned"


def test_dump_of_a_whole_file_round_trips() -> None:
    """A file with every key survives dump and load, policy and webhooks included."""
    original = load(GOOD / "every_key.yaml")
    again = loads(dump(original), original.path)
    assert dataclasses.replace(again, sha256=original.sha256) == original


def test_dump_format() -> None:
    """Times are quoted, days compressed, dates ISO, overrides only where different."""
    schedule = Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone="America/Chicago",
        windows=(
            Window(
                start=time(9),
                end=time(0),
                end_of_day=True,
                days=day_set(["mon-fri"]),
                time_zone="America/Chicago",
            ),
        ),
        from_=date(2026, 12, 1),
        except_=(DayRange(date(2026, 12, 25), date(2026, 12, 25)),),
    )
    assert dump([schedule]) == (
        "version: 1\n"
        "policy:\n"
        "  manage: owned\n"
        "schedules:\n"
        "- campaign: Q4 Renewals\n"
        "  time_zone: America/Chicago\n"
        "  priority: 5\n"
        "  windows:\n"
        "  - days: [mon-fri]\n"
        '    start: "09:00"\n'
        '    end: "24:00"\n'
        "  from: 2026-12-01\n"
        "  except:\n"
        "  - 2026-12-25\n"
    )


def test_compress_days() -> None:
    """Runs of three or more days become ranges, wrapping over the week's end."""
    assert compress_days(day_set(["mon-fri"])) == ["mon-fri"]
    assert compress_days(day_set(["fri-mon"])) == ["fri-mon"]
    assert compress_days(day_set(["mon", "wed", "sat", "sun"])) == ["wed", "sat-mon"]
    assert compress_days(day_set(["mon", "wed", "sun"])) == ["wed", "sun", "mon"]
    assert compress_days(frozenset(Weekday)) == ["mon-sun"]
    assert compress_days(day_set(["tue-thu", "sat"])) == ["tue-thu", "sat"]


def test_a_legacy_zone_is_dumped_with_its_opt_in() -> None:
    """The org may hold EST; the exported file says so and loads back."""
    window = Window(start=time(9), end=time(17), days=None, time_zone="Etc/GMT+5")
    legacy = Schedule(
        target=Target("campaign", "A"), time_zone="UTC", windows=(window,)
    )
    text = dump([legacy])
    assert "allow_legacy_zone: true" in text
    assert loads(text).schedules[0].windows[0].time_zone == "Etc/GMT+5"
    plain = dataclasses.replace(
        legacy, windows=(dataclasses.replace(window, time_zone=None),)
    )
    assert "allow_legacy_zone" not in dump([plain])
