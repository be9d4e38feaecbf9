"""Rich rendering of plans, validations and runs (the only place that prints)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gcsched.cli import common
from gcsched.cli.common import plain, plain_out, printable
from gcsched.cli.plain_console import escape, rich_prints_plain

if TYPE_CHECKING:
    from gcsched.domain import Conflict, ConflictPair

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


_CONFLICT_COLUMNS = (
    "schedules",
    "audience",
    "overlaps",
    "first → last (UTC)",
    "resolution",
    "winner",
)


def print_conflicts(
    conflicts: Sequence[Conflict],
    names: Mapping[str, str] | None = None,
    *,
    pairs: Sequence[ConflictPair] | None = None,
) -> int:
    """A table of conflicts, one row per pair and outcome; returns the rows.

    `pairs`, when given, are the conflicts summed per pair (a
    `CheckResult`'s), read instead of `conflicts`: the same rows without a
    pass over every overlap. On a pipe or a file the table is laid out
    without rich when `gcsched.cli.plain_table` can (the same bytes); else
    rich draws it.
    """
    if not (conflicts if pairs is None else pairs):
        return 0
    from gcsched.plan.conflict_groups import group_conflicts, group_pairs

    groups = (
        group_conflicts(conflicts, names)
        if pairs is None
        else group_pairs(pairs, names)
    )
    rows = [
        (
            " × ".join(g.campaigns),
            g.audience,
            f"{g.count} ({g.hours()})",
            f"{g.first:%Y-%m-%d %H:%M} → {g.last:%Y-%m-%d %H:%M}",
            g.resolution,
            f"{g.winner} ({g.reason})" if g.winner else "-",
        )
        for g in groups
    ]
    if _print_plain_table("Conflicts", _CONFLICT_COLUMNS, rows):
        return len(groups)
    from rich.table import Table

    table = Table(title="Conflicts", title_justify="left", show_lines=False)
    for column in _CONFLICT_COLUMNS:
        table.add_column(column)
    for (pair, audience, count, span, resolution, winner), g in zip(
        rows, groups, strict=True
    ):
        style = "red" if g.resolution == "reject" else ""
        table.add_row(
            plain(pair),
            plain(audience),
            count,
            span,
            plain(resolution, style=style),
            plain(winner),
        )
    common.out.print(table)
    return len(groups)


def _print_plain_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> bool:
    """Print the table without rich if that gives rich's bytes; whether it did.

    `rows` are as the file and the org wrote them (made printable here).
    """
    file = sys.stdout
    if not rich_prints_plain(file):
        return False
    from gcsched.cli.plain_table import console_width, table_text

    width = console_width()
    if width is None:
        return False
    cells = [[printable(cell) for cell in row] for row in rows]
    text = table_text(
        title,
        headers,
        cells,
        width,
        encoding=getattr(file, "encoding", None) or "utf-8",
    )
    if text is None:
        return False
    file.write(text)
    file.flush()
    return True


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
