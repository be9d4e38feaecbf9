"""External-change entries: built once per change, chained, and counted by verify."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from gcsched.audit import AuditLog
from gcsched.audit.external import (
    EXTERNAL_ACTION,
    external_change_entry,
    record_external_changes,
)

SEEN = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def _entry(version: int, authors: list[dict[str, object]]) -> dict[str, object]:
    return external_change_entry(
        seen_at=SEEN,
        seen_by="watch",
        observer="gcsched-ci",
        family="campaigns",
        target_kind="campaign",
        target_id="c-1",
        target_name="Win-back",
        how="edited",
        version_written=3,
        body={"version": version, "dateCreated": "2026-11-01T00:00:00.000Z"},
        authors=authors,
        platform_audit_ids=["a-1"],
        fields=["timeZone: UTC → Europe/Paris"],
    )


def test_entries_name_every_author_and_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    recorded: list[str] = []
    first = _entry(
        4,
        [
            {"kind": "user", "id": "u-1", "name": "Jane Admin"},
            {"kind": "client", "id": "ci-bot", "name": None},
            {"kind": "unknown", "id": None, "name": None},
        ],
    )
    assert first["actor"] == "Jane Admin, OAuth client ci-bot, unknown"
    assert first["action"] == EXTERNAL_ACTION
    assert (first["run_id"], first["step_id"]) == ("external", 0)
    nobody = _entry(5, [])
    assert nobody["actor"] == "unknown"
    hashes = record_external_changes(
        log, [first, first, nobody], record=recorded.append
    )
    assert hashes == recorded
    assert len(hashes) == 2  # the same change once
    assert record_external_changes(log, [nobody], record=recorded.append) == []
    assert log.verify(recorded).ok
    assert [e["seq"] for e in log.entries(run_id="external")] == [1, 2]


def test_entries_name_the_org_and_environment_they_were_seen_in(
    tmp_path: Path,
) -> None:
    """As run entries do: an audit line says which org and environment."""
    log = AuditLog(tmp_path / "audit.jsonl")
    recorded: list[str] = []
    entry = external_change_entry(
        seen_at=SEEN,
        seen_by="drift",
        observer="gcsched-ci",
        family="campaigns",
        target_kind="campaign",
        target_id="c-1",
        target_name="Win-back",
        how="deleted",
        version_written=3,
        body=None,
        authors=[],
        platform_audit_ids=[],
        fields=[],
        org={"id": "org-prod", "name": "Prod Org", "extra": "dropped"},
        environment="prod",
    )
    assert entry["org"] == {"id": "org-prod", "name": "Prod Org"}
    assert entry["environment"] == "prod"
    assert _entry(4, [])["org"] is None  # a caller that knows no org says so
    record_external_changes(log, [entry], record=recorded.append)
    (stored,) = log.entries()
    assert (stored["org"]["id"], stored["environment"]) == ("org-prod", "prod")
    assert log.verify(recorded).ok
