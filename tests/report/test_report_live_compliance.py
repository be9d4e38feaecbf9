"""`report --live` carries calling-hour findings (issue 14 item 5, live half).

The org's schedules are checked with the purposes, contacts and
``policy.compliance`` of ``--file`` for the campaigns it names, ``--purpose``
for the rest, zones from each campaign's list preview and guards from the org.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import gcsched
from gcsched.api import report as build_report
from gcsched.api.compliance import live_report_compliance
from gcsched.cli.app import app, hoist_globals
from gcsched.config import loads
from gcsched.domain.model import Policy
from gcsched.errors import InputError

pytestmark = pytest.mark.anyio

#: Q4 Renewals dials Retail Renewals (Florida; automatic time-zone mapping
#: with the org's 08:00-21:00 mapped window, wider than Florida's 20:00).
FILE = """\
version: 1
policy:
  purpose: telemarketing
  compliance: {mode: MODE}
schedules:
  - campaign: Q4 Renewals
    contacts: [US-FL]
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "09:00", end: "21:00"}]
    from: 2026-12-07
    until: 2026-12-11
"""


def run(*args: str) -> Result:
    """The CLI in-process, as the console script runs it."""
    return CliRunner().invoke(app, hoist_globals(list(args)), catch_exceptions=False)


def _write(tmp_path: Path, mode: str = "warn") -> Path:
    path = tmp_path / f"hours-{mode}.yaml"
    path.write_text(FILE.replace("MODE", mode), encoding="utf-8")
    return path


def _live(tmp_path: Path, *options: str) -> dict[str, Any]:
    state = ["--sandbox", "--state-dir", str(tmp_path / "state")]
    out = tmp_path / "live.json"
    result = run(
        *state,
        "report",
        "--live",
        *options,
        "--from",
        "2026-12-07",
        "--to",
        "2026-12-13",
        "--format",
        "json",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def _applied(tmp_path: Path) -> Path:
    path = _write(tmp_path)
    state = ["--sandbox", "--state-dir", str(tmp_path / "state")]
    applied = run(*state, "apply", "--yes", str(path))
    assert applied.exit_code == 0, applied.output
    return path


def test_live_report_json_has_the_files_findings_with_org_guards(
    tmp_path: Path,
) -> None:
    path = _applied(tmp_path)
    enforce = _write(tmp_path, "enforce")
    data = _live(tmp_path, "--file", str(enforce))
    assert data["compliance_mode"] == "enforce"
    ours = [f for f in data["compliance"] if f["schedule"] == "Q4 Renewals"]
    # the org's ATZM window lets 20:00-20:59 Eastern through: a violation, in
    # the zone the list's preview counts 41,200 contacts in
    assert [(f["zone"], f["status"], f["contacts"]) for f in ours] == [
        ("America/New_York", "violation", 41200)
    ]
    (row,) = [s for s in data["schedules"] if s["label"] == "Q4 Renewals"]
    assert row["compliance"] == ours
    # the demo org's own schedule is not in the file and no --purpose is given:
    # one line says so, not one per day
    unchecked = [w for w in data["warnings"] if "not checked" in w]
    assert unchecked == [
        "calling hours: not checked (no purpose: give --purpose, or a purpose in "
        "--file): Lapsed Survey"
    ]
    assert not [f for f in data["compliance"] if f["schedule"] == "Lapsed Survey"]
    # the file's warn mode and a purpose for the rest check Lapsed Survey too
    both = _live(tmp_path, "--file", str(path), "--purpose", "telemarketing")
    assert both["compliance_mode"] == "warn"
    assert {f["schedule"] for f in both["compliance"]} == {
        "Q4 Renewals",
        "Lapsed Survey",
    }
    assert not [w for w in both["warnings"] if "not checked (no purpose" in w]


def test_live_report_with_a_purpose_only(tmp_path: Path) -> None:
    """No file: every schedule under --purpose, contacts from the previews or
    the country of their zone, default packs and mode warn."""
    data = _live(tmp_path, "--purpose", "telemarketing")
    assert data["compliance_mode"] == "warn"
    assert {f["schedule"] for f in data["compliance"]} == {"Lapsed Survey"}
    assert (
        "calling hours: Lapsed Survey: contact list 'Lapsed Customers' has "
        "automatic time-zone mapping off, so the org gives no time-zone mapping "
        "preview: checked in every zone of the assumed contacts [US]"
    ) in data["warnings"]


def test_live_report_without_a_check_is_as_before(tmp_path: Path) -> None:
    data = _live(tmp_path)
    assert "compliance" not in data


def test_live_html_shades_rows_and_lists_findings(tmp_path: Path) -> None:
    _applied(tmp_path)
    html = tmp_path / "live.html"
    state = ["--sandbox", "--state-dir", str(tmp_path / "state")]
    result = run(
        *state,
        "report",
        "--live",
        "--purpose",
        "telemarketing",
        "--file",
        str(_write(tmp_path)),
        "-o",
        str(html),
    )
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert 'aria-labelledby="hours-h"' in page
    assert "America/New_York (41,200 contacts)" in page
    match = re.search(r'id="gcsched-data">(.*?)</script>', page, re.S)
    assert match is not None
    rows = {r["label"]: r for r in json.loads(match.group(1))["rows"]}
    assert rows["Q4 Renewals"]["nc"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--purpose", "telemarketing"), "--file and --purpose go with --live"),
        (("--file", "x.yaml"), "--file and --purpose go with --live"),
    ],
)
def test_the_options_need_live(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("report", str(_write(tmp_path)), *args)
    assert result.exit_code == 2
    assert message in result.output


async def test_an_unknown_purpose_and_mode_off(tmp_path: Path) -> None:
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        calendar = await org.live_calendar(guards=True)
    value = build_report(
        calendar.schedules,
        Policy(audience_conflicts="warn"),
        today=date(2026, 12, 7),
        start=date(2026, 12, 7),
        end=date(2026, 12, 13),
    )
    with pytest.raises(InputError, match="unknown purpose 'sales'"):
        live_report_compliance(value, calendar, purpose="sales")
    off = loads(
        textwrap.dedent(FILE.replace("MODE", "off")), str(tmp_path / "off.yaml")
    )
    assert live_report_compliance(value, calendar, file=off, purpose="research") is (
        value
    )
    # guards not read: the check still runs, on the file's regions
    bare = await _calendar_without_guards(tmp_path)
    checked = live_report_compliance(value, bare, purpose="telemarketing")
    assert checked.compliance is not None
    assert not [w for w in checked.warnings if "time-zone mapping preview" in w]


async def _calendar_without_guards(tmp_path: Path) -> Any:
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "bare") as org:
        return await org.live_calendar()


async def test_guard_warnings_and_a_zone_of_no_country(tmp_path: Path) -> None:
    """Win-back in UTC: no contacts, no preview, no country: a note, no finding;
    the campaign rule that turns Win-back off is a warning of the report."""
    text = """\
version: 1
policy: {audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: Etc/UTC
    windows: [{days: [mon-fri], start: "13:00", end: "23:00"}]
    from: 2026-12-07
    until: 2026-12-11
"""
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        assert (await org.apply(loads(text, str(tmp_path / "w.yaml")))).ok
        calendar = await org.live_calendar(guards=True)
    value = build_report(
        calendar.schedules,
        Policy(audience_conflicts="warn"),
        today=date(2026, 12, 7),
        start=date(2026, 12, 7),
        end=date(2026, 12, 13),
    )
    checked = live_report_compliance(value, calendar, purpose="telemarketing")
    assert checked.compliance is not None
    assert not [f for f in checked.compliance.findings if f.schedule == "Win-back"]
    assert (
        "Win-back: no contacts, and Etc/UTC belongs to no country: not checked; "
        "add contacts: [REGION, ...]"
    ) in checked.compliance.notes
    assert [w for w in checked.warnings if w.startswith("campaign rule 'Win-back")]
