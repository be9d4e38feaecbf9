"""What the timeline marks: holidays per row, DST changes, the opening day, and
the loud note on where audiences came from (issue 10 items 6 and 10)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from report_fixtures import (
    CALENDARS,
    TODAY,
    YEAR_END,
    campaign,
    lord_howe,
    ny_weekdays,
    winback,
    year_end,
)

from gcsched.domain.model import Policy, Weekday, Window
from gcsched.report import Report, build_report, to_html, to_json
from gcsched.report.html_data import open_on, payload
from gcsched.report.offset_changes import offset_changes


def _year_end_report(today: date = YEAR_END[0], end: date = YEAR_END[1]) -> Report:
    return build_report(
        year_end(),
        Policy(audience_conflicts="warn"),
        today=today,
        start=YEAR_END[0],
        end=end,
        calendars=CALENDARS,
    )


def test_a_holiday_belongs_to_the_schedules_that_exclude_it() -> None:
    """Boxing Day is the UK schedule's only; Christmas is both calendars'."""
    report = _year_end_report()
    by_name = {h.name: h for h in report.holidays}
    assert by_name["Boxing Day (substitute)"].labels == ("UK Renewals",)
    assert by_name["Boxing Day (substitute)"].calendar == "uk-holidays"
    assert by_name["Christmas Day"].labels == ("US Collections", "UK Renewals")
    assert by_name["Christmas Day"].calendar == "us-holidays, uk-holidays"
    assert to_json(report)["holidays"][0]["schedules"] == [
        "US Collections",
        "UK Renewals",
    ]


def test_only_the_rows_that_exclude_a_holiday_are_shaded() -> None:
    """The page data shades a holiday on its schedules' rows, in their own zone."""
    report = _year_end_report()
    data = payload(report)
    names = [h["name"] for h in data["holidays"]]
    shaded = {
        row["label"]: sorted(names[e[4]] for e in row["hol"]) for row in data["rows"]
    }
    assert shaded == {
        "US Collections": ["Christmas Day", "New Year's Day"],
        "UK Renewals": [
            "Boxing Day (substitute)",
            "Christmas Day",
            "New Year's Day",
        ],
        "Ops Check": [],
    }
    us = next(r for r in data["rows"] if r["label"] == "US Collections")
    christmas = next(e for e in us["hol"] if names[e[4]] == "Christmas Day")
    start = datetime(2026, 12, 25, 5, tzinfo=UTC)  # midnight in New York
    assert christmas[0] == int(start.timestamp() * 1000)
    assert christmas[2] == int(datetime(2026, 12, 25, tzinfo=UTC).timestamp() * 1000)


def test_the_page_opens_on_the_first_week_with_windows() -> None:
    """The range starts on an empty week: the page opens on 21 December."""
    assert open_on(_year_end_report()) == "2026-12-21"


def test_the_page_opens_on_todays_week_when_it_has_windows() -> None:
    """From today's week on, the first window: today is Wednesday 30 December."""
    assert open_on(_year_end_report(today=date(2026, 12, 30))) == "2026-12-28"


def test_the_page_opens_on_the_first_window_when_none_is_left_after_today() -> None:
    """Today is in the range but its week and the rest have no window: the first."""
    report = _year_end_report(today=date(2027, 1, 18), end=date(2027, 1, 31))
    assert open_on(report) == "2026-12-21"


def test_an_empty_report_opens_on_its_first_day() -> None:
    """No window at all: the range's first day."""
    report = build_report((), Policy(), today=TODAY, start=date(2026, 5, 4))
    assert open_on(report) == "2026-05-04"


def test_offset_changes_name_the_day_and_both_offsets() -> None:
    """New York springs forward, Lord Howe moves 30 minutes, UTC never changes."""
    ny = offset_changes("America/New_York", date(2026, 3, 1), date(2026, 3, 31))
    assert [c.day for c in ny] == [date(2026, 3, 8)]
    assert ny[0].at == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert (ny[0].before, ny[0].after, ny[0].forward) == (
        "UTC-05:00",
        "UTC-04:00",
        True,
    )
    assert ny[0].describe() == (
        "America/New_York: offset changes on Sun 08 Mar 2026 at 02:00, "
        "UTC-05:00 → UTC-04:00 (clocks go forward to 03:00)"
    )
    lh = offset_changes("Australia/Lord_Howe", date(2026, 4, 1), date(2026, 10, 31))
    assert [(c.day, c.before, c.after) for c in lh] == [
        (date(2026, 4, 5), "UTC+11:00", "UTC+10:30"),
        (date(2026, 10, 4), "UTC+10:30", "UTC+11:00"),
    ]
    assert "clocks go back to 01:30" in lh[0].describe()
    assert offset_changes("UTC", date(2026, 1, 1), date(2026, 12, 31)) == ()
    assert offset_changes("Asia/Kolkata", date(2026, 1, 1), date(2026, 12, 31)) == ()


@pytest.mark.parametrize(
    ("zone", "day", "clock"),
    [
        # Chile falls back at 24:00 on Saturday: the change belongs to Saturday.
        ("America/Santiago", date(2026, 4, 4), "24:00"),
        # Cuba springs forward at 00:00: the change is that day's.
        ("America/Havana", date(2026, 3, 8), "00:00"),
    ],
)
def test_changes_at_midnight_belong_to_the_right_day(
    zone: str, day: date, clock: str
) -> None:
    """A change at a day's first or last instant is on the day its clocks show."""
    changes = offset_changes(zone, date(2026, 3, 1), date(2026, 4, 30))
    assert [c.day for c in changes] == [day]
    assert f"at {clock}," in changes[0].describe()


def test_dst_marks_are_given_per_zone_of_the_rows() -> None:
    """The page data lists the changes of the rows' zones within the range only."""
    report = build_report(
        (ny_weekdays(), winback(), lord_howe()),
        Policy(audience_conflicts="warn"),
        today=TODAY,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    dst = payload(report)["dst"]
    assert sorted(dst) == ["America/Chicago", "America/New_York"]
    at, wall, text, forward = dst["America/New_York"][0]
    assert at == int(datetime(2026, 3, 8, 7, tzinfo=UTC).timestamp() * 1000)
    assert wall == int(datetime(2026, 3, 8, 2, tzinfo=UTC).timestamp() * 1000)
    assert "UTC-05:00 → UTC-04:00" in text
    assert forward is True


def test_offline_report_says_audiences_come_from_the_file() -> None:
    """Every schedule names an audience: still, the org's lists are unknown."""
    report = build_report((ny_weekdays(), winback()), Policy(), today=TODAY)
    assert report.audiences == "file"
    assert "audiences come only from the file" in report.audience_warning
    assert "gcsched report --live" in report.audience_warning
    data = to_json(report)
    assert data["audiences"] == "file"
    assert data["warnings"][0] == report.audience_warning
    page = to_html(report)
    assert 'id="audience-warning"' in page
    assert "Conflicts may be missing." in page


def test_offline_report_names_the_schedules_without_audience() -> None:
    """Two of three name none: the warning says which and that they are unchecked."""
    report = _year_end_report()
    assert "1 schedule has none (UK Renewals)" in report.audience_warning
    bare = campaign(
        "Bare",
        windows=(Window(time(9), time(10), frozenset({Weekday.MONDAY})),),
        from_=date(2026, 3, 2),
        until=date(2026, 3, 9),
    )
    alone = build_report((bare,), Policy(), today=TODAY)
    assert "no schedule names an `audience:`" in alone.audience_warning


def test_org_audiences_replace_the_file_and_silence_the_warning() -> None:
    """With the org's lists (a sequence's being its campaigns'), conflicts follow
    them, rows show the lists by name, and nothing is said to be missing."""
    a, b = ny_weekdays(), winback()
    bare_a = campaign("Q1 Renewals", windows=a.windows, from_=a.from_, until=a.until)
    bare_b = campaign(
        "Win-back",
        time_zone=b.time_zone,
        windows=b.windows,
        from_=b.from_,
        until=b.until,
    )
    offline = build_report((bare_a, bare_b), Policy(), today=TODAY)
    assert offline.conflicts == ()
    live = build_report(
        (bare_a, bare_b),
        Policy(audience_conflicts="warn"),
        today=TODAY,
        audiences={"Q1 Renewals": frozenset({"L1"}), "Win-back": frozenset({"L1"})},
        sizes={"L1": 20_000},
        list_names={"L1": "Retail list"},
    )
    assert live.audiences == "org"
    assert live.audience_warning == ""
    assert live.conflicts
    assert {c.contact_list for c in live.conflicts} == {"Retail list"}
    assert [r.audience for r in live.rows] == ["Retail list", "Retail list"]
    assert not any("unknown offline" in w for w in live.warnings)
    assert "audience-warning" not in to_html(live)
    assert to_json(live)["audiences"] == "org"


def test_org_audiences_name_the_schedules_without_a_list() -> None:
    """A target with no contact list in the org is named: it meets no one."""
    report = build_report(
        (ny_weekdays(), winback()),
        Policy(audience_conflicts="warn"),
        today=TODAY,
        audiences={"Q1 Renewals": frozenset({"L1"})},
    )
    assert report.audience_warning == (
        "1 schedule has no contact list in the org (Win-back): they take part "
        "in no audience conflict."
    )
