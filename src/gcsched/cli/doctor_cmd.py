"""`gcsched doctor [--probe CAMPAIGN] [--json]`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from gcsched.cli.common import globals_of, handle_errors, out, plain, run_async

if TYPE_CHECKING:
    from gcsched.engine.doctor import DoctorReport

__all__ = ["register"]


def _print(report: DoctorReport) -> None:
    org = report.org
    if org:
        out.print(
            plain(f"org {org.get('name')} ({org.get('id')}) at {org.get('api_url')}")
        )
    for check in report.checks:
        mark = "✓" if check.ok else "✗"
        style = "green" if check.ok else "red"
        out.print(plain(f"{mark} {check.name}: {check.detail}", style=style))
        if check.fix:
            out.print(plain(f"    to do: {check.fix}", style="dim"))
    out.print(plain("facts:"))
    for name, value in report.facts.items():
        if value is not None:
            shown = json.dumps(value)
        elif name == "schedule_lists_paged":
            shown = "unknown (too few schedules to tell)"
        else:
            shown = "unsettled (run with --probe CAMPAIGN)"
        out.print(plain(f"  {name}: {shown}"))


def register(app: typer.Typer) -> None:
    """Add `doctor` to `app`."""

    @app.command()
    @handle_errors
    def doctor(
        ctx: typer.Context,
        probe: str | None = typer.Option(
            None,
            "--probe",
            metavar="CAMPAIGN",
            help="A voice campaign that is off: its schedule is written, read "
            "and put back to settle the unsettled answers.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Check credentials, permissions, limits and state; settle the org's facts."""
        from gcsched.cli.connect_opts import open_connection

        g = globals_of(ctx)

        async def go() -> DoctorReport:
            async with open_connection(g) as conn:
                report: DoctorReport = await conn.doctor(probe=probe)
                return report

        report = run_async(go())
        if as_json:
            out.print_json(json.dumps(report.to_json()))
        else:
            _print(report)
        raise typer.Exit(0 if report.ok else 1)
