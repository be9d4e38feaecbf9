"""The value readers: domain values out, and schema patterns that agree with them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from gcsched.config import loads
from gcsched.config.models import WebhookModel, WindowModel
from gcsched.config.values import (
    DAY_TOKEN_PATTERN,
    DURATION_PATTERN,
    LOCAL_DATETIME_PATTERN,
    TIME_PATTERN,
    parse_day_token,
    parse_duration,
    parse_local_datetime,
    parse_time,
)
from gcsched.domain.model import (
    MAX_CHANGE_FRACTION,
    MIN_EXISTING,
    Policy,
    TimeOfDay,
    Weekday,
)
from gcsched.domain.webhook_events import WEBHOOK_EVENTS
from gcsched.webhooks.events import EVENT_TYPES


def test_models_hold_domain_values() -> None:
    """Times, days and delays are validated once, into the values the domain uses."""
    window = WindowModel.model_validate(
        {"days": ["Mon-Wed", "sun"], "start": "9:05:07", "end": "24:00"}
    )
    assert window.start == TimeOfDay(time(9, 5, 7))
    assert window.end == TimeOfDay(time(0), end_of_day=True)
    assert window.days == [frozenset(Weekday(d) for d in (1, 2, 3)), {Weekday.SUNDAY}]
    assert (str(window.start), str(window.end)) == ("09:05:07", "24:00")
    assert str(TimeOfDay(time(9, 0, 0))) == "09:00"
    hook = WebhookModel.model_validate(
        {"url": "https://example.com/h", "secret_env": "S", "retry": ["5m", " 2H"]}
    )
    assert hook.retry == [timedelta(minutes=5), timedelta(hours=2)]


def test_a_window_built_from_text() -> None:
    """The built window carries the clock times and the end-of-day mark."""
    loaded = loads(
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"
        '    windows: [{days: daily, start: "22:30", end: "24:00"}]\n'
    )
    window = loaded.schedules[0].windows[0]
    assert (window.start, window.end, window.end_of_day) == (
        time(22, 30),
        time(0),
        True,
    )
    assert window.days is None


def test_one_source_for_event_names_and_thresholds() -> None:
    """Config, webhooks and the plan share the domain's names and figures."""
    assert EVENT_TYPES is WEBHOOK_EVENTS
    events = WebhookModel.model_json_schema()["properties"]["events"]
    assert tuple(events["anyOf"][0]["items"]["enum"]) == WEBHOOK_EVENTS
    assert Policy().max_change_fraction == MAX_CHANGE_FRACTION
    assert Policy().min_existing == MIN_EXISTING


def _problem(reader: Callable[[Any], Any], text: str) -> str | None:
    try:
        reader(text)
    except PydanticCustomError as exc:
        return exc.message()
    return None


@pytest.mark.parametrize(
    ("reader", "pattern", "alphabet"),
    [
        (parse_time, TIME_PATTERN, "0124569: "),
        (parse_local_datetime, LOCAL_DATETIME_PATTERN, "0129:-T "),
        (parse_day_token, DAY_TOKEN_PATTERN, "monfriMONsatdily- "),
        (parse_duration, DURATION_PATTERN, "015smhDx "),
    ],
    ids=["time", "local date-time", "day", "delay"],
)
@given(data=st.data())
def test_schema_pattern_accepts_exactly_what_the_reader_accepts(
    reader: Callable[[Any], Any], pattern: str, alphabet: str, data: st.DataObject
) -> None:
    """The schema's pattern and the reader agree on any text.

    One exception: a date-time whose date does not exist (2026-02-30T09:00) has
    the right shape; only the reader knows the calendar.
    """
    ascii_pattern = pattern.replace(r"\s", " ").replace(r"\d", "[0-9]")
    text = data.draw(
        st.text(alphabet=alphabet, max_size=20)
        | st.from_regex(ascii_pattern, fullmatch=True)
    )
    problem = _problem(reader, text)
    if problem is not None and "is not a valid date" in problem:
        return
    assert (re.search(pattern, text) is not None) == (problem is None), text
