"""A live progress bar for apply: steps, ETA, 429s and retries."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from gcsched.cli.common import plain
from gcsched.telemetry import Event, RateLimited, RetryScheduled, add_hook, remove_hook

if TYPE_CHECKING:
    from gcsched.engine import StepOutcome

__all__ = ["RichProgress"]


class RichProgress:
    """Satisfies `gcsched.engine.Progress`; draws nothing until the run starts."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.rate_limited = 0
        self.retries = 0

    def __enter__(self) -> RichProgress:
        add_hook(self._on_event)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        remove_hook(self._on_event)
        if self._progress is not None:
            self._progress.stop()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RateLimited):
            self.rate_limited += 1
        elif isinstance(event, RetryScheduled):
            self.retries += 1
        self._refresh()

    def _refresh(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(
                self._task, stats=f"429s {self.rate_limited} · retries {self.retries}"
            )

    def start(self, total: int) -> None:
        """The run has `total` steps."""
        self._progress = Progress(
            TextColumn("[bold]apply"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=self._console,
            transient=False,
        )
        self._task = self._progress.add_task(
            "apply", total=total, stats="429s 0 · retries 0"
        )
        self._progress.start()

    def advance(self, outcome: StepOutcome) -> None:
        """One step finished."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)
            if outcome.status != "confirmed":
                self._progress.console.print(
                    plain(
                        f"  {outcome.status}: {outcome.action} "
                        f"{outcome.target_name} — {outcome.detail}"
                    )
                )
