"""Appending, reading and exporting the audit log."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from audit_helpers import sample_entry, sample_log

from gcsched.audit import GENESIS, AuditLog, canonical_json, digest
from gcsched.errors import AuditError


def test_append_chains_entries(tmp_path: Path) -> None:
    """Each line is canonical JSON with seq, prev and SHA-256(prev ‖ entry)."""
    log, hashes = sample_log(tmp_path / "state" / "audit.jsonl", 3)
    lines = (tmp_path / "state" / "audit.jsonl").read_text("utf-8").splitlines()
    prev = GENESIS
    for seq, (line, expected) in enumerate(zip(lines, hashes, strict=True), 1):
        entry = json.loads(line)
        assert line == canonical_json(entry)
        assert (entry["seq"], entry["prev"], entry["hash"]) == (seq, prev, expected)
        body = {k: v for k, v in entry.items() if k != "hash"}
        want = hashlib.sha256((prev + canonical_json(body)).encode()).hexdigest()
        assert entry["hash"] == want
        prev = entry["hash"]
    assert log.head() == hashes[-1]
    assert log.verify(hashes).ok


def test_a_new_instance_continues_the_chain(tmp_path: Path) -> None:
    """Appending from another AuditLog object reads the tail and continues."""
    path = tmp_path / "audit.jsonl"
    _, hashes = sample_log(path, 2)
    third = AuditLog(path).append(sample_entry(3))
    verdict = AuditLog(path).verify([*hashes, third])
    assert verdict == verdict.__class__(True, 3, None, None)


def test_append_validates_the_entry(tmp_path: Path) -> None:
    """Missing, reserved or non-JSON fields are refused before writing."""
    log = AuditLog(tmp_path / "audit.jsonl")
    entry = sample_entry(1)
    del entry["actor"]
    with pytest.raises(AuditError, match="lacks actor"):
        log.append(entry)
    with pytest.raises(AuditError, match="must not set seq, hash"):
        log.append({**sample_entry(1), "seq": 9, "hash": "x"})
    with pytest.raises(AuditError, match="plain JSON"):
        log.append({**sample_entry(1), "extra": {1, 2}})
    assert not log.path.exists()


def test_find_entries_and_head(tmp_path: Path) -> None:
    """find() locates a step's entry; entries() filters by run."""
    log = AuditLog(tmp_path / "audit.jsonl")
    assert log.head() is None
    assert log.entries() == []
    a = log.append(sample_entry(1, run_id="ra"))
    b = log.append(sample_entry(2, run_id="rb"))
    assert log.find("ra", 1) == a
    assert log.find("rb", 2) == b
    assert log.find("ra", 2) is None
    assert [e["hash"] for e in log.entries(run_id="rb")] == [b]
    assert len(log.entries()) == 2


def test_digest_is_sha256_of_canonical_json() -> None:
    """digest() does not depend on key order."""
    assert digest({"b": 1, "a": [1, "é"]}) == digest({"a": [1, "é"], "b": 1})
    assert digest({}) == hashlib.sha256(b"{}").hexdigest()


def test_torn_last_line_is_set_aside_on_append(tmp_path: Path) -> None:
    """A torn write (never acknowledged) is moved aside; the chain goes on."""
    path = tmp_path / "audit.jsonl"
    log, hashes = sample_log(path, 2)
    with path.open("ab") as handle:
        handle.write(b'{"action":"upd')
    assert not log.verify(hashes).ok
    third = log.append(sample_entry(3))
    assert log.verify([*hashes, third]).ok
    assert (tmp_path / "audit.jsonl.torn").read_bytes() == b'{"action":"upd\n'


def test_missing_final_newline_is_restored_on_append(tmp_path: Path) -> None:
    """A whole last entry without its newline is kept and terminated."""
    path = tmp_path / "audit.jsonl"
    log, hashes = sample_log(path, 2)
    path.write_bytes(path.read_bytes()[:-1])
    assert log.verify(hashes).first_bad_line == 2
    third = log.append(sample_entry(3))
    assert log.verify([*hashes, third]).ok


def test_damaged_last_entry_blocks_appends(tmp_path: Path) -> None:
    """Appending after an edited last entry is refused, pointing at verify."""
    path = tmp_path / "audit.jsonl"
    sample_log(path, 2)
    path.write_bytes(path.read_bytes().replace(b'"action":"update"', b'"action": "x"'))
    with pytest.raises(AuditError, match="audit verify"):
        AuditLog(path).append(sample_entry(3))
    with pytest.raises(AuditError, match="line 2"):
        AuditLog(path).entries()


def test_export_writes_verified_entries(tmp_path: Path) -> None:
    """export() writes the verified prefix, or everything with the flag."""
    path = tmp_path / "audit.jsonl"
    log, _ = sample_log(path, 3)
    out = io.StringIO()
    assert log.export(out) == 3
    assert out.getvalue() == path.read_text("utf-8")
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"C2", b"C9")
    path.write_bytes(b"\n".join(lines))
    out = io.StringIO()
    assert log.export(out) == 1
    out = io.StringIO()
    assert log.export(out, include_unverified=True) == 3


def test_verification_raises_for_problem(tmp_path: Path) -> None:
    """raise_for_problem() turns a failed verdict into AuditError (exit 1)."""
    log, hashes = sample_log(tmp_path / "audit.jsonl", 1)
    log.verify(hashes).raise_for_problem()
    verdict = log.verify([*hashes, "f" * 64])
    with pytest.raises(AuditError, match="line 2") as info:
        verdict.raise_for_problem()
    assert info.value.exit_code == 1
