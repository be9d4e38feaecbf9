"""`report --live` checks the org's audiences as the plan does, and a file report
says loudly that it cannot (issue 10 item 6, report half)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import gcsched
from gcsched.api import report as build_report
from gcsched.cli.app import app, hoist_globals
from gcsched.config import loads
from gcsched.domain.model import Policy

pytestmark = pytest.mark.anyio

#: A sequence and one of its member campaigns, both on "Collections Early", at
#: overlapping times; neither names an `audience:`.
FILE = """
version: 1
policy:
  audience_conflicts: warn
schedules:
  - sequence: Collections Ladder
    time_zone: America/Chicago
    windows: [{days: [mon, tue], start: "09:00", end: "12:00"}]
    from: 2026-12-07
    until: 2026-12-18
  - campaign: Collections 30
    time_zone: America/Chicago
    windows: [{days: [tue], start: "11:00", end: "15:00"}]
    from: 2026-12-07
    until: 2026-12-18
"""


def run(*args: str) -> Result:
    """The CLI in-process, as the console script runs it."""
    return CliRunner().invoke(app, hoist_globals(list(args)), catch_exceptions=False)


async def test_live_calendar_gives_sequences_their_campaigns_lists(
    tmp_path: Path,
) -> None:
    """The sequence's audience is its campaigns' contact list; the live report
    finds the conflict the offline one cannot, with the list's size known."""
    schedule_file = loads(FILE, "collections.yaml")
    offline = build_report(
        schedule_file.schedules,
        schedule_file.policy,
        today=schedule_file.schedules[0].from_,  # type: ignore[arg-type]
    )
    assert offline.conflicts == ()
    assert "no schedule names an `audience:`" in offline.audience_warning

    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        outcome = await org.apply(schedule_file)
        assert outcome.ok
        calendar = await org.live_calendar()
    assert calendar.org_name == "Acme Outbound (sandbox)"
    assert (
        calendar.audiences["Collections Ladder"] == calendar.audiences["Collections 30"]
    )
    (shared,) = calendar.audiences["Collections Ladder"]
    assert calendar.list_names[shared] == "Collections Early"
    assert calendar.sizes == {shared: 6200}
    live = build_report(
        calendar.schedules,
        Policy(audience_conflicts="warn"),
        today=schedule_file.schedules[0].from_,  # type: ignore[arg-type]
        audiences=calendar.audiences,
        sizes=calendar.sizes,
        list_names=calendar.list_names,
    )
    assert live.audiences == "org"
    assert live.audience_warning == ""
    assert {frozenset(c.campaigns) for c in live.conflicts} == {
        frozenset({"Collections Ladder", "Collections 30"})
    }
    assert {c.contact_list for c in live.conflicts} == {"Collections Early"}
    assert not any("unknown offline" in w for w in live.warnings)
    rows = {r.label: r.audience for r in live.rows}
    assert rows["Collections Ladder"] == "Collections Early"


def test_cli_report_live_and_offline(tmp_path: Path) -> None:
    """The CLI: --live reports the sequence's conflict with no audience warning;
    the same file offline warns on stderr and in the JSON."""
    state = str(tmp_path / "state")
    path = tmp_path / "collections.yaml"
    path.write_text(FILE, encoding="utf-8")
    applied = run("apply", str(path), "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 0, applied.output

    live = run(
        "report", "--live", "--format", "json", "--from", "2026-12-07",
        "--to", "2026-12-18", "--sandbox", "--state-dir", state,
    )  # fmt: skip
    assert live.exit_code == 0, live.output
    data = json.loads(live.stdout)
    assert data["audiences"] == "org"
    assert {frozenset(c["campaigns"]) for c in data["conflicts"]} == {
        frozenset({"Collections Ladder", "Collections 30"})
    }
    assert not any("unknown offline" in w for w in data["warnings"])
    assert "warning" not in live.stderr

    offline = run("report", str(path), "--format", "json")
    assert offline.exit_code == 0, offline.output
    data = json.loads(offline.stdout)
    assert data["audiences"] == "file"
    assert data["conflicts"] == []
    assert data["warnings"][0].startswith("Offline, this report does not know")
    assert "warning: Offline" in offline.stderr
