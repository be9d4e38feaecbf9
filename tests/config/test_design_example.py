"""The example file of design.md loads and lands in the right domain fields."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from gcsched.config import load
from gcsched.domain.model import DayRange, Pacing, Target, TimedRange, Weekday

EXAMPLE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "config"
    / "good"
    / "design_example.yaml"
)


def test_design_example_top_level() -> None:
    """Region, policy, calendars and webhooks come from the file."""
    loaded = load(EXAMPLE)
    assert loaded.version == 1
    assert loaded.region == "us-east-1"
    policy = loaded.policy
    assert policy.audience_conflicts == "reject"
    assert policy.allows("Win-back", "Q4 Renewals")
    assert (policy.horizon_days, policy.max_change_fraction) == (90, 0.3)
    assert (policy.min_existing, policy.manage, policy.map_priority) == (
        10,
        "owned",
        False,
    )
    assert loaded.calendars == (
        (
            "us-holidays",
            (
                DayRange(date(2026, 12, 25), date(2026, 12, 25)),
                DayRange(date(2026, 12, 31), date(2027, 1, 1), "New Year"),
            ),
        ),
    )
    (hook,) = loaded.webhooks
    assert hook.url == "https://hooks.example.com/genesys"
    assert hook.secret_env == "GCSCHED_WEBHOOK_SECRET"
    assert len(hook.events) == 6
    assert hook.retry[0] == timedelta(seconds=5)
    assert hook.retry[-1] == timedelta(hours=10)


def test_design_example_schedule() -> None:
    """The one schedule has its target, window, interval, range and alterations."""
    (schedule,) = load(EXAMPLE).schedules
    assert schedule.target == Target("campaign", "Q4 Renewals")
    assert schedule.time_zone == "America/Chicago"
    assert (schedule.priority, schedule.audience) == (7, "retail-renewals")
    assert schedule.name == "Q4 weekday calling"
    (window,) = schedule.windows
    assert window.days == frozenset(Weekday) - {Weekday.SUNDAY}
    assert (window.start, window.end, window.every) == (time(9), time(17), 1)
    assert window.end_of_day is False
    assert schedule.intervals == (
        TimedRange(datetime(2026, 12, 27, 10), datetime(2026, 12, 27, 14)),
    )
    assert (schedule.from_, schedule.until, schedule.count) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
        None,
    )
    assert schedule.except_ == (
        DayRange(date(2026, 12, 25), date(2026, 12, 25)),
        DayRange(date(2026, 12, 31), date(2027, 1, 1), "New Year"),
    )
    assert schedule.include == (DayRange(date(2026, 12, 26), date(2026, 12, 26)),)
    assert schedule.render == "recurrences"
    assert schedule.pacing == Pacing(max_calls_per_agent=3)
    assert schedule.finite
    assert schedule.source is not None
    assert (schedule.source.line, schedule.source.column) == (17, 5)
