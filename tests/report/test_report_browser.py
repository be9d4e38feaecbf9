"""The HTML timeline in a real browser: Debian's chromium driven by Playwright."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import TODAY, many_campaigns

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

    def __init__(self, browser: Any, report: Report, name: str, **context: Any) -> None:
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
        self.page.goto(self.url)
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
