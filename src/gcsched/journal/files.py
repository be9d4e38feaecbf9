"""State files that refuse to be redirected: no symlinks, owned by the user.

Everything gcsched keeps under the state dir (the journal, the lock, the audit
log, the sandbox's org) is opened through this module. A state dir or file that
is a symlink, or that belongs to another user, is refused before it is opened,
and files are opened with ``O_NOFOLLOW``, so a planted link can never make
gcsched (perhaps running as root) write to the file it points to.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from gcsched.errors import InputError

__all__ = ["check_state_dir", "check_state_file", "open_state_file"]


def _refuse(path: Path, what: str, why: str, fix: str) -> InputError:
    return InputError(f"the {what} {path} {why}; {fix}")


def _check(path: Path, what: str, *, directory: bool, uid: int | None) -> bool:
    """Whether `path` exists; raises when it is a symlink or someone else's."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        msg = f"the {what} {path} cannot be examined: {exc.strerror}"
        raise InputError(msg) from exc
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(
            path,
            what,
            "is a symbolic link",
            "gcsched never follows links in its state; replace it with a real "
            f"{'directory' if directory else 'file'} (or pass --state-dir)",
        )
    if directory and not stat.S_ISDIR(info.st_mode):
        raise _refuse(path, what, "is not a directory", "move it aside")
    if not directory and not stat.S_ISREG(info.st_mode):
        raise _refuse(path, what, "is not a regular file", "move it aside")
    owner = os.geteuid() if uid is None else uid
    if info.st_uid != owner:
        raise _refuse(
            path,
            what,
            f"belongs to uid {info.st_uid}, not to the user running gcsched "
            f"(uid {owner})",
            "run gcsched as its owner, or give it a state dir of your own "
            "(--state-dir)",
        )
    return True


def check_state_dir(path: Path, *, uid: int | None = None) -> bool:
    """Refuse a state dir that is a symlink, not a directory, or not ours.

    Args:
        path: the state dir (it may not exist yet).
        uid: the owner to expect (default: the effective uid).

    Returns:
        Whether the directory exists.

    Raises:
        InputError: it is a symlink, not a directory, or owned by another user.
    """
    return _check(path, "state dir", directory=True, uid=uid)


def check_state_file(path: Path, what: str, *, uid: int | None = None) -> bool:
    """Refuse a state file that is a symlink, not a regular file, or not ours.

    Args:
        path: the file (it may not exist yet).
        what: what it is, for the message (e.g. ``"audit log"``).
        uid: the owner to expect (default: the effective uid).

    Returns:
        Whether the file exists.

    Raises:
        InputError: it is a symlink, not a regular file, or owned by another user.
    """
    return _check(path, what, directory=False, uid=uid)


def open_state_file(path: Path, what: str, flags: int, mode: int = 0o600) -> int:
    """Open a state file with ``O_NOFOLLOW`` after `check_state_file`.

    Args:
        path: the file.
        what: what it is, for messages.
        flags: ``os.open`` flags (``O_NOFOLLOW`` and ``O_CLOEXEC`` are added).
        mode: the permissions of a file created now.

    Returns:
        The open file descriptor.

    Raises:
        InputError: the file is a symlink or someone else's.
        FileNotFoundError: it does not exist and `flags` does not create it.
        OSError: any other failure to open it.
    """
    check_state_file(path, what)
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link planted after the check
            raise _refuse(
                path, what, "is a symbolic link", "replace it with a real file"
            ) from exc
        raise
