"""The single-writer state lock (``.gcsched/lock``).

`StateLock.acquire` takes an exclusive ``flock`` on the lock file and writes who
holds it (pid, host, start time, command) into it. The kernel drops the flock
when the holder's process ends, even on SIGKILL, so a dead holder never blocks
the next run; the info left behind is only a record, cleared by `unlock`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from gcsched.errors import InputError, JournalError, LockHeldError
from gcsched.journal.files import check_state_dir, open_state_file
from gcsched.journal.records import LockInfo

__all__ = ["LOCK_POLL_SECONDS", "LockInfo", "StateLock", "held_by", "unlock"]

#: How often a writer waiting for the lock (``--lock-timeout``) tries again.
LOCK_POLL_SECONDS = 0.2


def _encode(info: LockInfo) -> bytes:
    data = {
        "pid": info.pid,
        "host": info.host,
        "started_at": info.started_at.isoformat(),
        "command": info.command,
    }
    return (json.dumps(data, sort_keys=True) + "\n").encode()


def _decode(raw: bytes) -> LockInfo | None:
    try:
        data = json.loads(raw.decode())
        return LockInfo(
            pid=int(data["pid"]),
            host=str(data["host"]),
            started_at=datetime.fromisoformat(str(data["started_at"])),
            command=str(data.get("command", "")),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


_HINT = "wait for it to finish, or run `gcsched unlock` if that process is gone"
_FORCE_HINT = (
    "let it finish, or use `gcsched unlock --force` if you are sure it is not writing"
)


def held_by(info: LockInfo | None) -> str:
    """Who holds a lock, in words: pid, host, run id, since when, doing what."""
    if info is None:
        return "another process (it left no details)"
    what = f" ({info.command})" if info.command else ""
    run = f", run {info.run_id}" if info.run_id else ""
    return (
        f"pid {info.pid} on host {info.host}{run}, started "
        f"{info.started_at.isoformat(timespec='seconds')}{what}"
    )


def _held_message(path: Path, info: LockInfo | None, hint: str = _HINT) -> str:
    return f"the state lock {path} is held by {held_by(info)}; {hint}"


class StateLock:
    """Exclusive lock on the state dir: at most one writing gcsched at a time."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Args: path: the lock file (created on `acquire`)."""
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self, *, command: str, timeout: float = 0.0) -> LockInfo:
        """Take the lock and record who holds it.

        Args:
            command: what the holder is doing, e.g. ``"apply schedules.yaml"``.
            timeout: how many seconds to wait for a holder to let go (0: none).

        Returns:
            The info written into the lock file.

        Raises:
            LockHeldError: a live process holds it (names pid, host, start time).
            JournalError: the lock file cannot be created.
        """
        if self._fd is not None:
            msg = f"the state lock {self.path} is already held by this process"
            raise LockHeldError(msg)
        check_state_dir(self.path.parent)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"cannot create the state dir {self.path.parent}: {exc.strerror}"
            raise JournalError(msg) from exc
        check_state_dir(self.path.parent)
        give_up = time.monotonic() + max(0.0, timeout)
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                info = _read_fd(fd)
                os.close(fd)
                if time.monotonic() < give_up:
                    time.sleep(min(LOCK_POLL_SECONDS, give_up - time.monotonic()))
                    continue
                raise LockHeldError(_held_message(self.path, info)) from None
            # `unlock --force` may have removed the file after we opened it: the
            # flock we hold would then be on an orphan; start again on the new one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        info = LockInfo(
            pid=os.getpid(),
            host=socket.gethostname(),
            started_at=datetime.now(UTC),
            command=command,
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, _encode(info), 0)
        os.fsync(fd)
        self._fd = fd
        return info

    def _open(self) -> int:
        try:
            return open_state_file(self.path, "state lock", os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            msg = f"cannot open the state lock {self.path}: {exc.strerror}"
            raise JournalError(msg) from exc

    def release(self) -> None:
        """Release the lock and clear its info (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # drops the flock

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def read(self) -> LockInfo | None:
        """The holder info in the lock file (None if absent, empty or unreadable)."""
        try:
            fd = open_state_file(self.path, "state lock", os.O_RDONLY)
        except (OSError, InputError):  # absent, or a link it must not follow
            return None
        try:
            return _read_fd(fd)
        finally:
            os.close(fd)

    def holder_alive(self) -> bool:
        """Whether some process (this one included) holds the lock now."""
        try:
            fd = open_state_file(self.path, "state lock", os.O_RDONLY)
        except (OSError, InputError):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    @contextlib.contextmanager
    def holding(self, command: str, *, timeout: float = 0.0) -> Iterator[LockInfo]:
        """Hold the lock for the `with` block (see `acquire`)."""
        info = self.acquire(command=command, timeout=timeout)
        try:
            yield info
        finally:
            self.release()

    def __enter__(self) -> Self:
        self.acquire(command="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_fd(fd: int) -> LockInfo | None:
    try:
        return _decode(os.pread(fd, 4096, 0))
    except OSError:
        return None


def unlock(path: str | os.PathLike[str], *, force: bool) -> LockInfo | None:
    """Remove the lock file at `path` (what `gcsched unlock` does).

    Args:
        path: the lock file.
        force: remove it even if a live process holds it (that process keeps
            running unaware; use only when you know it is not writing).

    Returns:
        The info of the holder that was cleared, or None if there was none.

    Raises:
        LockHeldError: a live process holds the lock and `force` is false.
    """
    lock = StateLock(path)
    info = lock.read()
    if lock.holder_alive() and not force:
        raise LockHeldError(_held_message(lock.path, info, _FORCE_HINT))
    with contextlib.suppress(FileNotFoundError):
        lock.path.unlink()
    return info
