"""`AuditLog.find` looks an entry up by run and step, whatever else the log holds."""

from __future__ import annotations

from pathlib import Path

from audit_helpers import sample_entry

from gcsched.audit import AuditLog


def test_find_matches_run_and_step_exactly(tmp_path: Path) -> None:
    """Run ids that prefix each other and step ids that share digits never mix."""
    log = AuditLog(tmp_path / "audit.jsonl")
    short = log.append(sample_entry(1, run_id="r1"))
    longer = log.append(sample_entry(1, run_id="r10"))
    step10 = log.append({**sample_entry(1, run_id="r1"), "step_id": 10})
    assert log.find("r1", 1) == short
    assert log.find("r10", 1) == longer
    assert log.find("r1", 10) == step10
    assert log.find("r10", 10) is None
    assert log.find("r", 1) is None


def test_find_ignores_the_run_id_inside_other_text(tmp_path: Path) -> None:
    """A target name that spells out another run's id is not that run's entry."""
    log = AuditLog(tmp_path / "audit.jsonl")
    entry = sample_entry(2, run_id="r-other")
    entry["target"] = {"kind": "campaign", "id": "c", "name": '"run_id":"r-x"'}
    log.append(entry)
    assert log.find("r-x", 2) is None
    assert log.find("r-other", 2) is not None


def test_find_reads_non_ascii_run_ids_and_skips_damaged_lines(tmp_path: Path) -> None:
    """Run ids are matched as canonical JSON text; damaged lines are skipped."""
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    wanted = log.append(sample_entry(3, run_id="r-Zürich"))
    with path.open("ab") as handle:
        handle.write(b'{"run_id":"r-Z\xc3\xbcrich","step_id":3, "edited": 1}\n')
    assert log.find("r-Zürich", 3) == wanted
    assert log.find("r-Zürich", 4) is None


def test_find_on_a_missing_log_is_none(tmp_path: Path) -> None:
    """No log file yet: nothing is found."""
    assert AuditLog(tmp_path / "none.jsonl").find("r1", 1) is None
