"""The HTML page as text: self-contained, escaped, and carrying all the data."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from report_fixtures import TODAY, campaign, ny_weekdays

from gcsched.domain.model import Policy, Schedule
from gcsched.report import build_report, to_html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.data_json = ""
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)
        if tag == "script" and ("id", "gcsched-data") in attrs:
            self._in_data = True

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_json += data


def test_page_is_self_contained(schedules: tuple[Schedule, ...]) -> None:
    """No src/href, no http(s) URL, a CSP forbidding fetches, inline CSS and JS."""
    page = to_html(build_report(schedules, Policy(), today=TODAY))
    parser = _Collector()
    parser.feed(page)
    assert parser.urls == []
    assert not re.search(r"https?://", page)
    assert "default-src 'none'" in page
    assert "<style>" in page
    assert "function render()" in page


def test_embedded_data_has_every_row_and_conflict(
    schedules: tuple[Schedule, ...], trim_policy: Policy
) -> None:
    """The JSON in the page has one row per schedule and every conflict."""
    report = build_report(schedules, trim_policy, today=TODAY)
    parser = _Collector()
    parser.feed(to_html(report))
    data = json.loads(parser.data_json)
    assert [r["label"] for r in data["rows"]] == [r.label for r in report.rows]
    assert len(data["conflicts"]) == len(report.conflicts) > 0
    assert data["conflicts"][0]["rows"] == [0, 1]
    assert sum(len(r["occ"]) for r in data["rows"]) == sum(
        len(r.occurrences) for r in report.rows
    )


def test_names_are_escaped_in_html_and_in_the_data() -> None:
    """A campaign named like markup cannot break out of the page or its script."""
    evil = campaign(
        "</script><img src=x onerror=alert(1)>", windows=ny_weekdays().windows
    )
    page = to_html(build_report((evil,), Policy(), today=TODAY, title="<b>t</b>"))
    assert "</script><img" not in page
    assert "<img" not in page
    assert "&lt;b&gt;t&lt;/b&gt;" in page
    parser = _Collector()
    parser.feed(page)
    assert json.loads(parser.data_json)["rows"][0]["label"] == evil.label
