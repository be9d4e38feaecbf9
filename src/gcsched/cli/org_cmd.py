"""`gcsched export` and `gcsched report`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gcsched.cli.common import (
    err,
    fail,
    globals_of,
    handle_errors,
    out,
    plain,
    run_async,
    today,
)

if TYPE_CHECKING:
    from gcsched.engine.live import LiveCalendar

__all__ = ["register"]

_FORMATS = ("html", "json", "ics")


def _write(data: bytes, target: Path | None) -> None:
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        target.write_bytes(data)
        out.print(plain(f"wrote {target} ({len(data):,} bytes)", style="dim"))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""

    @app.command()
    @handle_errors
    def export(
        ctx: typer.Context,
        output: Path | None = typer.Option(
            None, "-o", "--output", help="Write here instead of stdout."
        ),
    ) -> None:
        """Write the org's schedules as a schedule file."""
        from gcsched.cli.connect_opts import open_connection

        g = globals_of(ctx)

        async def go() -> str:
            async with open_connection(g) as conn:
                return await conn.export()

        _write(run_async(go()).encode(), output)

    @app.command()
    @handle_errors
    def report(
        ctx: typer.Context,
        file: Path | None = typer.Argument(None, help="The schedule file."),
        live: bool = typer.Option(False, "--live", help="What is in the org now."),
        start: str | None = typer.Option(
            None, "--from", help="First day (YYYY-MM-DD)."
        ),
        end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
        fmt: str = typer.Option("html", "--format", help="html, json or ics."),
        output: Path | None = typer.Option(
            None, "-o", "--output", help="Write here instead of stdout."
        ),
        rules_file: Path | None = typer.Option(
            None,
            "--file",
            help="With --live: check calling hours with the purposes, contacts "
            "and policy.compliance of this schedule file's campaigns.",
        ),
        purpose: str | None = typer.Option(
            None,
            "--purpose",
            help="With --live: check calling hours for this purpose (the "
            "campaigns --file does not give one).",
        ),
    ) -> None:
        """The calendar of a file, or with --live of the org (stdout without -o)."""
        from gcsched.api import load, render_report
        from gcsched.api import report as build
        from gcsched.domain.model import Policy

        if (file is None) == (not live):
            fail("give a schedule FILE or --live (not both)", 2)
        if not live and (rules_file is not None or purpose is not None):
            fail("--file and --purpose go with --live (a FILE has its own)", 2)
        if fmt not in _FORMATS:
            fail(f"--format {fmt!r} is not one of {', '.join(_FORMATS)}", 2)
        first = _date(start, "--from")
        last = _date(end, "--to")
        if first and last and last < first:
            fail(f"--to {last} is before --from {first}", 2)
        if file is not None:
            schedule_file = load(file)
            value = build(
                schedule_file.schedules,
                schedule_file.policy,
                today=today(),
                start=first,
                end=last,
                title=file.name,
                source=str(file),
                calendars=schedule_file.calendars,
            )
            from gcsched.api.compliance import report_compliance

            value = report_compliance(schedule_file, value)
        else:
            from gcsched.cli.connect_opts import open_connection

            g = globals_of(ctx)

            checked = rules_file is not None or purpose is not None
            rules = None if rules_file is None else load(rules_file)

            async def go() -> LiveCalendar:
                async with open_connection(g) as conn:
                    return await conn.live_calendar(guards=checked)

            calendar = run_async(go())
            for note in calendar.skipped:
                err.print(
                    plain(f"warning: left out (gcsched cannot express it): {note}")
                )
            value = build(
                calendar.schedules,
                Policy(audience_conflicts="warn"),
                today=today(),
                start=first,
                end=last,
                title=f"{calendar.org_name} (live)",
                source="live org",
                audiences=calendar.audiences,
                sizes=calendar.sizes,
                list_names=calendar.list_names,
            )
            if checked:
                from gcsched.api.compliance import live_report_compliance

                value = live_report_compliance(
                    value, calendar, file=rules, purpose=purpose
                )
        if value.audience_warning:
            err.print(plain(f"warning: {value.audience_warning}", style="yellow"))
        _write(render_report(value, fmt), output)


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a date (YYYY-MM-DD)", 2)
