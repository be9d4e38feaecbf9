"""Read-only local commands on an empty state dir create nothing and say why."""

from __future__ import annotations

from pathlib import Path

from cli_support import EXAMPLE, run


def test_runs_show_without_a_journal_is_usage(tmp_path: Path) -> None:
    """`runs show` with no journal exits 2 and names the path; nothing is created."""
    state = tmp_path / "state"
    result = run("runs", "show", "abc", "--state-dir", str(state))
    assert result.exit_code == 2
    assert "no journal" in result.output
    assert not state.exists()


def test_flush_and_enable_without_a_journal_do_nothing(tmp_path: Path) -> None:
    """`webhooks flush` and `enable` on an empty state dir are no-ops."""
    state = tmp_path / "state"
    flushed = run("webhooks", "flush", "--state-dir", str(state))
    assert flushed.exit_code == 0
    assert "delivered 0" in flushed.output
    enabled = run(
        "webhooks", "enable", "https://hooks.example.com/x", "--state-dir", str(state)
    )
    assert enabled.exit_code == 0
    assert "was not disabled" in enabled.output
    assert not state.exists()


def test_a_noop_apply_still_writes_the_metrics_file(tmp_path: Path) -> None:
    """apply with nothing to do refreshes --metrics-file (no stale collector data)."""
    state = str(tmp_path / "state")
    assert (
        run("apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", state).exit_code
        == 0
    )
    metrics = tmp_path / "noop.prom"
    again = run(
        "apply",
        str(EXAMPLE),
        "--yes",
        "--sandbox",
        "--state-dir",
        state,
        "--metrics-file",
        str(metrics),
    )
    assert again.exit_code == 0
    assert "No changes: the org already matches the file" in again.output
    assert "gcsched_api_requests_total" in metrics.read_text()
