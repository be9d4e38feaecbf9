"""Before an apply adds to the audit log: is the history it continues intact?

`ensure_appendable` is called at the start of every apply, before recovery may
append. It refuses (exit 3) to add to a log that fails `gcsched audit verify`,
to cut a torn last line that could be an entry the journal recorded, and to
start a fresh journal's history next to a log that already has one.
"""

from __future__ import annotations

from gcsched.audit.log import AuditLog
from gcsched.errors import RefusedError
from gcsched.journal import StateStore

__all__ = ["ensure_appendable"]


def ensure_appendable(log: AuditLog, store: StateStore) -> None:
    """Refuse to append to `log` unless it verifies against what `store` recorded.

    A torn last line (a write cut by a crash) is accepted only when every hash
    the journal recorded lies before it: then it was never acknowledged, and the
    next append sets it aside. An empty journal (no run, no recorded hash) next
    to a log with entries is refused: it would start history again from nothing.

    Raises:
        RefusedError: the log does not verify, its torn tail may be a recorded
            entry, or the journal was emptied (each with the way out).
    """
    recorded = store.audit_hashes()
    verdict = log.verify(recorded)
    if verdict.ok:
        if not recorded and verdict.entries and not store.list_runs(1):
            msg = (
                f"the journal records no audit entry, but the audit log {log.where} "
                f"holds {verdict.entries}: the journal was emptied or replaced, and "
                "applying would restart the history the log chains. Restore the "
                "journal from a backup; or, to start a new history on purpose, move "
                f"{log.where} aside (keep it as evidence) and apply again"
            )
            raise RefusedError(msg)
        return
    if log.has_torn_tail() and log.verify(recorded, ignore_torn_tail=True).ok:
        return  # never acknowledged: the next append sets the torn line aside
    torn = (
        " (its torn last line may be an entry the journal recorded, so gcsched "
        "will not cut it)"
        if log.has_torn_tail()
        else ""
    )
    msg = (
        f"the audit log {log.where} does not verify{torn}: {verdict.problem}. "
        "gcsched will not add to a broken chain. Run `gcsched audit verify` and "
        "investigate; restore the log from a backup, or move it aside (keep it as "
        "evidence) together with the journal to start a new history, then apply "
        "again"
    )
    raise RefusedError(msg)
