"""The PostgreSQL state backend: journal, outbox, audit chain and lock in a database.

`PostgresStore.connect(url)` opens it (psycopg 3, imported only here: the
SQLite default never loads it). The tables and their SQL are the journal's own
(`gcsched.journal.store.TableStore`), run through `dialect`; the apply lock is
an advisory lock per org plus a row naming its holder (`lock`); the audit
chain's lines are rows (`gcsched.audit.stored.StoredAuditLog` reads them).
"""

from __future__ import annotations

from gcsched.journal.postgres.database import PgDatabase
from gcsched.journal.postgres.lock import PgLock, unlock_postgres
from gcsched.journal.postgres.store import PostgresStore
from gcsched.journal.postgres.url import display_url, is_postgres_url

__all__ = [
    "PgDatabase",
    "PgLock",
    "PostgresStore",
    "display_url",
    "is_postgres_url",
    "unlock_postgres",
]
