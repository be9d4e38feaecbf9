"""The audit chain in PostgreSQL: the file's entries and hashes, tamper evidence,
the same export, and `gcsched audit verify` over the database."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import psycopg
import pytest
from audit_helpers import sample_entry, sample_log

from gcsched.api.local import audit_entries, audit_export, audit_verify
from gcsched.api.state import StatePaths
from gcsched.audit.log import AuditLog
from gcsched.audit.stored import StoredAuditLog
from gcsched.errors import AuditError, InputError
from gcsched.journal.postgres import PostgresStore


def _stored(store: PostgresStore, n: int) -> tuple[StoredAuditLog, list[str]]:
    log = StoredAuditLog(store, store.where)
    return log, [log.append(sample_entry(i)) for i in range(1, n + 1)]


def test_same_entries_hashes_and_export_as_the_file(
    pg_url: str, tmp_path: Path
) -> None:
    file_log, file_hashes = sample_log(tmp_path / "audit.jsonl", 4)
    with PostgresStore.connect(pg_url) as store:
        log, hashes = _stored(store, 4)
        assert hashes == file_hashes
        assert log.verify(hashes).ok
        assert log.entries() == file_log.entries()
        assert log.head() == file_log.head() == hashes[-1]
        assert log.recent(sample_entry(2)["run_id"], 2) == hashes[1]
        assert log.find("r-other", 2) is None
        assert not log.has_torn_tail()
        out = io.StringIO()
        assert log.export(out) == 4
        assert out.getvalue().encode() == (tmp_path / "audit.jsonl").read_bytes()
        with pytest.raises(AuditError, match="lacks"):
            log.append({"time": "t"})


def _tamper(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.parametrize(
    ("sql", "line", "problem"),
    [
        (
            "UPDATE audit_log SET line = replace(line, 'C2', 'C9') WHERE seq = 2",
            2,
            "edited",
        ),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "seq is 3, expected 2"),
        (
            "UPDATE audit_log a SET line = b.line FROM audit_log b"
            " WHERE (a.seq, b.seq) IN ((2, 3), (3, 2))",
            2,
            "seq is 3, expected 2",
        ),
        ("DELETE FROM audit_log WHERE seq = 4", 4, "recorded is missing"),
    ],
    ids=["edit", "delete", "reorder", "truncate"],
)
def test_tampering_with_the_rows_is_detected(
    pg_url: str, sql: str, line: int, problem: str
) -> None:
    with PostgresStore.connect(pg_url) as store:
        log, hashes = _stored(store, 4)
        _tamper(pg_url, sql)
        verdict = log.verify(hashes)
    assert not verdict.ok
    assert verdict.first_bad_line == line
    assert problem in (verdict.problem or "")


def test_concurrent_appends_never_fork_the_chain(pg_url: str) -> None:
    """Runners of different orgs share the chain: appends take turns."""
    stores = [PostgresStore.connect(pg_url) for _ in range(3)]
    try:

        def append(store: PostgresStore, k: int) -> None:
            log = StoredAuditLog(store, store.where)
            for i in range(1, 6):
                log.append(sample_entry(i, run_id=f"r-{k}"))

        threads = [
            threading.Thread(target=append, args=(store, k))
            for k, store in enumerate(stores)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        verdict = StoredAuditLog(stores[0], stores[0].where).verify()
        assert verdict.ok
        assert verdict.entries == 15
    finally:
        for store in stores:
            store.close()


def test_audit_commands_read_the_database(pg_url: str, tmp_path: Path) -> None:
    """`audit verify`, `audit show` and `audit export` with --state-url."""
    state = StatePaths.at(tmp_path / "unused", pg_url)
    with PostgresStore.connect(pg_url) as store:
        log, _ = _stored(store, 3)
        assert state.audit_log(store).entries() == log.entries()
    assert audit_verify(state).ok
    assert len(audit_entries(state, run_id=sample_entry(1)["run_id"])) == 3
    out = io.StringIO()
    audit_export(state, out)
    assert len(out.getvalue().splitlines()) == 3
    _tamper(pg_url, "UPDATE audit_log SET line = line || ' ' WHERE seq = 3")
    verdict = audit_verify(state)
    assert not verdict.ok
    assert verdict.first_bad_line == 3
    assert not (tmp_path / "unused").exists()  # nothing local was created
    with pytest.raises(InputError, match="read through its store"):
        state.audit_log()
    assert isinstance(StatePaths.at(tmp_path).audit_log(), AuditLog)
