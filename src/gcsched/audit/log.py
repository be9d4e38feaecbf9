"""The append-only, hash-chained audit log (``.gcsched/audit.jsonl``).

One JSON line per confirmed step: who (the OAuth client id) did what to which
schedule, with digests of the bodies before and after, chained by SHA-256 (see
`gcsched.audit.chain`). The journal records each entry's hash on its step, so
`verify(expected=journal.audit_hashes())` also notices a deleted or truncated
tail, which a chain alone cannot.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gcsched.audit.chain import (
    GENESIS,
    REQUIRED_FIELDS,
    canonical_json,
    entry_hash,
    parse_line,
)
from gcsched.errors import AuditError
from gcsched.journal.files import check_state_dir, check_state_file, open_state_file

__all__ = ["AuditLog", "AuditVerification", "check_entry"]

_TAIL_BLOCK = 64 * 1024


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """What `AuditLog.verify` found.

    `entries` counts the entries verified before the first problem;
    `first_bad_line` (1-based) and `problem` (a sentence naming that line) are
    None when `ok`.
    """

    ok: bool
    entries: int
    first_bad_line: int | None
    problem: str | None

    def raise_for_problem(self) -> None:
        """Raise `AuditError` (exit 1) with the problem, if there is one.

        Raises:
            AuditError: the log did not verify.
        """
        if not self.ok:
            msg = f"the audit log does not verify: {self.problem}"
            raise AuditError(msg)


@dataclass(slots=True)
class _Tail:
    """What an `AuditLog` knows of the end of its file, kept between appends."""

    size: int
    seq: int
    hash: str
    #: (run id, step id) → hash of the entries near the end: those of the last
    #: block read from the file, and every entry appended since.
    recent: dict[tuple[str, int], str] = field(default_factory=dict)

    def add(self, entry: Mapping[str, Any]) -> None:
        run_id, step_id = entry.get("run_id"), entry.get("step_id")
        if isinstance(run_id, str) and isinstance(step_id, int):
            self.recent[(run_id, step_id)] = str(entry["hash"])


def check_entry(entry: Mapping[str, Any]) -> None:
    """Refuse an entry to append that lacks a field or sets one the log sets.

    Raises:
        AuditError: a required field is missing, or `seq`/`prev`/`hash` is set.
    """
    missing = [name for name in REQUIRED_FIELDS if name not in entry]
    if missing:
        msg = f"audit entry lacks {', '.join(missing)}"
        raise AuditError(msg)
    reserved = [name for name in ("seq", "prev", "hash") if name in entry]
    if reserved:
        msg = f"audit entry must not set {', '.join(reserved)}: the log does"
        raise AuditError(msg)


class AuditLog:
    """Append-only JSON lines with a SHA-256 hash chain.

    Only one process appends at a time (the caller holds the state lock). The
    log reads its last entry once, from the end of the file, and then keeps the
    chain's head from its own appends: an append never re-reads the log. The
    file is read again only when its size is not what the last append left.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Args: path: the log file, e.g. ``.gcsched/audit.jsonl``."""
        self.path = Path(path)
        #: Where the log is, for messages (the file; a database's rows).
        self.where = str(self.path)
        self._mutex = threading.Lock()
        self._tail: _Tail | None = None

    # ---------------------------------------------------------------- writing
    def append(self, entry: Mapping[str, Any]) -> str:
        """Append one entry, durably (flush + fsync), and return its hash.

        Args:
            entry: `time` (ISO UTC), `run_id`, `step_id`, `actor`, `action`,
                `target` ({kind, id, name}), `before_digest`, `after_digest`
                (see `digest`), and any extra plain-JSON fields. The log adds
                `seq`, `prev` and `hash`.

        Returns:
            The new entry's hash (record it on the step in the journal).

        Raises:
            AuditError: a field is missing or reserved, the entry is not plain
                JSON, the log's last entry is damaged, or the file cannot be
                written.
            InputError: the log (or its directory) is a symlink or not ours.
        """
        check_entry(entry)
        with self._mutex:
            tail = self._current_tail()
            full: dict[str, Any] = {**entry, "seq": tail.seq + 1, "prev": tail.hash}
            canonical_json(full)  # fail before touching the file
            full["hash"] = entry_hash(full)
            tail.size = self._write(canonical_json(full).encode("utf-8") + b"\n")
            tail.seq, tail.hash = int(full["seq"]), str(full["hash"])
            tail.add(full)
            return tail.hash

    def recent(self, run_id: str, step_id: int) -> str | None:
        """The hash of this step's entry if it is one of the log's last entries.

        An entry written but not yet recorded in the journal (a crash struck
        between the two) is always at the end of the log, because the journal
        records each hash right after its append, under the state lock. So the
        recorder looks only there: the last block of the file, read once, and
        the entries appended since. Unlike `find`, this never reads the log.

        Raises:
            AuditError: the log's last entry is damaged, or it cannot be read.
        """
        with self._mutex:
            return self._current_tail().recent.get((run_id, step_id))

    def _current_tail(self) -> _Tail:
        """The cached tail, or the one read from the file if it changed size."""
        check_state_file(self.path, "audit log")
        try:
            size = self.path.lstat().st_size
        except FileNotFoundError:
            size = 0
        if self._tail is None or self._tail.size != size:
            self._tail = self._prepare_tail()
        return self._tail

    def _open(self, flags: int) -> int:
        try:
            check_state_dir(self.path.parent)
            return open_state_file(self.path, "audit log", flags, 0o600)
        except FileNotFoundError:
            raise
        except OSError as exc:
            msg = f"cannot open the audit log {self.path}: {exc.strerror}"
            raise AuditError(msg) from exc

    def _write(self, data: bytes) -> int:
        """Append `data` durably; returns the file's size after it."""
        try:
            created = not self.path.exists()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = self._open(os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)
        except OSError as exc:
            msg = f"cannot write the audit log {self.path}: {exc.strerror}"
            raise AuditError(msg) from exc
        return size

    def _prepare_tail(self) -> _Tail:
        """The tail of the file, after finishing or setting aside a torn last line."""
        try:
            fd = self._open(os.O_RDONLY)
        except FileNotFoundError:
            return _Tail(0, 0, GENESIS)
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(fd).st_size
            start = max(0, size - _TAIL_BLOCK)
            handle.seek(start)
            tail = handle.read()
            while start > 0 and tail.count(b"\n") < 2:
                start = max(0, start - _TAIL_BLOCK)
                handle.seek(start)
                tail = handle.read()
        if not tail:
            return _Tail(0, 0, GENESIS)
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n") + 1
            torn = tail[cut:]
            entry, _ = parse_line(torn)
            if entry is not None:
                # A whole entry whose newline never reached the disk: finish it.
                size = self._write(b"\n")
                tail += b"\n"
            else:
                # A torn write: it was never acknowledged, so no journal holds its
                # hash (the apply checks that first, see `ensure_appendable`).
                # Keep the bytes aside for forensics, then cut them off.
                self._set_aside(torn, start + cut)
                size = start + cut
                tail = tail[:cut]
                if not tail:
                    return _Tail(size, 0, GENESIS)
        lines = tail[:-1].split(b"\n")
        entry, problem = parse_line(lines[-1])
        if entry is None:
            msg = (
                f"the last entry of the audit log {self.path} is damaged ({problem}); "
                "run `gcsched audit verify` and investigate before applying"
            )
            raise AuditError(msg)
        found = _Tail(size, int(entry["seq"]), str(entry["hash"]))
        for raw in lines[1:] if start > 0 else lines:  # the first may be cut
            earlier, _ = parse_line(raw)
            if earlier is not None:
                found.add(earlier)
        return found

    def _set_aside(self, torn: bytes, offset: int) -> None:
        aside = self.path.with_name(self.path.name + ".torn")
        try:
            fd = open_state_file(
                aside, "audit log", os.O_WRONLY | os.O_APPEND | os.O_CREAT
            )
            try:
                os.write(fd, torn + b"\n")
            finally:
                os.close(fd)
            fd = self._open(os.O_WRONLY)
            try:
                os.ftruncate(fd, offset)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            msg = f"cannot repair the torn end of the audit log {self.path}: {exc}"
            raise AuditError(msg) from exc

    # ---------------------------------------------------------------- reading
    def _read(self) -> bytes:
        """The whole log (empty when there is none yet)."""
        try:
            fd = self._open(os.O_RDONLY)
        except FileNotFoundError:
            return b""
        try:
            with os.fdopen(fd, "rb") as handle:
                return handle.read()
        except OSError as exc:
            msg = f"cannot read the audit log {self.path}: {exc.strerror}"
            raise AuditError(msg) from exc

    def _lines(self, *, ignore_torn_tail: bool = False) -> list[tuple[bytes, bool]]:
        """The lines of the log, each with whether it ends with a newline."""
        data = self._read()
        if not data:
            return []
        lines = [(raw, True) for raw in data.split(b"\n")]
        last, _ = lines.pop()
        if last and not ignore_torn_tail:
            lines.append((last, False))
        return lines

    def has_torn_tail(self) -> bool:
        """Whether the log ends in a line without its newline (a torn write)."""
        data = self._read()
        return bool(data) and not data.endswith(b"\n")

    def verify(
        self, expected: Iterable[str] = (), *, ignore_torn_tail: bool = False
    ) -> AuditVerification:
        """Walk the chain and check it reaches every hash in `expected`.

        Args:
            expected: the hashes the journal recorded (`Journal.audit_hashes()`),
                in recording order.
            ignore_torn_tail: judge the log as the next append leaves it, with
                a last line that lacks its newline cut off.

        Returns:
            The verdict, naming the first bad line for an edited, deleted,
            inserted, reordered or truncated entry.
        """
        lines = self._lines(ignore_torn_tail=ignore_torn_tail)
        prev = GENESIS
        line_of: dict[str, int] = {}
        for number, (raw, terminated) in enumerate(lines, start=1):
            entry, problem = self._check_line(raw, terminated, number, prev)
            if entry is None:
                return AuditVerification(False, number - 1, number, problem)
            prev = str(entry["hash"])
            line_of[prev] = number
        last_good = 0
        for wanted in expected:
            found = line_of.get(wanted)
            if found is None:
                bad = last_good + 1
                problem = (
                    f"line {bad}: the entry with hash {wanted[:16]}… that the journal "
                    f"recorded is missing (deleted, truncated or rewritten after "
                    f"line {last_good})"
                )
                return AuditVerification(False, len(lines), bad, problem)
            last_good = max(last_good, found)
        return AuditVerification(True, len(lines), None, None)

    @staticmethod
    def _check_line(
        raw: bytes, terminated: bool, number: int, prev: str
    ) -> tuple[dict[str, Any] | None, str]:
        """(entry, "") for a good line; (None, problem) for a bad one."""
        if not terminated:
            return None, (
                f"line {number}: truncated (the file does not end with a newline)"
            )
        entry, problem = parse_line(raw)
        if entry is None:
            return None, f"line {number}: {problem}"
        if entry["seq"] != number:
            return None, f"line {number}: seq is {entry['seq']!r}, expected {number}"
        if entry["prev"] != prev:
            return None, (
                f"line {number}: prev does not match the hash of the entry before "
                "(an entry was deleted, inserted or reordered)"
            )
        if entry["hash"] != entry_hash(entry):
            return None, f"line {number}: hash does not match the content (edited)"
        return entry, ""

    def entries(self, *, run_id: str | None = None) -> list[dict[str, Any]]:
        """The entries (all, or those of `run_id`), in log order.

        Raises:
            AuditError: a line is not a JSON entry (names the line).
        """
        result: list[dict[str, Any]] = []
        for number, (raw, _) in enumerate(self._lines(), start=1):
            entry, problem = parse_line(raw)
            if entry is None:
                msg = (
                    f"line {number} of the audit log {self.where} is {problem}; "
                    "run `gcsched audit verify`"
                )
                raise AuditError(msg)
            if run_id is None or entry.get("run_id") == run_id:
                result.append(entry)
        return result

    def find(self, run_id: str, step_id: int) -> str | None:
        """The hash of the entry already written for this step, anywhere in the log.

        Reads the whole log (the recorder uses `recent`, which does not); only
        lines holding this run id (as canonical JSON, which every well-formed
        line is) are parsed.
        """
        data = self._read()
        needle = b'"run_id":' + canonical_json(run_id).encode("utf-8")
        if needle not in data:
            return None
        for raw in data.split(b"\n"):
            if needle not in raw:
                continue
            entry, _ = parse_line(raw)
            if entry is None:
                continue
            if entry.get("run_id") == run_id and entry.get("step_id") == step_id:
                return str(entry["hash"])
        return None

    def head(self) -> str | None:
        """The hash of the last entry (None for an empty log)."""
        lines = self._lines()
        if not lines:
            return None
        entry, _ = parse_line(lines[-1][0])
        return None if entry is None else str(entry["hash"])

    def export(self, out: TextIO, *, include_unverified: bool = False) -> int:
        """Write entries as JSON lines for a SIEM, byte-identical to the log.

        By default only the verified prefix of the chain is written (up to the
        first bad line); with `include_unverified`, every later line that is a
        JSON entry is written too, unchanged, so the SIEM can check the hashes.

        Returns:
            How many entries were written.
        """
        lines = self._lines()
        verdict = self.verify()
        limit = len(lines) if verdict.ok else verdict.entries
        written = 0
        for number, (raw, _) in enumerate(lines, start=1):
            if number > limit and not include_unverified:
                break
            entry, _ = parse_line(raw)
            if entry is not None:
                out.write(raw.decode("utf-8") + "\n")
                written += 1
        return written


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
