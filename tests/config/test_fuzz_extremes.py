"""Extreme numbers and dates end in a located ConfigError, never a crash.

`count: 1000000`, `every: 1000000` and dates near 0001-01-01 or 9999-12-31 used
to pass the loader and fail in expansion with "unexpected error
(OverflowError ...)" and no position. Loading and the offline check together
must end in a valid result or in `FILE:LINE:COL: path: message` problems.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcsched.api import validate
from gcsched.config import loads
from gcsched.config.problems import CODES, MAX_PROBLEMS
from gcsched.config.values import FIRST_DATE, LAST_DATE, MAX_COUNT, MAX_EVERY
from gcsched.errors import ConfigError

BASE: dict[str, Any] = {
    "version": 1,
    "policy": {"audience_conflicts": "warn", "horizon_days": 90},
    "calendars": {"hol": ["2026-12-25"]},
    "schedules": [
        {
            "campaign": "A",
            "time_zone": "Asia/Tokyo",
            "from": "2026-12-01",
            "windows": [
                {"days": ["mon-fri"], "start": "22:00", "end": "06:00"},
                {"days": "daily", "start": "09:00", "end": "17:00"},
            ],
            "intervals": [{"start": "2026-12-27T10:00", "end": "2026-12-27T14:00"}],
            "except": ["hol"],
            "include": ["2026-12-26"],
        }
    ],
}
# (path into BASE, strategy of values to put there)
NUMBER = st.one_of(
    st.integers(-(10**7), 10**7),
    st.sampled_from([MAX_COUNT, MAX_COUNT + 1, MAX_EVERY, MAX_EVERY + 1, 10**30]),
)
EXTREME_DATE = st.one_of(
    st.dates(),
    st.sampled_from(
        [date.min, date.max, FIRST_DATE, LAST_DATE, date(9999, 12, 30), date(1, 1, 2)]
    ),
)
EXTREME_DATETIME = st.one_of(
    st.datetimes(),
    st.sampled_from([datetime.min, datetime.max, datetime(2999, 12, 31, 23, 0)]),
)
SLOTS: list[tuple[tuple[Any, ...], st.SearchStrategy[Any]]] = [
    (("schedules", 0, "count"), NUMBER),
    (("schedules", 0, "windows", 0, "every"), NUMBER),
    (("schedules", 0, "windows", 1, "every"), NUMBER),
    (("schedules", 0, "windows", 1, "count"), NUMBER),
    (("policy", "horizon_days"), NUMBER),
    (("schedules", 0, "from"), EXTREME_DATE),
    (("schedules", 0, "until"), EXTREME_DATE),
    (("schedules", 0, "windows", 0, "from"), EXTREME_DATE),
    (("schedules", 0, "windows", 0, "until"), EXTREME_DATE),
    (("calendars", "hol", 0), EXTREME_DATE),
    (("schedules", 0, "include", 0), EXTREME_DATE),
    (
        ("schedules", 0, "except", 0),
        st.fixed_dictionaries({"from": EXTREME_DATE, "to": EXTREME_DATE}),
    ),
    (("schedules", 0, "intervals", 0, "start"), EXTREME_DATETIME),
    (("schedules", 0, "intervals", 0, "end"), EXTREME_DATETIME),
]
LOCATED = re.compile(r"^fuzz\.yaml:\d+:\d+: \S")


def _put(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


@st.composite
def extreme_files(draw: st.DrawFn) -> str:
    document = copy.deepcopy(BASE)
    if draw(st.booleans()):
        del document["schedules"][0]["from"]  # count from today instead
    picked = draw(st.lists(st.sampled_from(range(len(SLOTS))), min_size=1, max_size=4))
    for index in picked:
        path, values = SLOTS[index]
        _put(document, path, draw(values))
    return yaml.safe_dump(document)


@settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=extreme_files(), today=st.dates(FIRST_DATE, LAST_DATE))
def test_extreme_numbers_and_dates_end_in_config_error_or_a_result(
    text: str, today: date
) -> None:
    try:
        loaded = loads(text, "fuzz.yaml")
    except ConfigError as exc:
        error = exc
    else:
        validate(loaded, today=today)  # anything but a result is a failure
        return
    assert error.reasons
    for reason in error.reasons:
        assert LOCATED.match(reason), reason
        assert "internal error" not in reason, reason
    assert all(p.code in CODES for p in error.problems)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    count: 1000000\n", "schedules[0].count: must be at most 3660"),
        ("    from: 9999-12-30\n", "schedules[0].from: 9999-12-30 is outside"),
        ("    until: 0001-01-01\n", "schedules[0].until: 0001-01-01 is outside"),
        (
            "    windows: [{days: daily, start: '09:00', end: '17:00', "
            "every: 1000000}]\n",
            "schedules[0].windows[0].every: must be at most 52",
        ),
    ],
)
def test_the_reported_overflows_are_located_problems(line: str, message: str) -> None:
    text = (
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"
        + (
            ""
            if "windows" in line
            else "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"
        )
        + line
    )
    with pytest.raises(ConfigError) as caught:
        loads(text, "fuzz.yaml")
    (reason,) = caught.value.reasons
    assert LOCATED.match(reason), reason
    assert message in reason, reason


def test_problems_stop_at_the_cap_and_say_how_many_more() -> None:
    """5,000 unknown keys: 200 are described, the rest counted (not 15 s of work)."""
    head = "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"
    body = "".join(f"    k{i}: 1\n" for i in range(5000))
    with pytest.raises(ConfigError) as caught:
        loads(
            head
            + "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"
            + body,
            "fuzz.yaml",
        )
    error = caught.value
    assert len(error.problems) == MAX_PROBLEMS
    assert error.omitted == 5000 - MAX_PROBLEMS
    assert error.reasons[-1] == (
        "fuzz.yaml: 4,800 more problems not listed; fix these and run again"
    )
    assert error.message.startswith("5000 problems in the schedule file:\n")
    assert all(p.code == "unknown_key" for p in error.problems)


def test_every_problem_code_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "schedule-file.md").read_text()
    for code in CODES:
        assert f"| `{code}` |" in docs, code


def test_a_yaml_date_in_include_is_bounded_too() -> None:
    text = (
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: Asia/Tokyo\n"
        "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"
        "    include: [0001-01-01]\n"
    )
    with pytest.raises(ConfigError) as caught:
        loads(text, "fuzz.yaml")
    (reason,) = caught.value.reasons
    assert reason.startswith("fuzz.yaml:6:15: schedules[0].include[0]: 0001-01-01 is")
