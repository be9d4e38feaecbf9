"""Public holiday calendars: `calendars: {fl: {holidays: US-FL}}`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gcsched.api import validate
from gcsched.config import loads
from gcsched.config.public_holidays import check_code, covered_years, holiday_ranges
from gcsched.domain.genesys import render_body
from gcsched.domain.model import DayRange
from gcsched.errors import ConfigError

TODAY = date(2026, 11, 27)


def _file(
    calendar: str, *, dates: str = "from: 2027-06-01\n    until: 2027-07-31"
) -> str:
    return f"""\
version: 1
calendars:
  fl: {calendar}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/New_York
    windows:
      - {{days: [mon-fri], start: "09:00", end: "17:00"}}
    {dates}
    except: [fl]
"""


def test_observed_dates_and_names_reach_the_body() -> None:
    """Independence Day 2027 falls on a Sunday: Monday 5 July is excluded too,
    named as the package names it; only days inside the schedule are kept."""
    loaded = loads(_file("{holidays: US-FL}"))
    (schedule,) = loaded.schedules
    assert schedule.except_ == (
        DayRange(
            date(2027, 6, 18),
            date(2027, 6, 18),
            "Juneteenth National Independence Day (observed)",
        ),
        DayRange(
            date(2027, 6, 19), date(2027, 6, 19), "Juneteenth National Independence Day"
        ),
        DayRange(date(2027, 7, 4), date(2027, 7, 4), "Independence Day"),
        DayRange(date(2027, 7, 5), date(2027, 7, 5), "Independence Day (observed)"),
    )
    body = render_body(schedule, today=TODAY)
    starts = [a["start"][:10] for a in body["recurrences"][0]["alterations"]]
    assert starts == ["2027-06-18", "2027-06-19", "2027-07-04", "2027-07-05"]
    # The file's calendar holds the holidays of the years its schedules took.
    calendars = dict(loaded.calendars)
    assert len(calendars["fl"]) == len(holiday_ranges("US-FL", 2027, 2027))


def test_codes_are_iso_3166_in_any_case() -> None:
    """Countries and subdivisions as ISO 3166 writes them; case does not matter."""
    assert [check_code(c) for c in ("us", "US-FL", "gb-eng", "CA-ON", "AU", "FR")] == [
        "US",
        "US-FL",
        "GB-ENG",
        "CA-ON",
        "AU",
        "FR",
    ]
    boxing = holiday_ranges("GB-ENG", 2026, 2026)[-1]
    assert boxing == DayRange(
        date(2026, 12, 28), date(2026, 12, 28), "Boxing Day (observed)"
    )
    # Names in English where the package has them (France's are French by default).
    assert any(r.name == "Easter Monday" for r in holiday_ranges("FR", 2026, 2026))


def test_listed_dates_combine_and_explicit_years_win() -> None:
    """`dates:` adds days to the holidays; `years:` replaces the schedule's years."""
    loaded = loads(
        _file(
            "{holidays: US, years: 2027, dates: [2027-07-06, 2027-07-05]}",
            dates="from: 2027-07-01\n    until: 2027-07-31",
        )
    )
    (schedule,) = loaded.schedules
    assert [(r.start.isoformat(), r.name) for r in schedule.except_] == [
        ("2027-07-04", "Independence Day"),
        ("2027-07-05", "Independence Day (observed)"),  # listed too: kept once
        ("2027-07-06", None),
    ]
    assert loaded.warnings == ()


@pytest.mark.parametrize(
    ("calendar", "line_col", "words"),
    [
        ("{holidays: US-FLA}", "3:18", "did you mean US-FL?"),
        ("{holidays: USA-FL}", "3:18", "unknown holiday code 'USA-FL'"),
        ("{holidays: 7}", "3:18", "such as US, US-FL or GB-ENG"),
        ("{holidays: US, years: 2027-2026}", "3:29", "inclusive range of years"),
        ("{holidays: US, years: true}", "3:29", "inclusive range of years"),
        ("{holidays: US, extra: 1}", "3:22", "extra"),
    ],
)
def test_bad_codes_and_years_are_errors_at_their_place(
    calendar: str, line_col: str, words: str
) -> None:
    """FILE:LINE:COL and a hint, like every other value of the file."""
    with pytest.raises(ConfigError) as caught:
        loads(_file(calendar), "h.yaml")
    text = str(caught.value)
    assert f"h.yaml:{line_col}: calendars.fl." in text
    assert words in text


def test_an_open_ended_schedule_needs_years() -> None:
    """Without `until` the years to take are unknown: an error at the name."""
    with pytest.raises(ConfigError) as caught:
        loads(_file("{holidays: US-FL}", dates="from: 2027-06-01"), "h.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "holiday_years"
    assert (problem.line, problem.column) == (10, 14)
    assert "needs `years:`" in problem.message


def test_years_past_the_package_and_past_the_calendar_are_warned(
    tmp_path: Path,
) -> None:
    """Years the package does not cover give no holiday: validate says so; so
    does an open-ended schedule that outlives its calendar's years."""
    low, high = covered_years("US")
    assert low <= 2026 < high
    path = tmp_path / "h.yaml"
    path.write_text(
        _file(
            f"{{holidays: US, years: {high}-{high + 1}}}",
            dates=f"from: {high}-12-01\n    until: {high + 1}-01-31",
        )
    )
    warnings = validate(path, today=TODAY).warnings
    assert any(
        f"covers US only in {low}–{high}; no holiday is excluded" in w for w in warnings
    )
    assert holiday_ranges("US", high + 1, high + 1) == ()
    path.write_text(_file("{holidays: US, years: 2027}", dates="from: 2027-06-01"))
    (warning,) = validate(path, today=TODAY).warnings
    assert warning.startswith("Q4 Renewals: the schedule runs past 2027")


def test_a_window_and_include_may_use_it_too() -> None:
    """Wherever a calendar name goes: a window's `except`, an `include`."""
    window = (
        _file("{holidays: US}")
        .replace('end: "17:00"}', 'end: "17:00", except: [fl]}')
        .replace("    except: [fl]\n", "")
    )
    (schedule,) = loads(window).schedules
    observed = DayRange(
        date(2027, 7, 5), date(2027, 7, 5), "Independence Day (observed)"
    )
    assert schedule.windows[0].except_ is not None
    assert observed in schedule.windows[0].except_
    include = _file("{holidays: US}").replace("except: [fl]", "include: [fl]")
    assert observed in loads(include).schedules[0].include


def test_unused_calendars_and_repeated_warnings() -> None:
    """A holiday calendar no schedule uses holds only its listed dates; a
    schedule that meets the same limit twice is warned about once."""
    text = _file("{holidays: US, years: 2027}", dates="from: 2027-06-01").replace(
        'end: "17:00"}', 'end: "17:00", except: [fl]}'
    )
    text = text.replace(
        "calendars:\n", "calendars:\n  spare: {holidays: FR, dates: [2027-01-02]}\n"
    )
    loaded = loads(text)
    assert dict(loaded.calendars)["spare"] == (
        DayRange(date(2027, 1, 2), date(2027, 1, 2)),
    )
    assert len(loaded.warnings) == 1
