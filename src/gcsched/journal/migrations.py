"""Numbered schema migrations of the journal, keyed on ``PRAGMA user_version``.

Migration *n* brings a database from ``user_version = n - 1`` to ``n``. Each runs
in its own transaction together with the ``user_version`` bump, so a crash
mid-migration leaves the previous version intact. Never edit a released
migration: append a new one.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from gcsched.errors import JournalError

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "migrate",
    "refuse_foreign",
]

#: ``PRAGMA application_id`` of a gcsched journal ("gcsj").
APPLICATION_ID: Final = 0x6763736A

MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: runs, steps, the transactional outbox, disabled endpoints, audit hashes.
    (
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            org_id TEXT NOT NULL,
            org_name TEXT NOT NULL,
            file_path TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            checksum TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            summary TEXT NOT NULL,
            plan TEXT NOT NULL
        )""",
        "CREATE INDEX runs_open ON runs (org_id, file_sha256, status)",
        "CREATE INDEX runs_created ON runs (created_at)",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            action TEXT NOT NULL,
            kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            target_name TEXT NOT NULL,
            version_seen INTEGER,
            before TEXT,
            after TEXT,
            status TEXT NOT NULL,
            result TEXT,
            error TEXT,
            version_new INTEGER,
            audit_hash TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (run_id, seq)
        )""",
        "CREATE INDEX steps_unaudited ON steps (status, audit_hash)",
        """CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            endpoint_url TEXT NOT NULL,
            secret_env TEXT NOT NULL,
            retry TEXT NOT NULL,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            run_id TEXT,
            step_id INTEGER,
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            last_status INTEGER,
            last_error TEXT
        )""",
        "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
        """CREATE TABLE disabled_endpoints (
            url TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            disabled_at TEXT NOT NULL
        )""",
        # Kept when runs are pruned: `audit verify` must still see every head.
        """CREATE TABLE audit_hashes (
            n INTEGER PRIMARY KEY AUTOINCREMENT,
            hash TEXT NOT NULL,
            run_id TEXT NOT NULL,
            step_id INTEGER NOT NULL,
            recorded_at TEXT NOT NULL
        )""",
    ),
    # 2: what `gcsched doctor` found out about each org (one row per org).
    (
        """CREATE TABLE doctor_facts (
            org_id TEXT PRIMARY KEY,
            org_name TEXT NOT NULL,
            facts TEXT NOT NULL,
            observed_at TEXT NOT NULL,
            probed INTEGER NOT NULL
        )""",
    ),
    # 3: ownership records, one per schedule gcsched wrote (journal/ownership.py).
    # No foreign key to runs: a record outlives the pruning of the run that wrote it.
    (
        """CREATE TABLE ownership (
            org_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            family TEXT NOT NULL,
            target_id TEXT NOT NULL,
            project TEXT NOT NULL,
            version INTEGER,
            date_created TEXT,
            run_id TEXT,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (org_id, environment, family, target_id)
        )""",
    ),
    # 4: a run's plan in a table of its own, written once when the run starts.
    # Every step transition touches its run's row (`updated_at`) and SQLite
    # rewrites a whole row on update, so a run row that held a large plan was
    # rewritten at every step. `runs.plan` stays, empty ('{}'), for portability
    # (DROP COLUMN needs SQLite 3.35).
    (
        """CREATE TABLE run_plans (
            run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            plan TEXT NOT NULL
        )""",
        "INSERT INTO run_plans (run_id, plan) SELECT id, plan FROM runs",
        "UPDATE runs SET plan = '{}'",
    ),
    # 5: the full body of each schedule a step changes, as read before the run
    # (`steps.before` holds its canonical form for display): `runs revert`
    # sends it back, so a schedule gcsched did not create can be restored.
    ("ALTER TABLE steps ADD COLUMN prior TEXT",),
    # 6: environments. A run names its environment (NULL: the file has none),
    # the run it reverts and the webhook endpoints it notified (so its revert
    # notifies them too); a step keeps the ownership record its target had when
    # the run started (JSON; 'null': none), which its revert restores.
    # Ownership belongs to the org: the table is rebuilt keyed by (org_id,
    # family, target_id), `environment` now the environment that last wrote
    # the record (docs/state.md "Environments"). Should an old journal hold
    # one target under several environments, the newest record is kept.
    (
        "ALTER TABLE runs ADD COLUMN environment TEXT",
        "ALTER TABLE runs ADD COLUMN reverts TEXT",
        "ALTER TABLE runs ADD COLUMN webhooks TEXT",
        "ALTER TABLE steps ADD COLUMN prior_owner TEXT",
        """CREATE TABLE ownership_by_org (
            org_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            family TEXT NOT NULL,
            target_id TEXT NOT NULL,
            project TEXT NOT NULL,
            version INTEGER,
            date_created TEXT,
            run_id TEXT,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (org_id, family, target_id)
        )""",
        """INSERT INTO ownership_by_org (org_id, environment, family, target_id,
            project, version, date_created, run_id, recorded_at)
        SELECT o.org_id, o.environment, o.family, o.target_id, o.project,
            o.version, o.date_created, o.run_id, o.recorded_at
        FROM ownership AS o WHERE NOT EXISTS (
            SELECT 1 FROM ownership AS n WHERE n.org_id = o.org_id
            AND n.family = o.family AND n.target_id = o.target_id
            AND (n.recorded_at > o.recorded_at OR (n.recorded_at = o.recorded_at
                AND n.environment > o.environment)))""",
        "DROP TABLE ownership",
        "ALTER TABLE ownership_by_org RENAME TO ownership",
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)


def refuse_foreign(conn: sqlite3.Connection, where: str) -> int:
    """Check, reading only, that the database on `conn` is (or can be) a journal.

    Runs before anything is written, so another application's file is refused
    unchanged (not even switched to WAL).

    Returns:
        The database's schema version (``PRAGMA user_version``).

    Raises:
        JournalError: another application's database, or a newer journal schema.
    """
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id not in (0, APPLICATION_ID):
        msg = f"{where} is an SQLite database of another application, not a journal"
        raise JournalError(msg)
    if version > SCHEMA_VERSION:
        msg = (
            f"{where} has journal schema version {version}, newer than this gcsched "
            f"understands ({SCHEMA_VERSION}); upgrade gcsched"
        )
        raise JournalError(msg)
    if version == 0:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if tables:
            msg = f"{where} is an SQLite database with other tables, not a journal"
            raise JournalError(msg)
    return version


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the database on `conn` to `SCHEMA_VERSION`.

    Args:
        conn: an autocommit connection (``isolation_level=None``).
        where: the file path, for error messages.

    Returns:
        The number of migrations applied (0 when already current).

    Raises:
        JournalError: the file is another application's database, or was written
            by a newer gcsched.
    """
    version = refuse_foreign(conn, where)
    applied = 0
    for number in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current >= number:
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied += 1
    return applied
