"""Confirmed journal steps become audit entries exactly once, across crashes."""

from __future__ import annotations

from pathlib import Path

from audit_helpers import sample_entry

from gcsched.audit import (
    GENESIS,
    AuditLog,
    canonical_json,
    digest,
    entry_for,
    entry_hash,
    record_steps,
)
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal, Run


def _journal_with_confirmed(path: Path, n: int) -> Journal:
    journal = Journal.open(path)
    specs = [
        ChangeSpec(
            "update",
            Family.CAMPAIGNS,
            "campaign",
            f"id{i}",
            f"C{i}",
            3,
            {"v": 3},
            {"v": 4},
        )
        for i in range(n)
    ]
    run = journal.create_run(
        org_id="o", org_name="O", file_path="f", file_sha256="s", checksum="c",
        plan={}, steps=specs,
    )  # fmt: skip
    for step in journal.steps(run.id):
        journal.mark_sent(step.id)
        journal.mark_confirmed(step.id, result={"v": 4}, version_new=4)
    return journal


def test_entries_carry_actor_target_and_digests(tmp_path: Path) -> None:
    """An entry names the client, the target and digests of both bodies."""
    with _journal_with_confirmed(tmp_path / "j.db", 1) as journal:
        [step] = journal.steps(journal.list_runs()[0].id)
        entry = entry_for(step, actor="client-123")
    assert entry["actor"] == "client-123"
    assert entry["target"] == {"kind": "campaign", "id": "id0", "name": "C0"}
    assert entry["before_digest"] == digest({"v": 3})
    assert entry["after_digest"] == digest({"v": 4})
    assert (entry["version_seen"], entry["version_new"]) == (3, 4)
    assert entry["time"].endswith("+00:00")


def test_record_steps_audits_each_confirmed_step_once(tmp_path: Path) -> None:
    """Recording fills the journal's hashes, and the log verifies against them."""
    log = AuditLog(tmp_path / "audit.jsonl")
    with _journal_with_confirmed(tmp_path / "j.db", 3) as journal:
        hashes = record_steps(
            log, journal.unaudited_steps(), actor="c", record=journal.set_audit_hash
        )
        assert len(hashes) == 3
        assert journal.unaudited_steps() == []
        assert journal.audit_hashes() == hashes
        assert (
            record_steps(
                log, journal.unaudited_steps(), actor="c", record=journal.set_audit_hash
            )
            == []
        )
        assert log.verify(journal.audit_hashes()).ok
    assert len(log.entries()) == 3


def test_crash_between_entry_and_journal_makes_no_duplicate(tmp_path: Path) -> None:
    """An entry written before a crash is reused on start, not written again."""
    log = AuditLog(tmp_path / "audit.jsonl")
    with _journal_with_confirmed(tmp_path / "j.db", 2) as journal:
        first, _second = journal.unaudited_steps()
        written = log.append(entry_for(first, actor="c"))  # then "crash"
        hashes = record_steps(
            log, journal.unaudited_steps(), actor="c", record=journal.set_audit_hash
        )
        assert hashes[0] == written
        assert len(log.entries()) == 2
        assert log.verify(journal.audit_hashes()).ok


def _long_log(path: Path, n: int) -> None:
    """A valid chain of `n` entries of other runs, written in one go."""
    prev, lines = GENESIS, []
    for seq in range(1, n + 1):
        entry = {**sample_entry(2, run_id=f"r-old-{seq}"), "seq": seq, "prev": prev}
        entry["hash"] = prev = entry_hash(entry)
        lines.append(canonical_json(entry))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _bytes_read() -> int:
    """What this process has read so far (Linux's /proc/self/io `rchar`)."""
    text = Path("/proc/self/io").read_text()
    return int(
        next(line for line in text.splitlines() if line.startswith("rchar")).split()[1]
    )


def test_recording_steps_does_not_reread_the_log(tmp_path: Path) -> None:
    """Auditing 20 steps next to a long log reads far less than the log once."""
    path = tmp_path / "audit.jsonl"
    _long_log(path, 20_000)
    size = path.stat().st_size
    log = AuditLog(path)
    with _journal_with_confirmed(tmp_path / "j.db", 20) as journal:
        before = _bytes_read()
        for step in journal.unaudited_steps():  # one step at a time, as the runner
            record_steps(log, [step], actor="c", record=journal.set_audit_hash)
        read = _bytes_read() - before
        assert journal.unaudited_steps() == []
        assert log.verify(journal.audit_hashes()).ok
    assert read < size / 4, f"read {read} bytes of a {size}-byte log"


def test_crash_entry_is_found_at_the_end_of_a_long_log(tmp_path: Path) -> None:
    """After a crash, a fresh log object finds the unrecorded last entry."""
    path = tmp_path / "audit.jsonl"
    _long_log(path, 2_000)
    with _journal_with_confirmed(tmp_path / "j.db", 1) as journal:
        [step] = journal.unaudited_steps()
        written = AuditLog(path).append(entry_for(step, actor="c"))  # then "crash"
        again = AuditLog(path)
        assert again.recent(step.run_id, step.id) == written
        assert record_steps(
            again, journal.unaudited_steps(), actor="c", record=journal.set_audit_hash
        ) == [written]
    assert len(AuditLog(path).entries()) == 2_001


def _one_run(journal: Journal, name: str, environment: str | None) -> str:
    spec = ChangeSpec(
        "update", Family.CAMPAIGNS, "campaign", name, name, 3, {"v": 3}, {"v": 4}
    )
    run = journal.create_run(
        org_id="o", org_name="O", file_path="f", file_sha256=name, checksum="c",
        plan={}, steps=[spec], environment=environment,
    )  # fmt: skip
    (step,) = journal.steps(run.id)
    journal.mark_confirmed(step.id, result={"v": 4}, version_new=4)
    return run.id


def test_entries_name_org_and_environment_and_old_ones_still_verify(
    tmp_path: Path,
) -> None:
    """An entry written with its run names the org and the environment (None
    for a file without environments); a log holding entries without them
    (written before 0.3) and entries with them verifies, and an edit of the
    environment is caught."""
    log = AuditLog(tmp_path / "audit.jsonl")
    with Journal.open(tmp_path / "j.db") as journal:
        _one_run(journal, "old", "prod")
        record_steps(
            log, journal.unaudited_steps(), actor="c", record=journal.set_audit_hash
        )
        _one_run(journal, "plain", None)
        prod = _one_run(journal, "new", "prod")
        runs_read: list[str] = []

        def run_of(run_id: str) -> Run:
            runs_read.append(run_id)
            return journal.get_run(run_id)

        record_steps(
            log,
            journal.unaudited_steps(),
            actor="c",
            record=journal.set_audit_hash,
            run_of=run_of,
        )
        assert len(runs_read) == 2  # once per run
        old, plain, new = log.entries()
        assert "environment" not in old
        assert "org" not in old
        assert (plain["org"], plain["environment"]) == ({"id": "o", "name": "O"}, None)
        assert (new["run_id"], new["environment"]) == (prod, "prod")
        assert log.verify(journal.audit_hashes()).ok
        lines = log.path.read_bytes().splitlines(keepends=True)
        lines[2] = lines[2].replace(b'"environment":"prod"', b'"environment":"dev"')
        log.path.write_bytes(b"".join(lines))
        broken = AuditLog(log.path).verify(journal.audit_hashes())
    assert not broken.ok
    assert broken.first_bad_line == 3
