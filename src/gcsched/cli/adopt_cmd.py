"""`gcsched adopt FILE TARGET...`: take schedules into the file's project."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gcsched.cli.common import fail, globals_of, handle_errors, out, plain, run_async
from gcsched.cli.connect_opts import load_file, open_connection

if TYPE_CHECKING:
    from gcsched.engine.adopt import Adoption

__all__ = ["register"]


def _show(found: Sequence[Adoption], project: str) -> None:
    for item in found:
        owner = item.owner_before or "nobody (not written by gcsched)"
        out.print(
            plain(
                f"{item.target_name} ({item.family} {item.target_id}), "
                f"version {item.record.version}, owned now by {owner}; "
                f"becomes project {project}'s:"
            )
        )
        out.print(plain(json.dumps(item.body, indent=2, sort_keys=True)))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""

    @app.command()
    @handle_errors
    def adopt(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The schedule file."),
        targets: list[str] = typer.Argument(
            ..., help="Campaigns, sequences or messaging campaigns (id or name)."
        ),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; adopt."),
    ) -> None:
        """Record existing schedules as owned by the file's project."""
        from gcsched.cli.common import is_interactive

        g = globals_of(ctx)
        schedule_file = load_file(g, file)

        def confirm(found: Sequence[Adoption]) -> bool:
            _show(found, schedule_file.project)
            if yes:
                return True
            if not is_interactive():
                fail("adopt needs confirmation: pass --yes (no terminal to ask on)", 2)
            return typer.confirm(
                f"Adopt {len(found)} schedule(s) into project {schedule_file.project}?",
                default=False,
            )

        async def go() -> tuple[Adoption, ...]:
            async with open_connection(g, file=schedule_file) as conn:
                return await conn.adopt(schedule_file, targets, confirm=confirm)

        adopted = run_async(go())
        if not adopted:
            out.print("Nothing adopted.")
            return
        out.print(
            plain(
                f"Adopted {len(adopted)} schedule(s) into project "
                f"{schedule_file.project}; the next plan manages them."
            )
        )
