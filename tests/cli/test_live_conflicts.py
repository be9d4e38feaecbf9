"""plan / apply against schedules already in the org that the file does not manage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import EXAMPLE, run

WIN_BACK = """\
version: 1
policy: {{audience_conflicts: {mode}}}
schedules:
  - campaign: Win-back
    time_zone: America/Chicago
    windows: [{{days: [tue, thu], start: "11:00", end: "15:00"}}]
    from: 2026-12-01
    until: 2026-12-31
"""


@pytest.fixture
def state(tmp_path: Path) -> str:
    """A fresh state dir (and so a fresh embedded sandbox org)."""
    return str(tmp_path / "state")


def _file(tmp_path: Path, mode: str) -> str:
    path = tmp_path / f"win-back-{mode}.yaml"
    path.write_text(WIN_BACK.format(mode=mode), encoding="utf-8")
    return str(path)


def test_plan_and_apply_refuse_a_clash_with_a_manual_schedule(
    state: str, tmp_path: Path
) -> None:
    """reject: plan and apply exit 3 naming the manual Lapsed Survey schedule."""
    path = _file(tmp_path, "reject")
    plan = run("plan", path, "--sandbox", "--state-dir", state)
    assert plan.exit_code == 3, plan.output
    assert "Lapsed Survey" in plan.output
    assert "Win-back" in plan.output
    applied = run("apply", path, "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 3, applied.output
    runs = run("runs", "list", "--sandbox", "--state-dir", state)
    assert "No runs yet" in runs.output


def test_plan_json_reports_the_clash_under_warn(state: str, tmp_path: Path) -> None:
    """warn: exit 0, the conflict is in the JSON with the manual schedule winning."""
    result = run(
        "plan", _file(tmp_path, "warn"), "--json", "--sandbox", "--state-dir", state
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    clashes = data["conflicts"]
    assert data["format_version"] == 2
    assert [(c["count"], c["minutes"]) for c in clashes] == [(10, 2400)]  # one pair
    assert {tuple(c["campaigns"]) for c in clashes} == {("Lapsed Survey", "Win-back")}
    assert {c["resolution"] for c in clashes} == {"warn"}
    assert {c["winner"] for c in clashes} == {"Lapsed Survey"}
    assert [c["target_name"] for c in data["changes"]] == ["Win-back"]


def test_example_trims_win_back_and_converges(state: str) -> None:
    """q4.yaml: Win-back loses its hour to Lapsed Survey; apply; re-plan is empty."""
    plan = run("plan", str(EXAMPLE), "--json", "--sandbox", "--state-dir", state)
    data = json.loads(plan.output)
    survey = [c for c in data["conflicts"] if "Lapsed Survey" in c["campaigns"]]
    assert survey
    assert {c["resolution"] for c in survey} == {"trim"}
    assert {c["winner"] for c in survey} == {"Lapsed Survey"}
    names = {c["target_name"] for c in data["changes"]}
    assert "Lapsed Survey" not in names
    applied = run("apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 0, applied.output
    again = run(
        "plan", str(EXAMPLE), "--detailed-exitcode", "--sandbox", "--state-dir", state
    )
    assert again.exit_code == 0, again.output
