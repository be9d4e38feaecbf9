"""Where gcsched keeps its local state (the `--state-dir`, default `.gcsched/`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gcsched.errors import InputError
from gcsched.journal.files import check_state_dir, check_state_file

__all__ = ["DEFAULT_STATE_DIR", "StatePaths"]

DEFAULT_STATE_DIR = ".gcsched"


@dataclass(frozen=True, slots=True)
class StatePaths:
    """The files under the state dir."""

    root: Path

    @classmethod
    def at(cls, root: str | Path | None) -> StatePaths:
        """The state paths under `root` (default `.gcsched/`)."""
        return cls(Path(root if root is not None else DEFAULT_STATE_DIR))

    @property
    def journal(self) -> Path:
        """The SQLite journal of runs, steps and the webhook outbox."""
        return self.root / "journal.sqlite"

    @property
    def audit(self) -> Path:
        """The hash-chained audit log."""
        return self.root / "audit.jsonl"

    @property
    def lock(self) -> Path:
        """The single-writer lock file."""
        return self.root / "lock"

    @property
    def sandbox(self) -> Path:
        """The embedded sandbox's persisted org (for `--sandbox`)."""
        return self.root / "sandbox.json"

    def make(self) -> None:
        """Create the state dir if needed, refusing one that is a link or not ours.

        Raises:
            InputError: the state dir is a symlink, not a directory, owned by
                another user, or cannot be created.
        """
        check_state_dir(self.root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"cannot create the state dir {self.root}: {exc.strerror}"
            raise InputError(msg) from exc
        check_state_dir(self.root)

    def check_sandbox(self) -> bool:
        """Refuse a sandbox state file (or its temporary twin) that is a link.

        Returns:
            Whether the sandbox state file exists.

        Raises:
            InputError: it is a symlink, not a regular file, or not ours.
        """
        check_state_dir(self.root)
        check_state_file(
            self.sandbox.with_name(self.sandbox.name + ".tmp"), "sandbox state file"
        )
        return check_state_file(self.sandbox, "sandbox state file")
