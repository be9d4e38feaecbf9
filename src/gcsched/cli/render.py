"""Rich rendering of plans, validations and runs (the only place that prints)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gcsched.cli import common
from gcsched.cli.common import plain, plain_out, printable
from gcsched.cli.plain_console import escape

if TYPE_CHECKING:
    from gcsched.domain import Conflict

__all__ = ["print_conflicts", "print_plan", "print_run", "print_warnings"]

_STYLES = {
    "header": "bold",
    "create": "green",
    "update": "yellow",
    "delete": "red",
    "pacing": "cyan",
    "conflict": "magenta",
    "warning": "yellow",
    "dim": "dim",
    "summary": "bold",
}


def print_plan(lines: Sequence[tuple[str, str]]) -> None:
    """Print `render_text(plan)` lines with their styles."""
    for style, line in lines:
        common.out.print(plain(line, style=_STYLES.get(style, "")))


def print_conflicts(
    conflicts: Sequence[Conflict], names: Mapping[str, str] | None = None
) -> None:
    """A table of conflicts, one row per pair and outcome."""
    if not conflicts:
        return
    from rich.table import Table

    table = Table(title="Conflicts", title_justify="left", show_lines=False)
    for column in (
        "schedules",
        "audience",
        "overlaps",
        "first → last (UTC)",
        "resolution",
        "winner",
    ):
        table.add_column(column)
    from gcsched.plan import group_conflicts

    for g in group_conflicts(conflicts, names):
        span = f"{g.first:%Y-%m-%d %H:%M} → {g.last:%Y-%m-%d %H:%M}"
        style = "red" if g.resolution == "reject" else ""
        table.add_row(
            plain(" × ".join(g.campaigns)),
            plain(g.audience),
            f"{g.count} ({g.hours()})",
            span,
            plain(g.resolution, style=style),
            plain(f"{g.winner} ({g.reason})" if g.winner else "-"),
        )
    common.out.print(table)


def _styled(text: str, style: str) -> str:
    """`text` (from the file or the org) as console markup in `style`."""
    return f"[{style}]{escape(printable(text))}[/]"


def print_warnings(warnings: Sequence[str]) -> None:
    """Warnings, one per line."""
    for warning in warnings:
        plain_out.print(_styled(f"warning: {warning}", "yellow"))


def print_compliance(report: Any) -> None:
    """Calling-hour errors (``enforce`` violations) and guarded findings.

    Warnings (``warn`` violations, unverified findings, notes) are among the
    command's warnings already.
    """
    if report is None:
        return
    for finding in report.errors:
        plain_out.print(_styled(f"error: calling hours: {finding.message()}", "red"))
    for finding in report.findings:
        if finding.status == "guarded":
            plain_out.print(_styled(f"guarded: {finding.message()}", "dim"))


def print_run(result: Any) -> None:
    """The end-of-run summary of an apply."""
    from rich.table import Table

    table = Table(title=f"Run {result.run_id}: {result.status}", title_justify="left")
    for column in ("step", "action", "target", "status", "detail"):
        table.add_column(column)
    colours = {"confirmed": "green", "conflict": "magenta", "failed": "red"}
    for o in result.outcomes:
        table.add_row(
            str(o.step_id),
            f"{o.action} {o.kind}",
            plain(o.target_name),
            plain(o.status, style=colours.get(o.status, "")),
            plain(o.detail),
        )
    common.out.print(table)
