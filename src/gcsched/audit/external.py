"""External-change entries: drift gcsched saw, in its own hash-chained log.

An ``external_change`` entry says that a schedule gcsched manages was changed
by someone else: the platform audit ids, the author(s), the fields that differ
and the versions. It goes into the same chain as gcsched's own steps (so
``gcsched audit verify`` covers it), and the journal records its hash with the
steps' (so a deleted entry is noticed too). `external_change_entry` builds the
entry (``gcsched drift`` and ``gcsched watch`` both call it);
`record_external_changes` appends each change once, however often it is seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from gcsched.audit.chain import canonical_json, digest
from gcsched.audit.log import AuditLog
from gcsched.journal.steps import EXTERNAL_RUN

__all__ = [
    "EXTERNAL_ACTION",
    "external_change_entry",
    "record_external_changes",
]

#: The ``action`` of an external-change entry (gcsched's own are create,
#: update, delete and pacing).
EXTERNAL_ACTION: Final = "external_change"


def change_key(
    *,
    family: str,
    target_id: str,
    how: str,
    version_written: int | None,
    version_now: int | None,
    date_created: str | None,
) -> str:
    """The stable id of one external change (the same however often it is seen)."""
    raw = canonical_json(
        [family, target_id, how, version_written, version_now, date_created]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def external_change_entry(
    *,
    seen_at: datetime,
    seen_by: str,
    observer: str,
    family: str,
    target_kind: str,
    target_id: str,
    target_name: str,
    how: str,
    version_written: int | None,
    body: Mapping[str, Any] | None,
    authors: Sequence[Mapping[str, Any]],
    platform_audit_ids: Sequence[str],
    fields: Sequence[str],
    note: str | None = None,
    org: Mapping[str, Any] | None = None,
    environment: str | None = None,
) -> dict[str, Any]:
    """The audit entry of one schedule changed outside gcsched.

    Args:
        seen_at: when gcsched saw it (aware).
        seen_by: the command that saw it (``drift`` or ``watch``).
        observer: gcsched's OAuth client id.
        family: the schedule family (``campaigns``...).
        target_kind: campaign, sequence or messaging_campaign.
        target_id: the target's id.
        target_name: its name.
        how: edited, recreated or deleted.
        version_written: the version gcsched last wrote.
        body: the schedule as the org holds it now (None when deleted).
        authors: ``{kind, id, name}`` of each author (empty: unknown).
        platform_audit_ids: the ids of the platform's audit entries.
        fields: what differs, in the file's terms.
        note: why the author is unknown, if it is.
        org: ``{id, name}`` of the org the change was seen in.
        environment: the file's environment it was seen through (None: the
            file has none), as run entries name theirs.

    Returns:
        An entry for `AuditLog.append` (`REQUIRED_FIELDS` and the
        ``external`` details; no run made it, so ``run_id`` is ``external``
        and ``step_id`` 0: ``gcsched audit show --run external`` lists them).
    """
    version_now = body.get("version") if body is not None else None
    created = body.get("dateCreated") if body is not None else None
    labels = [_label(a) for a in authors] or ["unknown"]
    return {
        "time": seen_at.astimezone(UTC).isoformat(timespec="seconds"),
        "run_id": EXTERNAL_RUN,
        "step_id": 0,
        "actor": ", ".join(labels),
        "action": EXTERNAL_ACTION,
        "target": {"kind": target_kind, "id": target_id, "name": target_name},
        "org": None if org is None else {"id": org.get("id"), "name": org.get("name")},
        "environment": environment,
        "before_digest": None,
        "after_digest": None if body is None else digest(dict(body)),
        "external": {
            "key": change_key(
                family=family,
                target_id=target_id,
                how=how,
                version_written=version_written,
                version_now=version_now if isinstance(version_now, int) else None,
                date_created=str(created) if created is not None else None,
            ),
            "seen_by": seen_by,
            "observer": observer,
            "family": family,
            "how": how,
            "version_written": version_written,
            "version_now": version_now,
            "authors": [dict(a) for a in authors],
            "platform_audit_ids": list(platform_audit_ids),
            "fields": list(fields),
            "note": note,
        },
    }


def _label(author: Mapping[str, Any]) -> str:
    if author.get("kind") == "user":
        return str(author.get("name") or author.get("id"))
    if author.get("kind") == "client":
        return f"OAuth client {author.get('id')}"
    return "unknown"


def recorded_keys(log: AuditLog) -> set[str]:
    """The keys of the external changes the log already holds."""
    return {
        str(e["external"]["key"])
        for e in log.entries()
        if e.get("action") == EXTERNAL_ACTION and isinstance(e.get("external"), dict)
    }


def record_external_changes(
    log: AuditLog,
    entries: Iterable[Mapping[str, Any]],
    *,
    record: Callable[[str], None],
) -> list[str]:
    """Append each external change the log does not hold yet; record its hash.

    The caller holds the state lock (one appender at a time).

    Args:
        log: gcsched's audit log.
        entries: from `external_change_entry`.
        record: stores an entry's hash in the journal
            (`Journal.record_external_audit`).

    Returns:
        The hashes of the entries appended (none for changes already logged).

    Raises:
        AuditError: the log cannot be read or written.
    """
    known = recorded_keys(log)
    hashes: list[str] = []
    for entry in entries:
        key = str(entry["external"]["key"])
        if key in known:
            continue
        entry_hash = log.append(entry)
        record(entry_hash)
        known.add(key)
        hashes.append(entry_hash)
    return hashes
