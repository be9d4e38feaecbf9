"""`gcsched demo`: the main job end to end on the embedded sandbox."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.rule import Rule
from rich.table import Table

from gcsched.cli.common import (
    Globals,
    err,
    fail,
    handle_errors,
    out,
    plain,
    run_async,
    today,
)
from gcsched.cli.render import print_conflicts, print_plan, print_run, print_warnings

if TYPE_CHECKING:
    from gcsched.api import ApplyOutcome
    from gcsched.domain.model import ScheduleFile
    from gcsched.plan import Plan

__all__ = ["demo_file", "register"]


def demo_file() -> Path:
    """The demo schedule file: `examples/q4.yaml` here, else the packaged copy."""
    local = Path("examples/q4.yaml")
    if local.is_file():
        return local
    packaged = resources.files("gcsched").joinpath("examples/q4.yaml")
    return Path(str(packaged))


def _calendar(schedule_file: ScheduleFile) -> None:
    from gcsched.api import report

    start = today()
    value = report(
        schedule_file.schedules, schedule_file.policy, today=start, title="demo"
    )
    table = Table(title="The next windows (local time of each schedule)")
    table.add_column("schedule")
    table.add_column("zone")
    table.add_column("next windows")
    for row in value.rows:
        upcoming = []
        for occ in row.occurrences[:3]:
            zone = ZoneInfo(occ.zone)
            local_start, local_end = (
                occ.start.astimezone(zone),
                occ.end.astimezone(zone),
            )
            upcoming.append(f"{local_start:%a %d %b %H:%M}–{local_end:%H:%M}")
        table.add_row(row.label, row.zone, "; ".join(upcoming) or "-")
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the command of this module to `app`."""

    @app.command()
    @handle_errors
    def demo(
        file: Path | None = typer.Option(None, "--file", help="Another schedule file."),
        out_dir: Path | None = typer.Option(
            None, "--out-dir", help="Where to write the reports (default: a temp dir)."
        ),
    ) -> None:
        """Validate, plan, apply, re-plan (empty) and report on a fresh sandbox org."""
        from gcsched.api import connect, load, render_report, report, validate
        from gcsched.cli.progress import RichProgress
        from gcsched.plan import render_text

        path = file or demo_file()
        reports = out_dir or Path(tempfile.mkdtemp(prefix="gcsched-demo-"))
        reports.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="gcsched-demo-state-") as state:
            g = Globals(sandbox=True, state_dir=state)
            out.print(Rule(plain(f"1. validate {path}")))
            checked = validate(path, today=today())
            print_conflicts(checked.check.conflicts)
            print_warnings(checked.warnings)
            schedule_file = load(path)
            out.print(f"[green]valid:[/] {len(schedule_file.schedules)} schedules")
            _calendar(schedule_file)

            async def go() -> tuple[Plan, ApplyOutcome, Plan]:
                async with connect(sandbox=True, state_dir=g.state_dir) as conn:
                    first = (await conn.plan(schedule_file)).plan
                    out.print(Rule("2. plan against the sandbox org"))
                    print_plan(render_text(first))
                    out.print(Rule("3. apply"))
                    with RichProgress(err) as progress:
                        applied = await conn.apply(
                            schedule_file, checksum=first.checksum(), progress=progress
                        )
                    again = (await conn.plan(schedule_file)).plan
                    return first, applied, again

            first, applied, again = run_async(go())
            if applied.run is not None:
                print_run(applied.run)
            out.print(Rule("4. plan again: must be empty"))
            if again.has_changes:
                print_plan(render_text(again))
                fail("the second plan is not empty: the apply did not converge", 1)
            from gcsched.plan import no_changes

            out.print(f"[green]{no_changes(again.summary()['unchanged'])}[/]")
            out.print(Rule("5. report"))
            value = report(
                schedule_file.schedules,
                schedule_file.policy,
                today=today(),
                title=path.name,
                source=str(path),
                calendars=schedule_file.calendars,
            )
            for fmt in ("html", "json", "ics"):
                target = reports / f"calendar.{fmt}"
                target.write_bytes(render_report(value, fmt))
                out.print(plain(f"wrote {target}"))
            del first
        out.print(
            "[bold green]demo complete:[/] validate, plan, apply, re-plan (empty), "
            "report"
        )
