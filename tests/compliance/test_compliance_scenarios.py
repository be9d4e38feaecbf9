"""Issue 14 item 7: the calling-hour check on the cases that bite."""

from __future__ import annotations

from compliance_support import file_text, finding, report_of, rules_hit


def test_phoenix_contacts_of_a_new_york_window_follow_dst_in_new_york_only() -> None:
    """Arizona keeps no DST: a New York 08:00 start is 06:00 there in winter,
    05:00 in summer."""
    winter = report_of(
        file_text(
            zone="America/New_York",
            contacts="[US-AZ]",
            days="daily",
            start="08:00",
            end="21:00",
            from_="2027-01-04",
            until="2027-01-10",
        )
    )
    summer = report_of(
        file_text(
            zone="America/New_York",
            contacts="[US-AZ]",
            days="daily",
            start="08:00",
            end="21:00",
            from_="2027-07-05",
            until="2027-07-11",
        )
    )
    jan = finding(winter, "America/Phoenix", "us-tcpa")
    jul = finding(summer, "America/Phoenix", "us-tcpa")
    assert jan.sample.startswith("2027-01-04 Mon 06:00–08:00 MST")
    assert jul.sample.startswith("2027-07-05 Mon 05:00–08:00 MST")
    assert (jan.minutes_per_week, jul.minutes_per_week) == (7 * 120, 7 * 180)
    assert jan.status == jul.status == "violation"
    assert jan.region == "US-AZ"


def test_st_johns_half_hour_zone_runs_past_the_crtc_close() -> None:
    """09:00–20:30 New York is 10:30–22:00 in St. John's: 30 minutes past 21:30."""
    report = report_of(
        file_text(
            zone="America/New_York",
            contacts="[CA-NL]",
            days="mon-fri",
            start="09:00",
            end="20:30",
            from_="2026-12-07",
            until="2026-12-11",
        )
    )
    nst = finding(report, "America/St_Johns", "ca-crtc")
    assert nst.sample.startswith("2026-12-07 Mon 21:30–22:00 NST")
    assert (nst.minutes, nst.days, nst.minutes_per_week) == (150, 5, 150)
    assert rules_hit(report, "America/Goose_Bay") == set()  # 10:00–21:30 AST


def test_louisiana_bans_its_holidays_and_sundays() -> None:
    """Battle of New Orleans day (Fri 2027-01-08) and the Sunday are banned whole."""
    report = report_of(
        file_text(
            zone="America/Chicago",
            contacts="[US-LA]",
            days="daily",
            start="09:00",
            end="17:00",
            from_="2027-01-04",
            until="2027-01-10",
        )
    )
    la = finding(report, "America/Chicago", "us-la")
    assert la.sample.startswith("2027-01-08 Fri 09:00–17:00")
    assert (la.days, la.minutes) == (2, 2 * 480)
    assert rules_hit(report, "America/Chicago") == {"us-la"}


def test_pennsylvania_holidays_are_banned_days() -> None:
    """November 2026: Election Day (3rd), Veterans Day (11th), Thanksgiving (26th)."""
    report = report_of(
        file_text(
            zone="America/New_York",
            contacts="[US-PA]",
            days="daily",
            start="09:00",
            end="17:00",
            from_="2026-11-01",
            until="2026-11-30",
        )
    )
    pa = finding(report, "America/New_York", "us-pa")
    assert pa.sample.startswith("2026-11-03 Tue")
    assert (pa.days, pa.minutes) == (3, 3 * 480)


def test_texas_sunday_starts_at_noon_in_both_its_zones() -> None:
    report = report_of(
        file_text(
            zone="America/Chicago",
            contacts="[US-TX]",
            days="daily",
            start="10:00",
            end="18:00",
            from_="2026-12-07",
            until="2026-12-13",
        )
    )
    central = finding(report, "America/Chicago", "us-tx")
    mountain = finding(report, "America/Denver", "us-tx")
    assert central.sample.startswith("2026-12-13 Sun 10:00–12:00 CST")
    assert (central.minutes, central.days) == (120, 1)
    # El Paso: 09:00–17:00 MST, legal from 09:00 but Sunday from 12:00 only
    assert mountain.minutes == 180


def test_australia_bans_sunday_telemarketing_but_not_sunday_research() -> None:
    kwargs = {
        "zone": "Australia/Sydney",
        "contacts": "[AU-NSW]",
        "days": "daily",
        "start": "10:00",
        "end": "16:00",
        "from_": "2026-11-02",
        "until": "2026-11-08",
    }
    sales = report_of(file_text(**kwargs))
    research = report_of(file_text(purpose="research", **kwargs))
    sunday = finding(sales, "Australia/Sydney", "au-telemarketing")
    assert sunday.sample.startswith("2026-11-08 Sun 10:00–16:00")
    assert sunday.minutes == 360
    assert rules_hit(research, "Australia/Sydney") == set()


def test_the_french_lunch_break_is_exposed_every_weekday() -> None:
    report = report_of(
        file_text(
            zone="Europe/Paris",
            contacts="[FR]",
            days="mon-fri",
            start="09:00",
            end="18:00",
            from_="2026-12-07",
            until="2026-12-11",
        )
    )
    fr = finding(report, "Europe/Paris", "fr-d223-9")
    assert fr.sample.startswith("2026-12-07 Mon 09:00–10:00 CET")
    assert (fr.minutes_per_week, fr.days) == (5 * 120, 5)


def test_a_country_means_each_subdivision_with_its_own_rules() -> None:
    """A US-wide 08:00–21:00 Eastern window breaks several states."""
    report = report_of(
        file_text(
            zone="America/New_York",
            contacts="[US]",
            days="daily",
            start="08:00",
            end="21:00",
            from_="2026-12-07",
            until="2026-12-13",
        )
    )
    regions = {f.region for f in report.findings}
    assert {"US", "US-FL", "US-TX", "US-LA", "US-MS"} <= regions
    federal = [f for f in report.findings if f.rule_id == "us-tcpa"]
    assert {f.region for f in federal} == {"US"}
    assert "Pacific/Honolulu" in {f.zone for f in federal}
