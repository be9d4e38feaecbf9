"""The audit chain kept as rows of the state database (the PostgreSQL backend).

`StoredAuditLog` is an `AuditLog` whose lines are rows of a store that has
`AuditLines` (`gcsched.journal.postgres.PostgresStore`): the same entries,
the same canonical lines and hashes as the file, so `verify`, `entries` and
`export` (inherited, reading the lines in chain order) behave as they do for
the file and `audit export` writes the same JSON lines. An append reads the
chain's head and inserts the new line in one transaction under an advisory
lock, so runners applying to different orgs of one database never fork the
chain. A row is written whole or not at all: there is no torn last line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from gcsched.audit.chain import GENESIS, canonical_json, entry_hash
from gcsched.audit.log import AuditLog, check_entry

__all__ = ["AuditLines", "StoredAuditLog"]


class AuditLines(Protocol):
    """Where a `StoredAuditLog` keeps its lines."""

    def audit_lines(self) -> list[str]:
        """Every line, in chain order."""
        ...

    def audit_hash_of(self, run_id: str, step_id: int) -> str | None:
        """The hash of the entry written for this step, if any."""
        ...

    def append_audit(
        self,
        make: Callable[[int, str | None], tuple[str, str]],
        *,
        run_id: str | None,
        step_id: int | None,
    ) -> str:
        """Append the line `make` builds from the head (seq, hash); its hash."""
        ...


class StoredAuditLog(AuditLog):
    """The hash-chained audit log, its lines kept by `lines`."""

    def __init__(self, lines: AuditLines, where: str) -> None:
        """Args: lines: the store of the lines; where: it, for messages."""
        super().__init__(where)
        self.where = where
        self._store = lines

    def append(self, entry: Mapping[str, Any]) -> str:
        """Append one entry after the chain's current head; returns its hash.

        Raises:
            AuditError: a field is missing or reserved, or not plain JSON.
            JournalError: the database cannot be written.
        """
        check_entry(entry)
        canonical_json(dict(entry))  # fail before touching the database

        def make(seq: int, head: str | None) -> tuple[str, str]:
            full: dict[str, Any] = {**entry, "seq": seq + 1, "prev": head or GENESIS}
            full["hash"] = entry_hash(full)
            return canonical_json(full), str(full["hash"])

        run_id, step_id = entry.get("run_id"), entry.get("step_id")
        return self._store.append_audit(
            make,
            run_id=run_id if isinstance(run_id, str) else None,
            step_id=step_id if isinstance(step_id, int) else None,
        )

    def recent(self, run_id: str, step_id: int) -> str | None:
        """The hash of this step's entry, if one was written (an indexed read)."""
        return self._store.audit_hash_of(run_id, step_id)

    def find(self, run_id: str, step_id: int) -> str | None:
        """The hash of the entry written for this step, anywhere in the chain."""
        return self._store.audit_hash_of(run_id, step_id)

    def _read(self) -> bytes:
        lines = self._store.audit_lines()
        return "".join(line + "\n" for line in lines).encode("utf-8")

    def has_torn_tail(self) -> bool:
        """Never: a row is written whole or not at all."""
        return False
