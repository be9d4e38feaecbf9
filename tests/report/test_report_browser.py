"""The HTML timeline in a real browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import CALENDARS, TODAY, YEAR_END, many_campaigns, year_end

from gcsched.domain.model import Policy, Schedule
from gcsched.report import Report, build_report, to_html
from required_tools import require_tool

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module (missing: skipped, under CI an error)."""
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


class Page:
    """A loaded timeline page with what it logged and requested."""

    def __init__(
        self,
        browser: Any,
        report: Report,
        name: str,
        fragment: str = "",
        **context: Any,
    ) -> None:
        OUTPUT.mkdir(exist_ok=True)
        self.path = OUTPUT / f"{name}.html"
        self.path.write_text(to_html(report), encoding="utf-8")
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, **context
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(m.text) if m.type in ("error", "warning") else None
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = self.path.as_uri()
        started = time.perf_counter()
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector('body[data-ready="1"]')
        self.load_ms = (time.perf_counter() - started) * 1000

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(
    browser: Any, schedules: tuple[Schedule, ...], trim_policy: Policy
) -> Iterator[tuple[Page, Report]]:
    """The fixture schedules of March 2026 in a page."""
    from datetime import date

    report = build_report(
        schedules,
        trim_policy,
        today=TODAY,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        title="Fixture schedules",
        source="tests/report",
    )
    loaded = Page(browser, report, "timeline-fixture")
    yield loaded, report
    loaded.close()


def test_page_loads_offline_without_errors(page: tuple[Page, Report]) -> None:
    """No console error or warning, and no request but the file itself."""
    p, _ = page
    assert p.errors == []
    assert p.requests == [p.url]
    p.page.screenshot(path=str(OUTPUT / "timeline-fixture.png"), full_page=True)


def test_one_row_per_schedule(page: tuple[Page, Report]) -> None:
    """The timeline has exactly one row per schedule, labelled with its name."""
    p, report = page
    labels = p.js(
        "[...document.querySelectorAll('#rows g.row')].map(g => g.textContent)"
    )
    assert len(labels) == len(report.rows)
    for row, text in zip(report.rows, labels, strict=True):
        assert text.startswith(row.label)


def test_every_conflict_is_marked_on_both_rows(page: tuple[Page, Report]) -> None:
    """In the whole-range view each conflict has a focusable mark on both rows."""
    p, report = page
    p.page.click("#view-range")
    marks = p.js(
        "[...document.querySelectorAll('#rows .conflict-mark')]"
        ".map(m => [m.dataset.conflict, m.getAttribute('tabindex')])"
    )
    assert report.conflicts
    assert sorted(int(c) for c, _ in marks) == sorted(
        i for i in range(len(report.conflicts)) for _ in (0, 1)
    )
    assert {t for _, t in marks} == {"0"}
    assert p.page.locator("tr[data-conflict-row]").count() == len(report.conflicts)


def test_conflict_tooltip_names_campaigns_audience_and_resolution(
    page: tuple[Page, Report],
) -> None:
    """Focusing a conflict mark shows the campaigns, the audience and the outcome."""
    p, _ = page
    p.page.click("#view-range")
    p.page.focus('#rows [data-conflict="0"]')
    tip = p.page.locator("#tip")
    assert "show" in (tip.get_attribute("class") or "")
    text = tip.inner_text()
    for word in ("Q1 Renewals", "Win-back", "retail", "trim", "winner"):
        assert word in text
    label = p.page.get_attribute('#rows [data-conflict="0"]', "aria-label") or ""
    assert "Q1 Renewals" in label
    assert "retail" in label


def test_switching_zones_changes_axis_and_positions(page: tuple[Page, Report]) -> None:
    """Each schedule's zone, UTC and a named zone give different axes and bars."""
    p, _ = page
    p.page.click("#view-month")

    def snapshot() -> tuple[str, str, str | None]:
        return (
            p.page.inner_text("#axis-caption"),
            p.page.locator("#axis .axis-zone").text_content(),
            p.page.locator("#rows g.row[data-row='0'] rect.occ").first.get_attribute(
                "x"
            ),
        )

    local = snapshot()
    p.page.select_option("#zone", "UTC")
    utc = snapshot()
    p.page.select_option("#zone", "Australia/Lord_Howe")
    lord_howe = snapshot()
    assert local[1] != utc[1] != lord_howe[1]
    assert "UTC" in utc[0]
    assert "Australia/Lord_Howe" in lord_howe[0]
    assert local[2] != utc[2]  # 09:00 New York is 14:00 or 13:00 UTC


def test_viewer_zone_comes_from_the_browser(
    browser: Any, page: tuple[Page, Report]
) -> None:
    """ "Your zone" uses the browser's IANA zone (Intl), here Asia/Tokyo."""
    _, report = page
    tokyo = Page(browser, report, "timeline-tokyo", timezone_id="Asia/Tokyo")
    try:
        option = tokyo.page.inner_text("#zone option[value='viewer']")
        assert "Asia/Tokyo" in option
        tokyo.page.select_option("#zone", "viewer")
        assert "Asia/Tokyo" in tokyo.page.inner_text("#axis-caption")
        assert "UTC+09:00" in tokyo.page.locator("#axis .axis-zone").text_content()
    finally:
        tokyo.close()


def test_week_and_month_views_and_navigation(page: tuple[Page, Report]) -> None:
    """Week shows hours and steps a week; month shows the month; buttons are pressed."""
    p, _ = page
    p.page.click("#view-month")
    assert p.page.inner_text("#period") == "Mar 2026"
    assert p.page.get_attribute("#view-month", "aria-pressed") == "true"
    p.page.click("#view-week")
    first = p.page.inner_text("#period")
    assert "06" in (p.page.locator("#axis").text_content() or "")
    p.page.click("#next")
    assert p.page.inner_text("#period") != first
    assert p.page.get_attribute("#view-week", "aria-pressed") == "true"


def test_filter_keeps_matching_rows(page: tuple[Page, Report]) -> None:
    """Typing in the filter keeps only the schedules that match."""
    p, _ = page
    p.page.fill("#filter", "lord")
    assert p.page.locator("#rows g.row").count() == 1


def test_two_hundred_campaigns_over_a_quarter(browser: Any) -> None:
    """200 campaigns × Q1 render; load and render times are printed, not asserted."""
    report = build_report(
        many_campaigns(200),
        Policy(audience_conflicts="warn"),
        today=TODAY,
        title="200 campaigns, Q1 2026",
    )
    big = Page(browser, report, "timeline-200")
    try:
        assert big.errors == []
        assert big.requests == [big.url]
        assert big.page.locator("#rows g.row").count() == 200
        timings = {"load+first render (month)": big.load_ms}
        for view in ("range", "week", "month"):
            big.page.click(f"#view-{view}")
            timings[f"render {view}"] = big.js("window.__gcsched.renderMs")
        big.page.select_option("#zone", "UTC")
        timings["render month (UTC)"] = big.js("window.__gcsched.renderMs")
        big.page.screenshot(path=str(OUTPUT / "timeline-200.png"))
        occurrences = sum(len(r.occurrences) for r in report.rows)
        print(
            f"\n200 campaigns, {occurrences} windows, "
            f"{len(report.conflicts)} conflicts: "
            + ", ".join(f"{k} {v:.0f} ms" for k, v in timings.items())
        )
    finally:
        big.close()


def test_show_button_jumps_to_the_conflict(page: tuple[Page, Report]) -> None:
    """ "Show" in the conflicts table opens its week and focuses its mark."""
    p, report = page
    p.page.click('button[data-goto="2"]')
    assert p.page.get_attribute("#view-week", "aria-pressed") == "true"
    assert p.js("document.activeElement.dataset.conflict") == "2"
    day = report.conflicts[2].start.date()
    monday = day.fromordinal(day.toordinal() - day.weekday())
    assert p.page.inner_text("#period").startswith(f"{monday.day} {monday:%b}")


@pytest.fixture
def year_end_page(browser: Any) -> Iterator[Page]:
    """A US, a UK and a UTC schedule over the year end (windows from 21 Dec)."""
    report = build_report(
        year_end(),
        Policy(audience_conflicts="warn"),
        today=YEAR_END[0],
        start=YEAR_END[0],
        end=YEAR_END[1],
        calendars=CALENDARS,
        title="Year end",
    )
    loaded = Page(browser, report, "timeline-year-end")
    yield loaded
    loaded.close()


def _holidays_by_row(p: Page) -> dict[str, list[str]]:
    return p.js(
        """Object.fromEntries([...document.querySelectorAll('#rows g.row')].map(g =>
        [g.querySelector('text.label').firstChild.textContent,
         [...g.querySelectorAll('rect.holiday')].map(r => r.getAttribute('aria-label')
           .split(':')[0])]))"""
    )


def test_holidays_shade_only_the_rows_that_exclude_them(year_end_page: Page) -> None:
    """Christmas on the US and UK rows, Boxing Day on the UK row only, and none on
    the schedule that excludes no holiday."""
    p = year_end_page
    assert p.errors == []
    p.page.click("#view-week")
    assert _holidays_by_row(p) == {
        "US Collections": ["Christmas Day (us-holidays, uk-holidays)"],
        "UK Renewals": ["Christmas Day (us-holidays, uk-holidays)"],
        "Ops Check": [],
    }
    p.page.click("#next")
    assert _holidays_by_row(p) == {
        "US Collections": ["New Year's Day (us-holidays, uk-holidays)"],
        "UK Renewals": [
            "Boxing Day (substitute) (uk-holidays)",
            "New Year's Day (us-holidays, uk-holidays)",
        ],
        "Ops Check": [],
    }
    p.page.hover("#rows g.row[data-row='1'] rect.holiday >> nth=0")
    tip = p.page.inner_text("#tip")
    assert "Boxing Day" in tip
    assert "UK Renewals" in tip
    assert "US Collections" not in tip


def test_the_page_opens_on_the_first_week_with_windows(year_end_page: Page) -> None:
    """The range starts on 14 Dec, an empty week: week view shows 21-27 Dec."""
    p = year_end_page
    p.page.click("#view-week")
    assert p.page.inner_text("#period") == "21 Dec \u2013 27 Dec 2026"
    assert p.page.locator("#rows rect.occ").count() > 0


def test_the_fragment_follows_the_view_and_reopens_it(
    browser: Any, year_end_page: Page
) -> None:
    """Changing view, week or zone rewrites the fragment; a link with it reopens
    the same view, week and zone."""
    p = year_end_page
    assert p.js("location.hash") == ""  # nothing written before a change
    p.page.click("#view-week")
    p.page.select_option("#zone", "UTC")
    assert p.js("location.hash") == "#view=week&week=2026-12-21&zone=UTC"
    p.page.click("#next")
    assert p.js("location.hash") == "#view=week&week=2026-12-28&zone=UTC"
    p.page.click("#view-month")
    assert p.js("location.hash") == "#view=month&month=2026-12&zone=UTC"
    assert p.requests == [p.url]  # rewriting the fragment loads nothing

    report_path = p.path
    again = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = again.new_page()
        link = report_path.as_uri() + "#view=week&week=2026-12-30&zone=Europe/London"
        page.goto(link)
        page.wait_for_selector('body[data-ready="1"]')
        assert page.inner_text("#period") == "28 Dec \u2013 3 Jan 2027"
        assert page.get_attribute("#view-week", "aria-pressed") == "true"
        assert page.input_value("#zone") == "Europe/London"
        assert "Europe/London" in page.inner_text("#axis-caption")
        page.evaluate("location.hash = '#view=range&zone=local'")
        page.wait_for_function(
            "document.getElementById('view-range').getAttribute('aria-pressed')"
            " === 'true'"
        )
        assert page.input_value("#zone") == "local"
    finally:
        again.close()


def test_dst_changes_are_marked_on_the_rows_of_affected_zones(browser: Any) -> None:
    """8 March: New York and Chicago rows get a mark, Lord Howe's does not; its
    tooltip names both offsets."""
    from datetime import date

    from report_fixtures import late_owls, lord_howe, ny_dst, ny_weekdays, winback

    report = build_report(
        (ny_weekdays(), winback(), ny_dst(), late_owls(), lord_howe()),
        Policy(audience_conflicts="warn"),
        today=TODAY,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
    )
    p = Page(browser, report, "timeline-dst", fragment="#view=week&week=2026-03-02")
    try:
        assert p.errors == []
        marks = p.js(
            "[...document.querySelectorAll('#rows g.dst')]"
            ".map(m => m.closest('g.row').dataset.row)"
        )
        assert marks == ["0", "1", "2", "3"]
        label = p.page.get_attribute("#rows g.row[data-row='1'] g.dst", "aria-label")
        assert label is not None
        assert "America/Chicago" in label
        assert "UTC-06:00 → UTC-05:00" in label
        p.page.hover("#rows g.row[data-row='0'] g.dst rect.dst-hit")
        tip = p.page.inner_text("#tip")
        assert "Clocks change" in tip
        assert "UTC-05:00 → UTC-04:00" in tip
        p.page.click("#next")
        assert p.page.locator("#rows g.dst").count() == 0
        p.page.screenshot(path=str(OUTPUT / "timeline-dst.png"))
    finally:
        p.close()


def test_the_audience_banner_is_visible_offline(page: tuple[Page, Report]) -> None:
    """A file report says loudly that conflicts may be missing."""
    p, report = page
    banner = p.page.locator("#audience-warning")
    assert banner.is_visible()
    assert "Conflicts may be missing." in banner.inner_text()
    assert report.audience_warning.replace("`", "") in banner.inner_text()
    assert banner.locator("code").first.inner_text() == "audience:"


def test_a_live_report_shades_no_call_hours_and_lists_findings(
    browser: Any, tmp_path: Path
) -> None:
    """`report --live --file`: the Florida campaign's row is shaded where its
    contacts may not be called, and the panel lists the org-checked findings."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    import gcsched
    from gcsched.api.compliance import live_report_compliance
    from gcsched.config import loads

    text = """\
version: 1
policy: {purpose: telemarketing, compliance: {mode: warn}}
schedules:
  - campaign: Q4 Renewals
    contacts: [US-FL]
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "09:00", end: "21:00"}]
    from: 2026-12-07
    until: 2026-12-11
"""
    file = loads(text, str(tmp_path / "hours.yaml"))

    async def read() -> Any:
        async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
            assert (await org.apply(file)).ok
            return await org.live_calendar(guards=True)

    with ThreadPoolExecutor(1) as pool:  # playwright's loop runs in this thread
        calendar = pool.submit(asyncio.run, read()).result()
    report = live_report_compliance(
        build_report(
            calendar.schedules,
            Policy(audience_conflicts="warn"),
            today=date(2026, 12, 7),
            start=date(2026, 12, 7),
            end=date(2026, 12, 13),
            title="live",
            source="live org",
            audiences=calendar.audiences,
            sizes=calendar.sizes,
            list_names=calendar.list_names,
        ),
        calendar,
        file=file,
    )
    assert report.compliance is not None
    row = next(i for i, r in enumerate(report.rows) if r.label == "Q4 Renewals")
    p = Page(
        browser, report, "timeline-live-hours", fragment="#view=week&week=2026-12-07"
    )
    try:
        assert p.errors == []
        shaded = p.page.locator(f"#rows g.row[data-row='{row}'] rect.nocall")
        assert shaded.count() > 0
        findings = p.page.locator("table.findings tbody tr.finding")
        assert findings.count() == len(report.compliance.findings)
        first = findings.first.inner_text()
        assert "Q4 Renewals" in first
        assert "America/New_York (41,200 contacts)" in first
        assert "violation" in first
        p.page.screenshot(path=str(OUTPUT / "timeline-live-hours.png"), full_page=True)
    finally:
        p.close()
