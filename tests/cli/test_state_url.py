"""The CLI with `--state-url` / GCSCHED_STATE_URL: every state command reads
and writes the database; nothing lands in the state dir; no password shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import EXAMPLE, run

from gcsched.journal.postgres import PostgresStore


def test_apply_runs_audit_and_unlock_on_the_database(
    pg_url: str, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    sandbox = ("--sandbox", "--state-dir", str(state), "--state-url", pg_url)
    applied = run("apply", str(EXAMPLE), "--yes", *sandbox)
    assert applied.exit_code == 0, applied.output
    assert not (state / "journal.sqlite").exists()
    assert not (state / "audit.jsonl").exists()
    with PostgresStore.connect(pg_url) as store:
        (only,) = store.list_runs()
        assert only.status == "succeeded"
    listed = run("runs", "list", "--state-url", pg_url, "--state-dir", str(state))
    assert listed.exit_code == 0
    assert "succeeded" in listed.output
    shown = run("runs", "show", only.id[:12], "--state-url", pg_url)
    assert shown.exit_code == 0, shown.output
    verified = run("audit", "verify", "--state-url", pg_url)
    assert verified.exit_code == 0, verified.output
    exported = run("audit", "export", "--state-url", pg_url)
    assert exported.exit_code == 0
    assert exported.output.count("\n") >= 1
    unlocked = run("unlock", "--state-url", pg_url)
    assert unlocked.exit_code == 0
    assert "No lock was held" in unlocked.output
    again = run("apply", str(EXAMPLE), "--yes", *sandbox)
    assert again.exit_code == 0, again.output
    with PostgresStore.connect(pg_url) as store:
        assert len(store.list_runs()) == 1  # nothing to do: no new run


def test_the_environment_variable_selects_the_database(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GCSCHED_STATE_URL", pg_url)
    state = tmp_path / "state"
    applied = run(
        "apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", str(state)
    )
    assert applied.exit_code == 0, applied.output
    assert not (state / "journal.sqlite").exists()
    with PostgresStore.connect(pg_url) as store:
        assert len(store.list_runs()) == 1


def test_a_held_lock_refuses_apply_with_exit_3(pg_url: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    sandbox = ("--sandbox", "--state-dir", str(state), "--state-url", pg_url)
    assert run("apply", str(EXAMPLE), "--yes", *sandbox).exit_code == 0
    with PostgresStore.connect(pg_url) as store:
        org_id = store.list_runs()[0].org_id
    with PostgresStore.connect(pg_url, org_id=org_id) as holder:
        holder.lock.acquire(command="apply other.yaml")
        refused = run("apply", str(EXAMPLE), "--yes", *sandbox, "--lock-timeout", "0.5")
        assert refused.exit_code == 3
        assert "apply other.yaml" in refused.output
        live = run("unlock", "--state-url", pg_url)
        assert live.exit_code == 3
        assert "unlock --force" in live.output


def test_bad_urls_are_usage_errors_without_their_password(tmp_path: Path) -> None:
    wrong = run("runs", "list", "--state-url", "mysql://u:hunter22@h/db")
    assert wrong.exit_code == 2
    assert "postgresql://" in wrong.output
    assert "hunter22" not in wrong.output
    gone = run("runs", "list", "--state-url", "postgresql://u:hunter22@127.0.0.1:1/db")
    assert gone.exit_code == 1
    assert "hunter22" not in gone.output
    assert "[REDACTED]" in gone.output
