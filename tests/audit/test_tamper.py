"""Tamper evidence: every edit, deletion, insertion, reorder or truncation shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import sample_entry, sample_log

from gcsched.audit import AuditLog


@pytest.fixture
def sample(tmp_path: Path) -> tuple[AuditLog, list[str], bytes]:
    """A 4-entry log, its recorded hashes and its original bytes."""
    log, hashes = sample_log(tmp_path / "audit.jsonl", 4)
    return log, hashes, log.path.read_bytes()


@pytest.fixture
def small(tmp_path: Path) -> tuple[AuditLog, list[str], bytes]:
    """A 3-entry log for the byte-by-byte mutations."""
    log, hashes = sample_log(tmp_path / "small.jsonl", 3)
    return log, hashes, log.path.read_bytes()


def _line_of(data: bytes, position: int) -> int:
    return data[:position].count(b"\n") + 1


def test_flipping_any_byte_is_detected(
    sample: tuple[AuditLog, list[str], bytes],
) -> None:
    """A flipped bit at any byte position fails verification at or before its line."""
    log, hashes, data = sample
    assert log.verify(hashes).ok
    for position in range(len(data)):
        for mask in (0x01, 0x80):
            mutated = bytearray(data)
            mutated[position] ^= mask
            log.path.write_bytes(bytes(mutated))
            verdict = log.verify(hashes)
            assert not verdict.ok, (position, mask)
            assert verdict.first_bad_line is not None
            assert verdict.first_bad_line <= _line_of(data, position) + 1


def test_deleting_any_byte_is_detected(
    sample: tuple[AuditLog, list[str], bytes],
) -> None:
    """Removing any single byte fails verification."""
    log, hashes, data = sample
    for position in range(len(data)):
        log.path.write_bytes(data[:position] + data[position + 1 :])
        verdict = log.verify(hashes)
        assert not verdict.ok, position
        assert verdict.first_bad_line is not None
        assert verdict.first_bad_line <= _line_of(data, position) + 1


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")[:-1]


def _join(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_deleting_an_entry_names_its_line(
    sample: tuple[AuditLog, list[str], bytes], index: int
) -> None:
    """A deleted entry (the last one included) is reported at its line."""
    log, hashes, data = sample
    lines = _lines(data)
    del lines[index]
    log.path.write_bytes(_join(lines))
    verdict = log.verify(hashes)
    assert not verdict.ok
    assert verdict.first_bad_line == index + 1
    assert verdict.problem is not None
    assert f"line {index + 1}" in verdict.problem


@pytest.mark.parametrize("index", [0, 2, 4])
def test_inserting_an_entry_names_its_line(
    sample: tuple[AuditLog, list[str], bytes], index: int
) -> None:
    """A copied or forged entry inserted anywhere is reported at its line."""
    log, hashes, data = sample
    lines = _lines(data)
    lines.insert(index, lines[1])
    log.path.write_bytes(_join(lines))
    verdict = log.verify(hashes)
    assert not verdict.ok
    assert verdict.first_bad_line == index + 1


def test_reordering_entries_names_the_first_moved_line(
    sample: tuple[AuditLog, list[str], bytes],
) -> None:
    """Swapping two entries is reported at the first of them."""
    log, hashes, data = sample
    lines = _lines(data)
    lines[1], lines[2] = lines[2], lines[1]
    log.path.write_bytes(_join(lines))
    assert log.verify(hashes).first_bad_line == 2


@pytest.mark.parametrize("keep", [0, 1, 3])
def test_truncating_whole_entries_is_caught_by_the_journal(
    sample: tuple[AuditLog, list[str], bytes], keep: int
) -> None:
    """A cleanly cut tail still chains; the journal's hashes reveal it."""
    log, hashes, data = sample
    log.path.write_bytes(_join(_lines(data)[:keep]))
    assert log.verify().ok  # the chain alone cannot tell
    verdict = log.verify(hashes)
    assert not verdict.ok
    assert verdict.first_bad_line == keep + 1
    assert verdict.entries == keep


def test_deleting_the_file_is_caught_by_the_journal(
    sample: tuple[AuditLog, list[str], bytes],
) -> None:
    """An emptied or deleted log fails at line 1 when the journal recorded hashes."""
    log, hashes, _ = sample
    log.path.unlink()
    assert log.verify(hashes).first_bad_line == 1


def test_rewriting_the_chain_from_an_entry_is_caught(
    sample: tuple[AuditLog, list[str], bytes],
) -> None:
    """Re-chaining forged entries from line 3 on is reported at line 3."""
    log, hashes, data = sample
    log.path.write_bytes(_join(_lines(data)[:2]))
    forged = sample_entry(3)
    forged["actor"] = "someone-else"
    log.append(forged)
    log.append(sample_entry(4))
    assert log.verify().ok
    verdict = log.verify(hashes)
    assert verdict.first_bad_line == 3
