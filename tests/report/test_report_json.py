"""`report --format json` follows the expansion, with the right offsets across DST."""

from __future__ import annotations

import json
from datetime import date, datetime

from report_fixtures import TODAY, london_override, lord_howe, ny_dst, ny_weekdays

from gcsched.domain import expand, expansion_range
from gcsched.domain.model import Policy, Schedule
from gcsched.report import build_report, to_json


def _occurrences(schedule: Schedule) -> list[tuple[datetime, datetime]]:
    lo, hi = expansion_range(schedule, today=TODAY, horizon_days=90)
    return [(o.start, o.end) for o in expand(schedule, start=lo, end=hi).occurrences]


def test_json_occurrences_match_the_expansion() -> None:
    """Every occurrence is there, local and UTC strings naming the same instant."""
    schedules = (ny_weekdays(), ny_dst(), lord_howe())
    data = to_json(build_report(schedules, Policy(), today=TODAY))
    json.dumps(data)  # plain JSON types only
    assert data["format_version"] == 1
    for schedule, row in zip(schedules, data["schedules"], strict=True):
        assert row["label"] == schedule.label
        got = [
            (datetime.fromisoformat(o["start"]), datetime.fromisoformat(o["end"]))
            for o in row["occurrences"]
        ]
        assert got == _occurrences(schedule)
        for o in row["occurrences"]:
            assert datetime.fromisoformat(o["start"]) == datetime.fromisoformat(
                o["start_utc"]
            )
            assert o["start_utc"].endswith("Z")


def test_json_offsets_follow_dst_in_new_york_and_lord_howe() -> None:
    """Offsets change at the transitions: -05:00/-04:00 and +11:00/+10:30."""
    data = to_json(build_report((ny_dst(), lord_howe()), Policy(), today=TODAY))
    night, howe = data["schedules"]
    starts: dict[str, str] = {}
    for o in night["occurrences"]:
        starts.setdefault(o["start"][:10], o["start"])  # the earliest of each day
    assert starts["2026-03-01"] == "2026-03-01T01:30:00-05:00"
    assert starts["2026-03-15"] == "2026-03-15T01:30:00-04:00"
    ends: dict[str, str] = {}
    for o in night["occurrences"]:
        ends.setdefault(o["end"][:10], o["end"])
    assert ends["2026-03-08"] == "2026-03-08T03:00:00-04:00"  # end moved out of the gap
    fold = next(o for o in night["occurrences"] if o["start"].startswith("2026-11-01"))
    assert fold["start"] == "2026-11-01T01:30:00-04:00"  # the earlier 01:30
    assert fold["end"] == "2026-11-01T02:30:00-05:00"
    lh = {o["start"][:10]: o["start"] for o in howe["occurrences"]}
    assert lh["2026-04-04"].endswith("+11:00")
    assert lh["2026-04-06"].endswith("+10:30")
    assert lh["2026-10-05"].endswith("+11:00")


def test_json_lists_excluded_dates_conflicts_and_warnings(
    schedules: tuple[Schedule, ...], trim_policy: Policy
) -> None:
    """Excluded days, conflicts per schedule and DST warnings are all reported."""
    data = to_json(build_report(schedules, trim_policy, today=TODAY))
    rows = {r["label"]: r for r in data["schedules"]}
    assert rows["Q1 Renewals"]["excluded_dates"] == ["2026-03-17"]
    assert len(rows["Q1 Renewals"]["conflicts"]) == len(data["conflicts"]) > 0
    assert rows["Win-back"]["trimmed"] is True
    assert rows["Night Shift"]["conflicts"] == []
    conflict = data["conflicts"][0]
    assert conflict["campaigns"] == ["Q1 Renewals", "Win-back"]
    assert conflict["contact_list"] == "retail"
    assert conflict["resolution"] == "trim"
    assert conflict["winner"] == "Q1 Renewals"
    assert any("spring forward" in w for w in rows["Night Shift"]["warnings"])
    assert {h["name"] for h in data["holidays"]} >= {"St Patrick", "Easter"}


def test_json_range_is_the_reports() -> None:
    """The range given is the range reported, and no occurrence falls outside it."""
    report = build_report(
        (ny_weekdays(),),
        Policy(),
        today=TODAY,
        start=date(2026, 3, 9),
        end=date(2026, 3, 13),
    )
    data = to_json(report)
    assert data["range"] == {"start": "2026-03-09", "end": "2026-03-13"}
    days = [o["start"][:10] for o in data["schedules"][0]["occurrences"]]
    assert days == [
        "2026-03-09",
        "2026-03-10",
        "2026-03-11",
        "2026-03-12",
        "2026-03-13",
    ]


def test_json_names_the_zone_of_a_window_override() -> None:
    """Occurrences in a window's own zone carry that zone and its offset."""
    report = build_report((london_override(),), Policy(), today=TODAY)
    (row,) = to_json(report)["schedules"]
    assert row["time_zone"] == "America/New_York"
    first = row["occurrences"][0]
    assert first["time_zone"] == "Europe/London"
    assert first["start"] == "2026-03-20T08:00:00+00:00"
    assert report.rows[0].occurrences[0].duration.total_seconds() == 3600
