"""A run's plan is written once, in its own table; step transitions stay small."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from journal_helpers import SpecFactory

from gcsched.journal import Journal
from gcsched.journal.migrations import MIGRATIONS, SCHEMA_VERSION

#: A plan as large as a five-year file's (here 4 MB of explicit intervals).
BIG_PLAN = {"changes": [{"after": {"intervals": ["x" * 1000] * 4000}}]}


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _statements(journal: Journal) -> list[str]:
    """Every SQL statement the journal's connection runs from now on."""
    seen: list[str] = []
    journal.db._conn.set_trace_callback(seen.append)
    return seen


def test_step_transitions_never_rewrite_the_plan(
    tmp_path: Path, spec: SpecFactory
) -> None:
    """20 transitions of a run with a 4 MB plan write kilobytes, not 20 plans."""
    path = tmp_path / "journal.sqlite"
    with Journal.open(path) as journal:
        run = journal.create_run(
            org_id="org-1",
            org_name="Acme",
            file_path="f.yaml",
            file_sha256="a" * 64,
            checksum="c" * 64,
            plan=BIG_PLAN,
            steps=[spec(f"C{i}") for i in range(10)],
        )
        assert run.plan == BIG_PLAN  # returned as written, not read back
        journal.db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        assert _wal_bytes(path) == 0
        seen = _statements(journal)
        for step in journal.steps(run.id):
            journal.mark_sent(step.id)
            journal.mark_confirmed(step.id, result={"v": 1}, version_new=1)
        journal.finish_run(run.id, "succeeded", summary={})
        assert not [s for s in seen if "run_plans" in s]
        assert _wal_bytes(path) < 400_000  # ~4 KB pages per write
        assert journal.get_run(run.id).plan == BIG_PLAN
        stored = journal.db.query("SELECT count(*) AS n FROM run_plans")[0]["n"]
        assert stored == 1
        (row,) = journal.db.query("SELECT length(plan) AS n FROM runs")
        assert row["n"] == 2  # '{}': the run row stays small


@pytest.mark.parametrize("journal", ["sqlite"], indirect=True)  # traces SQLite
def test_lists_of_runs_never_read_plans(journal: Journal, spec: SpecFactory) -> None:
    """open_runs and list_runs read run rows only; get_run reads the plan."""
    run = journal.create_run(
        org_id="org-1",
        org_name="Acme",
        file_path="f.yaml",
        file_sha256="a" * 64,
        checksum="c" * 64,
        plan={"summary": {"create": 1}},
        steps=[spec("C1")],
    )
    seen = _statements(journal)
    assert [r.plan for r in journal.list_runs()] == [{}]
    assert [r.plan for r in journal.open_runs("org-1")] == [{}]
    assert not [s for s in seen if "run_plans" in s]
    assert journal.get_run(run.id[:8]).plan == {"summary": {"create": 1}}


def test_a_journal_of_schema_3_moves_its_plans(tmp_path: Path) -> None:
    """An existing journal opens: its plans move to run_plans, prune takes them."""
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:3]:
        for statement in migration:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO runs VALUES ('r1', 'org-1', 'Acme', 'f.yaml', 'a', 'c',"
        " 'succeeded', '2026-01-01T00:00:00.000000+00:00',"
        " '2026-01-01T00:00:00.000000+00:00', '{}', '{\"format_version\":1}')"
    )
    conn.close()
    with Journal.open(path) as journal:
        assert journal.get_run("r1").plan == {"format_version": 1}
        (row,) = journal.db.query("SELECT plan FROM runs")
        assert row["plan"] == "{}"
        assert journal.prune(older_than=timedelta(0)).deleted
        assert journal.db.query("SELECT * FROM run_plans") == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    conn.close()
