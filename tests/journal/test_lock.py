"""The single-writer state lock, across real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gcsched.errors import LockHeldError
from gcsched.journal import StateLock, unlock

_HOLDER = """
import sys, time
from gcsched.journal import StateLock
lock = StateLock(sys.argv[1])
lock.acquire(command="apply schedules.yaml")
print("held", flush=True)
time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A separate process holding the lock at tmp_path/lock."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path / "lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()


def test_second_process_gets_lock_held_error(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """A live holder elsewhere refuses us, naming pid, host, start and the way out."""
    lock = StateLock(tmp_path / "lock")
    with pytest.raises(LockHeldError) as info:
        lock.acquire(command="apply")
    message = str(info.value)
    assert f"pid {holder.pid}" in message
    assert os.uname().nodename in message
    assert "apply schedules.yaml" in message
    assert "gcsched unlock" in message
    assert lock.holder_alive() is True
    info_now = lock.read()
    assert info_now is not None
    assert info_now.pid == holder.pid
    assert not lock.held


def test_sigkilled_holder_frees_the_lock(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """After the holder is SIGKILLed, the lock is free without any unlock."""
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    lock = StateLock(tmp_path / "lock")
    assert lock.holder_alive() is False
    info = lock.acquire(command="apply again")
    assert info.pid == os.getpid()
    assert lock.read() == info
    lock.release()
    assert lock.read() is None


def test_unlock_refuses_live_holder_without_force(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """`unlock` refuses a live holder, and with force removes its lock file."""
    path = tmp_path / "lock"
    with pytest.raises(LockHeldError, match="--force"):
        unlock(path, force=False)
    assert path.exists()
    cleared = unlock(path, force=True)
    assert cleared is not None
    assert cleared.pid == holder.pid
    assert not path.exists()
    lock = StateLock(path)
    lock.acquire(command="after force")  # a fresh file, a fresh flock
    lock.release()


def test_unlock_clears_a_dead_holders_record(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """Once the holder is gone, plain `unlock` removes the stale record."""
    holder.kill()
    holder.wait()
    cleared = unlock(tmp_path / "lock", force=False)
    assert cleared is not None
    assert cleared.pid == holder.pid
    assert unlock(tmp_path / "lock", force=False) is None


def test_lock_in_one_process(tmp_path: Path) -> None:
    """Within one process: context manager, double acquire, idempotent release."""
    path = tmp_path / "state" / "lock"
    with StateLock(path) as lock:
        assert lock.held
        assert lock.holder_alive()
        with pytest.raises(LockHeldError, match="already held by this process"):
            lock.acquire(command="x")
        with pytest.raises(LockHeldError, match="held by pid"):
            StateLock(path).acquire(command="y")
    assert not lock.held
    lock.release()
    assert StateLock(tmp_path / "none").holder_alive() is False
    path.write_text("garbage")
    assert StateLock(path).read() is None


def test_lock_timeout_waits_for_the_holder_to_go(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """With a timeout the lock is taken once the holder ends; without, refused."""
    lock = StateLock(tmp_path / "lock")
    with pytest.raises(LockHeldError):
        lock.acquire(command="apply", timeout=0.3)
    threading.Timer(1.0, holder.kill).start()
    with lock.holding("apply", timeout=60) as info:
        assert info.pid == os.getpid()
