"""Regenerate docs/img/timeline.png: the HTML timeline of a demo quarter in chromium.

Usage: .venv/bin/python scripts/screenshot_timeline.py [OUT.png]
Needs Debian's chromium at /usr/bin/chromium (`make chromium`).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, time
from pathlib import Path

from playwright.sync_api import sync_playwright

from gcsched.domain.model import (
    DayRange,
    Policy,
    Schedule,
    Target,
    TargetKind,
    Weekday,
    Window,
)
from gcsched.report import build_report, to_html

MON_FRI = frozenset(Weekday(d) for d in range(1, 6))
SAT = frozenset({Weekday.SATURDAY})
UK_HOLIDAYS = (
    DayRange(date(2026, 4, 3), date(2026, 4, 3), "Good Friday"),
    DayRange(date(2026, 4, 6), date(2026, 4, 6), "Easter Monday"),
    DayRange(date(2026, 5, 4), date(2026, 5, 4), "Early May bank holiday"),
)
US_HOLIDAYS = (DayRange(date(2026, 5, 25), date(2026, 5, 25), "Memorial Day"),)
CALENDARS = (("uk-holidays", UK_HOLIDAYS), ("us-holidays", US_HOLIDAYS))
# Opens on the week of Good Friday (UK rows only) and of the end of daylight time
# in Sydney (5 April), in each schedule's own zone.
FRAGMENT = "#view=week&week=2026-03-30&zone=local"
DEMO: tuple[tuple[str, TargetKind, str, int, str | None, tuple[Window, ...]], ...] = (
    (
        "Q2 Renewals",
        "campaign",
        "America/Chicago",
        8,
        "retail-renewals",
        (Window(time(9), time(17), MON_FRI), Window(time(10), time(14), SAT)),
    ),
    (
        "Win-back",
        "campaign",
        "America/Chicago",
        5,
        "retail-renewals",
        (Window(time(15), time(19), frozenset({Weekday.TUESDAY, Weekday.THURSDAY})),),
    ),
    (
        "Collections East",
        "campaign",
        "America/New_York",
        9,
        "collections",
        (Window(time(8), time(20), MON_FRI),),
    ),
    (
        "Collections West",
        "campaign",
        "America/Los_Angeles",
        9,
        "collections-west",
        (Window(time(8), time(20), MON_FRI),),
    ),
    (
        "Welcome Calls",
        "campaign",
        "America/New_York",
        6,
        "new-members",
        (Window(time(10), time(16), MON_FRI),),
    ),
    (
        "NPS Survey (SMS)",
        "messaging_campaign",
        "America/New_York",
        3,
        "new-members",
        (Window(time(12), time(18), frozenset({Weekday.WEDNESDAY, Weekday.FRIDAY})),),
    ),
    (
        "Appointment Reminders",
        "sequence",
        "Europe/London",
        7,
        "appointments",
        (Window(time(9), time(12), None), Window(time(17), time(19), MON_FRI)),
    ),
    (
        "Payment Plans",
        "campaign",
        "America/Denver",
        4,
        "collections",
        (Window(time(11), time(15), frozenset({Weekday.MONDAY, Weekday.WEDNESDAY})),),
    ),
    (
        "Broadband Cross-sell",
        "campaign",
        "America/New_York",
        2,
        "retail-renewals",
        (Window(time(18), time(21), MON_FRI),),
    ),
    (
        "Lapsed Members",
        "campaign",
        "Europe/London",
        3,
        "lapsed",
        (Window(time(10), time(13), MON_FRI, every=2),),
    ),
    (
        "Night Support Follow-up",
        "campaign",
        "Australia/Sydney",
        5,
        "support",
        (Window(time(20), time(2), MON_FRI),),
    ),
    (
        "Event Invites",
        "campaign",
        "America/Chicago",
        1,
        "events",
        (Window(time(13), time(16), frozenset({Weekday.THURSDAY})),),
    ),
)


def demo_schedules() -> tuple[Schedule, ...]:
    """Twelve campaigns of a contact centre over Q2 2026."""
    return tuple(
        Schedule(
            target=Target(kind, ref),
            time_zone=zone,
            priority=priority,
            audience=audience,
            windows=windows,
            from_=date(2026, 4, 1),
            until=date(2026, 6, 30),
            except_=_holidays_of(zone),
        )
        for ref, kind, zone, priority, audience, windows in DEMO
    )


def _holidays_of(zone: str) -> tuple[DayRange, ...]:
    """Each schedule excludes its own country's calendar (none in Sydney)."""
    if zone.startswith("Europe/"):
        return UK_HOLIDAYS
    if zone.startswith("America/"):
        return US_HOLIDAYS
    return ()


def main(out: Path) -> None:
    """Render the demo report, open it in chromium and save the screenshot."""
    report = build_report(
        demo_schedules(),
        Policy(audience_conflicts="warn"),
        today=date(2026, 4, 8),
        calendars=CALENDARS,
        title="Contact centre calling plan — Q2 2026",
        source="schedules.yaml",
    )
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "timeline.html"
        page_path.write_text(to_html(report), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page(
                viewport={"width": 1360, "height": 900},
                device_scale_factor=1,
                timezone_id="Europe/Berlin",
            )
            page.goto(page_path.as_uri() + FRAGMENT)
            page.wait_for_selector('body[data-ready="1"]')
            page.focus("#rows [data-conflict]")
            legend = page.locator("section.panel").nth(1).bounding_box()
            if legend is None:
                msg = "the legend is not on the page"
                raise SystemExit(msg)
            clip = {
                "x": 0,
                "y": 0,
                "width": 1360,
                "height": legend["y"] + legend["height"] + 12,
            }
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), clip=clip)
            browser.close()
    sys.stdout.write(f"wrote {out}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/img/timeline.png"))
