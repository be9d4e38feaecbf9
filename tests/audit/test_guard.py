"""An apply refuses to continue an audit history that is broken or was cut off."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

import gcsched
from gcsched.audit import AuditLog
from gcsched.journal import Journal

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "q4.yaml"
TODAY = date(2026, 11, 27)


async def _apply(state: Path) -> gcsched.ApplyOutcome:
    async with gcsched.connect(sandbox=True, state_dir=state) as org:
        return await org.apply(EXAMPLE, today=TODAY)


async def _applied_once(state: Path) -> bytes:
    outcome = await _apply(state)
    assert outcome.run is not None
    assert outcome.run.status == "succeeded"
    log = (state / "audit.jsonl").read_bytes()
    assert log.count(b"\n") >= 2
    return log


def _fresh_changes(state: Path) -> None:
    """Let the next apply have work again: the org forgets what was applied."""
    (state / "sandbox.json").unlink()


async def test_apply_refuses_a_log_that_does_not_verify(tmp_path: Path) -> None:
    """An edited entry: exit 3, the way out in the message, nothing appended."""
    log = await _applied_once(tmp_path)
    edited = log.replace(b'"action":"create"', b'"action":"delete"', 1)
    (tmp_path / "audit.jsonl").write_bytes(edited)
    _fresh_changes(tmp_path)
    with pytest.raises(gcsched.RefusedError) as info:
        await _apply(tmp_path)
    assert info.value.exit_code == 3
    assert "does not verify" in info.value.message
    assert "gcsched audit verify" in info.value.message
    assert "move it aside" in info.value.message
    assert (tmp_path / "audit.jsonl").read_bytes() == edited


async def test_a_torn_line_the_journal_recorded_is_not_cut(tmp_path: Path) -> None:
    """A last entry cut short (the journal holds its hash) is refused, kept as is."""
    log = await _applied_once(tmp_path)
    torn = log[:-40]  # the last, recorded entry loses its end
    (tmp_path / "audit.jsonl").write_bytes(torn)
    _fresh_changes(tmp_path)
    with pytest.raises(gcsched.RefusedError, match="may be an entry the journal"):
        await _apply(tmp_path)
    assert (tmp_path / "audit.jsonl").read_bytes() == torn
    assert not (tmp_path / "audit.jsonl.torn").exists()


async def test_a_torn_line_nobody_recorded_is_set_aside(tmp_path: Path) -> None:
    """A torn write after the last recorded entry is still repaired, and applied."""
    log = await _applied_once(tmp_path)
    (tmp_path / "audit.jsonl").write_bytes(log + b'{"action":"upd')
    _fresh_changes(tmp_path)
    outcome = await _apply(tmp_path)
    assert outcome.run is not None
    assert outcome.run.status == "succeeded"
    assert (tmp_path / "audit.jsonl.torn").read_bytes() == b'{"action":"upd\n'
    assert AuditLog(tmp_path / "audit.jsonl").verify().ok


async def test_an_emptied_journal_does_not_restart_history(tmp_path: Path) -> None:
    """A new journal next to an audit log with entries is refused."""
    log = await _applied_once(tmp_path)
    for name in ("journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    _fresh_changes(tmp_path)
    with pytest.raises(gcsched.RefusedError, match="journal was emptied") as info:
        await _apply(tmp_path)
    assert "move" in info.value.message
    assert (tmp_path / "audit.jsonl").read_bytes() == log


async def test_a_crash_before_the_first_hash_was_recorded_is_not_refused(
    tmp_path: Path,
) -> None:
    """One entry written, its hash not yet recorded: the journal has the run."""
    await _applied_once(tmp_path)
    db = sqlite3.connect(tmp_path / "journal.sqlite", isolation_level=None)
    db.execute("DELETE FROM audit_hashes")  # entries written, hashes not recorded
    db.execute("UPDATE steps SET audit_hash = NULL")
    db.close()
    outcome = await _apply(tmp_path)
    assert outcome.run is None  # nothing left to do
    log = AuditLog(tmp_path / "audit.jsonl")
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        assert len(journal.audit_hashes()) == len(log.entries())
        assert log.verify(journal.audit_hashes()).ok
