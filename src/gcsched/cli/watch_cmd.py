"""`gcsched watch FILE [--heal]`: report (and heal) changes made outside gcsched."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gcsched.cli.common import err, globals_of, handle_errors, out, plain, run_async
from gcsched.cli.connect_opts import open_connection

if TYPE_CHECKING:
    from gcsched.engine.watch import Watcher

__all__ = ["register"]


def _report(line: str) -> None:
    """Drift and heals on stdout; the watch's own state on stderr."""
    (err if line.startswith("watch:") else out).print(plain(line))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""

    @app.command()
    @handle_errors
    def watch(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The schedule file."),
        heal: bool = typer.Option(
            False, "--heal", help="Re-apply the file when an owned schedule drifts."
        ),
        heal_cooldown: float = typer.Option(
            300.0, "--heal-cooldown", help="Seconds between two heals at least."
        ),
        heal_cap: int = typer.Option(
            6, "--heal-cap", help="Most heals in an hour; past it, exit 3."
        ),
        debounce: float = typer.Option(
            0.5, "--debounce", help="Seconds of quiet after an event before a check."
        ),
        heartbeat_timeout: float = typer.Option(
            90.0,
            "--heartbeat-timeout",
            help="Seconds without a heartbeat before reconnecting.",
        ),
        give_up_after: int = typer.Option(
            10,
            "--give-up-after",
            help="Failed connection attempts in a row before exiting 1.",
        ),
        metrics_file: Path | None = typer.Option(
            None, "--metrics-file", help="Keep drift gauges here (Prometheus text)."
        ),
    ) -> None:
        """Watch the org live; report drift of the file's schedules (Ctrl-C stops)."""
        from gcsched.api import load
        from gcsched.api.watch import watch as run_watch
        from gcsched.engine.watch import WatchSettings
        from gcsched.errors import GcSchedError, InputError

        g = globals_of(ctx)
        if heal_cap < 1 or heal_cooldown < 0 or debounce < 0 or give_up_after < 1:
            msg = (
                "--heal-cap and --give-up-after must be >= 1, --heal-cooldown "
                "and --debounce >= 0"
            )
            raise InputError(msg)
        if g.sandbox:
            msg = (
                "watch needs sockets, which the embedded sandbox cannot carry: run "
                "`gcsched sandbox serve` and pass --api-url http://127.0.0.1:8765"
            )
            raise InputError(msg)
        if heartbeat_timeout <= 0:
            msg = "--heartbeat-timeout must be > 0"
            raise InputError(msg)
        schedule_file = load(file)
        settings = WatchSettings(
            debounce=debounce,
            heartbeat_timeout=heartbeat_timeout,
            give_up_after=give_up_after,
            heal=heal,
            heal_cooldown=heal_cooldown,
            heal_cap=heal_cap,
        )
        seen: list[Watcher] = []

        async def go() -> None:
            async with open_connection(g, file_region=schedule_file.region) as conn:
                await run_watch(
                    conn,
                    schedule_file,
                    report=_report,
                    settings=settings,
                    metrics_file=metrics_file,
                    on_start=seen.append,
                )

        err.print(plain(f"watching {file} (Ctrl-C stops)"))
        try:
            run_async(go())
        except (GcSchedError, KeyboardInterrupt):
            _summary(seen)
            raise
        _summary(seen)


def _summary(seen: list[Watcher]) -> None:
    for watcher in seen:
        for line in watcher.summary.lines():
            out.print(plain(line))
