"""Where gcsched keeps its state: the `--state-dir` (default `.gcsched/`), or a
PostgreSQL database (`--state-url` / ``GCSCHED_STATE_URL``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gcsched.errors import InputError
from gcsched.journal.files import check_state_dir, check_state_file

if TYPE_CHECKING:
    from gcsched.audit import AuditLog
    from gcsched.journal import Journal, LockInfo
    from gcsched.journal.postgres import PostgresStore

__all__ = ["DEFAULT_STATE_DIR", "STATE_URL_VARIABLE", "StatePaths"]

DEFAULT_STATE_DIR = ".gcsched"

#: The environment variable naming the state database (as `--state-url`).
STATE_URL_VARIABLE = "GCSCHED_STATE_URL"


@dataclass(frozen=True, slots=True)
class StatePaths:
    """The files under the state dir, or the state database.

    With `url` (``postgresql://...``) the journal, outbox, audit chain,
    ownership records, doctor facts and the apply lock live in that database;
    the state dir keeps only what is local (the embedded sandbox's org).
    """

    root: Path
    url: str | None = None

    @classmethod
    def at(cls, root: str | Path | None, url: str | None = None) -> StatePaths:
        """The state under `root` (default `.gcsched/`), or in database `url`.

        Raises:
            InputError: `url` is given but is not a ``postgresql://`` URL.
        """
        if url:
            from gcsched.journal.postgres.url import display_url

            display_url(url)  # refuses another scheme at once
        return cls(Path(root if root is not None else DEFAULT_STATE_DIR), url or None)

    @property
    def where(self) -> str:
        """The state, for messages: the state dir, or the database without its
        password."""
        if self.url is None:
            return str(self.root)
        from gcsched.journal.postgres.url import display_url

        return display_url(self.url)

    @property
    def journal(self) -> Path:
        """The SQLite journal of runs, steps and the webhook outbox."""
        return self.root / "journal.sqlite"

    @property
    def audit(self) -> Path:
        """The hash-chained audit log."""
        return self.root / "audit.jsonl"

    @property
    def lock(self) -> Path:
        """The single-writer lock file."""
        return self.root / "lock"

    @property
    def sandbox(self) -> Path:
        """The embedded sandbox's persisted org (for `--sandbox`)."""
        return self.root / "sandbox.json"

    def has_journal(self) -> bool:
        """Whether there is a journal to read (a database always has one)."""
        return self.url is not None or self.journal.exists()

    def open_store(self, *, org_id: str | None = None) -> Journal | PostgresStore:
        """Open the state store: the SQLite journal, or the database.

        Args:
            org_id: with a database, the org whose apply lock the store's
                `lock` takes (None: the store cannot lock). The SQLite lock is
                the state dir's, whatever the org.

        Raises:
            JournalError: the journal or the database cannot be used.
        """
        if self.url is not None:
            from gcsched.journal.postgres import PostgresStore

            return PostgresStore.connect(self.url, org_id=org_id)
        from gcsched.journal import Journal

        return Journal.open(self.journal, lock=self.lock)

    def audit_log(self, store: Journal | PostgresStore | None = None) -> AuditLog:
        """The audit log: the file under the state dir, or the rows of `store`.

        Raises:
            InputError: the state is a database and no store is given.
        """
        from gcsched.audit import AuditLog

        if self.url is None:
            return AuditLog(self.audit)
        from gcsched.audit.stored import StoredAuditLog
        from gcsched.journal.postgres import PostgresStore

        if not isinstance(store, PostgresStore):
            msg = "the audit chain of a state database is read through its store"
            raise InputError(msg)
        return StoredAuditLog(store, f"{store.where} (table audit_log)")

    @contextlib.contextmanager
    def reading_audit(self) -> Iterator[AuditLog]:
        """The audit log for reading, with the store it lives in open if need be."""
        if self.url is None:
            yield self.audit_log()
            return
        with self.open_store() as store:
            yield self.audit_log(store)

    def clear_lock(self, *, force: bool) -> list[LockInfo]:
        """What `gcsched unlock` does: clear the lock of the state dir, or the
        lock rows of the database (see `unlock_postgres`); the holders cleared.

        Raises:
            LockHeldError: a live holder, without `force`.
        """
        if self.url is not None:
            from gcsched.journal.postgres import display_url, unlock_postgres

            with self.open_store():  # migrated: the lock table exists
                pass
            return unlock_postgres(self.url, display_url(self.url), force=force)
        from gcsched.journal import unlock

        info = unlock(self.lock, force=force)
        return [] if info is None else [info]

    def make(self) -> None:
        """Create the state dir if needed, refusing one that is a link or not ours.

        Raises:
            InputError: the state dir is a symlink, not a directory, owned by
                another user, or cannot be created.
        """
        check_state_dir(self.root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"cannot create the state dir {self.root}: {exc.strerror}"
            raise InputError(msg) from exc
        check_state_dir(self.root)

    def check_sandbox(self) -> bool:
        """Refuse a sandbox state file (or its temporary twin) that is a link.

        Returns:
            Whether the sandbox state file exists.

        Raises:
            InputError: it is a symlink, not a regular file, or not ours.
        """
        check_state_dir(self.root)
        check_state_file(
            self.sandbox.with_name(self.sandbox.name + ".tmp"), "sandbox state file"
        )
        return check_state_file(self.sandbox, "sandbox state file")
