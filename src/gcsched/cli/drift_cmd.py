"""`gcsched drift FILE [--json] [--since 7d]`: exit 0 no drift, 4 drift, 1 errors."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gcsched.cli.common import fail, globals_of, handle_errors, out, plain, run_async

if TYPE_CHECKING:
    from gcsched.engine.drift import DriftReport

__all__ = ["parse_since", "register"]

_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
#: The platform keeps audits for about a year (research §2.5).
_MAX_SINCE = timedelta(days=365)


def parse_since(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d`` or ``2w`` as a timedelta.

    Raises:
        typer.BadParameter: another spelling, zero, or more than a year.
    """
    found = _SINCE.match(text)
    if found is None:
        msg = f"{text!r}: use a number and m, h, d or w (e.g. 7d)"
        raise typer.BadParameter(msg)
    span = timedelta(**{_UNITS[found[2]]: int(found[1])})
    if not timedelta(0) < span <= _MAX_SINCE:
        msg = f"{text!r}: between 1 minute and 365 days (the platform keeps a year)"
        raise typer.BadParameter(msg)
    return span


def _print(report: DriftReport) -> None:
    org = f"{report.org_name} ({report.org_id})"
    if not report.drifted:
        out.print(
            plain(
                f"No drift: the {report.checked} schedule(s) gcsched wrote in {org} "
                "are as it left them.",
                style="green",
            )
        )
    for found in report.drifted:
        out.print(
            plain(
                f"{found.target_kind} {found.target_name}: {found.how} outside "
                f"gcsched (version {found.version_written} → {found.version_now})",
                style="yellow",
            )
        )
        who = ", ".join(found.authors())
        when = found.when() or "unknown"
        out.print(plain(f"  who: {who}   when: {when}"))
        if found.note:
            out.print(plain(f"  note: {found.note}", style="dim"))
        for change in found.changes:
            props = ", ".join(change.properties) or "no property detail"
            out.print(
                plain(
                    f"  audit {change.audit_id}: {change.action} by "
                    f"{change.author.label()} at {change.when} ({props})",
                    style="dim",
                )
            )
        out.print(plain("  what (file → org):"))
        for line in found.fields:
            out.print(plain(f"    {line}"))
    for note in report.notes:
        out.print(plain(f"note: {note}", style="dim"))
    if report.recorded:
        out.print(
            plain(
                f"{report.recorded} external change(s) added to the audit log",
                style="dim",
            )
        )


def register(app: typer.Typer) -> None:
    """Add `drift` to `app`."""

    @app.command()
    @handle_errors
    def drift(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The schedule file."),
        as_json: bool = typer.Option(False, "--json", help="The drift as JSON."),
        since: str = typer.Option(
            "7d",
            "--since",
            help="How far back to read the platform audit trail: 30m, 12h, 7d, 2w.",
        ),
    ) -> None:
        """Managed schedules changed outside gcsched: who, when and what."""
        from gcsched.api import load
        from gcsched.cli.connect_opts import open_connection

        g = globals_of(ctx)
        try:
            window = parse_since(since)
        except typer.BadParameter as exc:
            fail(f"--since {exc}", 2)
        schedule_file = load(file)

        async def go() -> DriftReport:
            async with open_connection(g, file_region=schedule_file.region) as conn:
                return await conn.drift(schedule_file, since=window)

        report = run_async(go())
        if as_json:
            out.print_json(json.dumps(report.to_json()))
        else:
            _print(report)
        raise typer.Exit(4 if report.has_drift else 0)
