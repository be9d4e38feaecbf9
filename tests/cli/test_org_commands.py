"""plan / apply / export / runs / audit / unlock against the embedded sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import EXAMPLE, run


@pytest.fixture
def state(tmp_path: Path) -> str:
    """A fresh state dir (and so a fresh embedded sandbox org)."""
    return str(tmp_path / "state")


def test_plan_json_and_detailed_exitcode(state: str) -> None:
    """plan --json is design.md's object; --detailed-exitcode exits 4 with changes."""
    result = run("plan", str(EXAMPLE), "--json", "--sandbox", "--state-dir", state)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["org"]["name"] == "Acme Outbound (sandbox)"
    assert data["summary"]["create"] == 11
    assert len(data["checksum"]) == 64
    detailed = run(
        "--sandbox", "--state-dir", state, "plan", str(EXAMPLE), "--detailed-exitcode"
    )
    assert detailed.exit_code == 4


def test_plan_markdown(state: str) -> None:
    """--markdown is a pull-request comment with a summary table."""
    result = run("plan", str(EXAMPLE), "--markdown", "--sandbox", "--state-dir", state)
    assert result.exit_code == 0
    assert "| create" in result.output.lower() or "create |" in result.output.lower()


def test_apply_without_yes_and_no_terminal_refuses(state: str) -> None:
    """No --yes and no terminal: nothing applied, exit 2."""
    result = run("apply", str(EXAMPLE), "--sandbox", "--state-dir", state)
    assert result.exit_code == 2
    assert "--yes" in result.output


def test_apply_with_a_wrong_checksum_is_refused(state: str) -> None:
    """--checksum must match the plan: exit 3."""
    result = run(
        "apply",
        str(EXAMPLE),
        "--yes",
        "--checksum",
        "0" * 64,
        "--sandbox",
        "--state-dir",
        state,
    )
    assert result.exit_code == 3
    assert "checksum" in result.output


def test_apply_then_everything_is_quiet(state: str, tmp_path: Path) -> None:
    """apply converges; plan is empty; runs, audit and export agree."""
    metrics = tmp_path / "metrics.prom"
    applied = run(
        "apply",
        str(EXAMPLE),
        "--yes",
        "--sandbox",
        "--state-dir",
        state,
        "--metrics-file",
        str(metrics),
    )
    assert applied.exit_code == 0, applied.output
    assert "gcsched_" in metrics.read_text()
    again = run(
        "plan", str(EXAMPLE), "--detailed-exitcode", "--sandbox", "--state-dir", state
    )
    assert again.exit_code == 0, again.output
    runs = run("runs", "list", "--state-dir", state)
    assert "succeeded" in runs.output
    verify = run("audit", "verify", "--state-dir", state)
    assert verify.exit_code == 0, verify.output
    exported = tmp_path / "export.yaml"
    result = run("export", "-o", str(exported), "--sandbox", "--state-dir", state)
    assert result.exit_code == 0, result.output
    replan = run(
        "plan", str(exported), "--detailed-exitcode", "--sandbox", "--state-dir", state
    )
    assert replan.exit_code == 0, replan.output


def test_tampered_audit_log_exits_1(state: str) -> None:
    """Editing one audit entry makes `audit verify` fail with the line."""
    assert (
        run("apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", state).exit_code
        == 0
    )
    log = Path(state) / "audit.jsonl"
    lines = log.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"create"', '"delete"')
    log.write_text("".join(lines))
    result = run("audit", "verify", "--state-dir", state)
    assert result.exit_code == 1
    assert "line 2" in result.output


def test_unlock_with_no_lock(state: str) -> None:
    """unlock with nothing held says so."""
    result = run("unlock", "--state-dir", state)
    assert result.exit_code == 0
    assert "No lock" in result.output


def test_no_credentials_is_a_clear_usage_error(state: str) -> None:
    """Without --sandbox and without credentials: exit 2 naming the variables."""
    result = run(
        "plan",
        str(EXAMPLE),
        "--api-url",
        "https://api.mypurecloud.com",
        "--state-dir",
        state,
    )
    assert result.exit_code == 2
    assert "GENESYSCLOUD_OAUTHCLIENT_ID" in result.output
