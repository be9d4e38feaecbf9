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
from dataclasses import dataclass
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

__all__ = ["AuditLog", "AuditVerification"]

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


class AuditLog:
    """Append-only JSON lines with a SHA-256 hash chain.

    Only one process appends at a time (the caller holds the state lock).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Args: path: the log file, e.g. ``.gcsched/audit.jsonl``."""
        self.path = Path(path)
        self._mutex = threading.Lock()

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
        """
        missing = [name for name in REQUIRED_FIELDS if name not in entry]
        if missing:
            msg = f"audit entry lacks {', '.join(missing)}"
            raise AuditError(msg)
        reserved = [name for name in ("seq", "prev", "hash") if name in entry]
        if reserved:
            msg = f"audit entry must not set {', '.join(reserved)}: the log does"
            raise AuditError(msg)
        with self._mutex:
            seq, prev = self._prepare_tail()
            full: dict[str, Any] = {**entry, "seq": seq + 1, "prev": prev}
            canonical_json(full)  # fail before touching the file
            full["hash"] = entry_hash(full)
            self._write(canonical_json(full).encode("utf-8") + b"\n")
            return str(full["hash"])

    def _write(self, data: bytes) -> None:
        created = not self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if created:
                _fsync_dir(self.path.parent)
        except OSError as exc:
            msg = f"cannot write the audit log {self.path}: {exc.strerror}"
            raise AuditError(msg) from exc

    def _prepare_tail(self) -> tuple[int, str]:
        """(seq, hash) of the last entry, after finishing a torn last line."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return 0, GENESIS
        if size == 0:
            return 0, GENESIS
        with self.path.open("rb") as handle:
            start = max(0, size - _TAIL_BLOCK)
            handle.seek(start)
            tail = handle.read()
            while start > 0 and tail.count(b"\n") < 2:
                start = max(0, start - _TAIL_BLOCK)
                handle.seek(start)
                tail = handle.read()
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n") + 1
            torn = tail[cut:]
            entry, _ = parse_line(torn)
            if entry is not None:
                # A whole entry whose newline never reached the disk: finish it.
                self._write(b"\n")
                tail += b"\n"
            else:
                # A torn write: it was never acknowledged, so no journal holds its
                # hash. Keep the bytes aside for forensics, then cut them off.
                self._set_aside(torn, start + cut)
                tail = tail[:cut]
                if not tail:
                    return 0, GENESIS
        last = tail[:-1].rsplit(b"\n", 1)[-1]
        entry, problem = parse_line(last)
        if entry is None:
            msg = (
                f"the last entry of the audit log {self.path} is damaged ({problem}); "
                "run `gcsched audit verify` and investigate before applying"
            )
            raise AuditError(msg)
        return int(entry["seq"]), str(entry["hash"])

    def _set_aside(self, torn: bytes, offset: int) -> None:
        aside = self.path.with_name(self.path.name + ".torn")
        try:
            with aside.open("ab") as handle:
                handle.write(torn + b"\n")
            with self.path.open("r+b") as handle:
                handle.truncate(offset)
                os.fsync(handle.fileno())
        except OSError as exc:
            msg = f"cannot repair the torn end of the audit log {self.path}: {exc}"
            raise AuditError(msg) from exc

    # ---------------------------------------------------------------- reading
    def _read(self) -> bytes:
        """The whole log (empty when there is none yet)."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return b""
        except OSError as exc:
            msg = f"cannot read the audit log {self.path}: {exc.strerror}"
            raise AuditError(msg) from exc

    def _lines(self) -> list[tuple[bytes, bool]]:
        """The lines of the log, each with whether it ends with a newline."""
        data = self._read()
        if not data:
            return []
        lines = [(raw, True) for raw in data.split(b"\n")]
        last, _ = lines.pop()
        if last:
            lines.append((last, False))
        return lines

    def verify(self, expected: Iterable[str] = ()) -> AuditVerification:
        """Walk the chain and check it reaches every hash in `expected`.

        Args:
            expected: the hashes the journal recorded (`Journal.audit_hashes()`),
                in recording order.

        Returns:
            The verdict, naming the first bad line for an edited, deleted,
            inserted, reordered or truncated entry.
        """
        lines = self._lines()
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
                    f"line {number} of the audit log {self.path} is {problem}; "
                    "run `gcsched audit verify`"
                )
                raise AuditError(msg)
            if run_id is None or entry.get("run_id") == run_id:
                result.append(entry)
        return result

    def find(self, run_id: str, step_id: int) -> str | None:
        """The hash of the entry already written for this step, if any.

        Called for every confirmed step, so it must not parse the whole log each
        time: only lines holding this run id (as canonical JSON, which every
        well-formed line is) are parsed.
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
