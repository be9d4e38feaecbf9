"""Where gcsched keeps its local state (the `--state-dir`, default `.gcsched/`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
