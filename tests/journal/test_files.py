"""State files are never followed through a symlink nor taken from another user."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

import gcsched
from gcsched.audit import AuditLog
from gcsched.errors import InputError
from gcsched.journal import Journal, StateLock
from gcsched.journal import unlock as gcsched_unlock
from gcsched.journal.files import check_state_dir, check_state_file

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "q4.yaml"
TODAY = date(2026, 11, 27)
VICTIM = b"precious data that must survive\n"


async def _apply(state: Path) -> gcsched.ApplyOutcome:
    async with gcsched.connect(sandbox=True, state_dir=state) as org:
        return await org.apply(EXAMPLE, today=TODAY)


def _content(path: Path) -> bytes:
    return path.read_bytes()


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(VICTIM)
    return path


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("lock", "state lock"),
        ("journal.sqlite", "journal"),
        ("journal.sqlite-wal", "journal file"),
        ("audit.jsonl", "audit log"),
        ("sandbox.json", "sandbox state file"),
        ("sandbox.json.tmp", "sandbox state file"),
    ],
)
async def test_apply_refuses_a_state_file_that_is_a_symlink(
    tmp_path: Path, victim: Path, name: str, what: str
) -> None:
    """The file a planted link points to is left alone; the message says what to do."""
    state = tmp_path / "state"
    state.mkdir()
    (state / name).symlink_to(victim)
    with pytest.raises(InputError) as info:
        await _apply(state)
    assert f"the {what} {state / name} is a symbolic link" in info.value.message
    assert "replace it" in info.value.message
    assert _content(victim) == VICTIM


@pytest.mark.anyio
async def test_apply_refuses_a_state_dir_that_is_a_symlink(tmp_path: Path) -> None:
    """A `.gcsched` that links elsewhere is refused before anything is written."""
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "state").symlink_to(real, target_is_directory=True)
    with pytest.raises(InputError, match=r"state dir .* is a symbolic link"):
        await _apply(tmp_path / "state")
    assert list(real.iterdir()) == []


def test_the_lock_opens_without_following_a_link(tmp_path: Path, victim: Path) -> None:
    """`StateLock` refuses a link, and reading the holder does not follow it."""
    (tmp_path / "lock").symlink_to(victim)
    lock = StateLock(tmp_path / "lock")
    with pytest.raises(InputError, match="symbolic link"):
        lock.acquire(command="apply")
    assert lock.read() is None
    assert not lock.holder_alive()
    assert victim.read_bytes() == VICTIM
    assert gcsched_unlock(tmp_path / "lock", force=False) is None  # the way out
    assert not (tmp_path / "lock").exists()
    assert victim.read_bytes() == VICTIM


def test_the_audit_log_and_journal_refuse_links(tmp_path: Path, victim: Path) -> None:
    """Appending to (or reading) a linked log, or opening a linked journal, fails."""
    (tmp_path / "audit.jsonl").symlink_to(victim)
    log = AuditLog(tmp_path / "audit.jsonl")
    with pytest.raises(InputError, match=r"audit log .* is a symbolic link"):
        log.entries()
    with pytest.raises(InputError, match=r"audit log .* is a symbolic link"):
        log.verify()
    (tmp_path / "journal.db").symlink_to(victim)
    with pytest.raises(InputError, match=r"journal .* is a symbolic link"):
        Journal.open(tmp_path / "journal.db")
    assert victim.read_bytes() == VICTIM


def test_files_of_another_user_are_refused(tmp_path: Path) -> None:
    """Owned by someone else (here: expected uid differs) → refused, naming both."""
    mine = tmp_path / "lock"
    mine.write_text("")
    other = os.geteuid() + 1
    with pytest.raises(InputError, match=f"belongs to uid {os.geteuid()}") as info:
        check_state_file(mine, "state lock", uid=other)
    assert f"(uid {other})" in info.value.message
    assert "--state-dir" in info.value.message
    with pytest.raises(InputError, match="state dir"):
        check_state_dir(tmp_path, uid=other)
    assert check_state_file(mine, "state lock")
    assert not check_state_file(tmp_path / "absent", "state lock")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file away")
def test_a_lock_owned_by_another_user_is_refused_as_root(tmp_path: Path) -> None:
    """Root applying in a dir where another user planted the lock file."""
    planted = tmp_path / "lock"
    planted.write_text("")
    os.chown(planted, 65534, 65534)
    with pytest.raises(InputError, match="belongs to uid 65534"):
        StateLock(planted).acquire(command="apply")


def test_a_regular_file_where_the_state_dir_goes_is_refused(tmp_path: Path) -> None:
    """Not a directory: a clear message instead of an OS error later."""
    (tmp_path / "state").write_text("")
    with pytest.raises(InputError, match="is not a directory"):
        check_state_dir(tmp_path / "state")
