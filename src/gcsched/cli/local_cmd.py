"""`gcsched runs ...`, `unlock`, `audit ...`, `webhooks ...`: the local state."""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from gcsched.cli.common import (
    err,
    fail,
    globals_of,
    handle_errors,
    out,
    plain,
    printable,
    run_async,
    state_of,
)

if TYPE_CHECKING:
    from gcsched.api import ApplyOutcome
    from gcsched.plan import Plan

__all__ = ["register"]

runs_app = typer.Typer(help="The journal of apply runs.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
webhooks_app = typer.Typer(help="The webhook outbox.", no_args_is_help=True)

_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h`, `2w`, `90m`, `45s` → a timedelta."""
    match = _DURATION.match(text.strip())
    if not match:
        fail(f"{text!r} is not a duration; write e.g. 30d, 12h, 2w", 2)
    return timedelta(seconds=int(match[1]) * _UNITS[match[2]])


@runs_app.command("list")
@handle_errors
def runs_list(ctx: typer.Context) -> None:
    """The newest runs."""
    from gcsched.api.local import runs_with_steps

    runs = runs_with_steps(state_of(ctx))
    if not runs:
        out.print("No runs yet.")
        return
    table = Table()
    for column in ("run", "started (UTC)", "org", "env", "file", "status", "steps"):
        table.add_column(column)
    for run, steps in runs:
        table.add_row(
            run.id,
            f"{run.created_at:%Y-%m-%d %H:%M:%S}",
            plain(run.org_name),
            plain(run.environment or "-"),
            plain(run.file_path),
            run.status,
            ", ".join(f"{k} {v}" for k, v in sorted(steps.items())) or "-",
        )
    out.print(table)


@runs_app.command("show")
@handle_errors
def runs_show(
    ctx: typer.Context, run: str = typer.Argument(..., help="Run id or prefix.")
) -> None:
    """One run: its steps, outcome and metrics."""
    from gcsched.api.local import show_run

    record, steps = show_run(state_of(ctx), run)
    out.print(
        f"[bold]{record.id}[/] {record.status} — "
        f"org {escape(printable(record.org_name))} "
        f"({escape(printable(record.org_id))}), "
        + (
            ""
            if record.environment is None
            else f"environment {escape(printable(record.environment))}, "
        )
        + (f"reverts {record.reverts}, " if record.reverts else "")
        + f"file {escape(printable(record.file_path))} "
        f"(sha256 {record.file_sha256[:12]}), "
        f"checksum {record.checksum[:12]}"
    )
    table = Table()
    for column in ("#", "action", "kind", "target", "seen", "new", "status", "error"):
        table.add_column(column)
    for step in steps:
        change = step.change
        table.add_row(
            str(step.seq),
            change.action,
            change.stored_kind,
            plain(change.target_name),
            str(change.version_seen if change.version_seen is not None else "-"),
            str(step.version_new if step.version_new is not None else "-"),
            step.status,
            plain(step.error or ""),
        )
    out.print(table)
    if record.summary:
        out.print_json(json.dumps(record.summary, default=str))


@runs_app.command("prune")
@handle_errors
def runs_prune(
    ctx: typer.Context,
    older_than: str = typer.Option(..., "--older-than", help="e.g. 30d, 12h, 2w."),
    force: bool = typer.Option(
        False, "--force", help="Also runs a later apply would still resume."
    ),
) -> None:
    """Delete finished runs older than a duration (never resumable ones).

    A run whose steps are not all settled (some still planned or sent, say a
    run stopped by the network) is resumed by the next apply of its file, so it
    is kept unless --force.
    """
    from gcsched.api.local import prune_runs

    result = prune_runs(
        state_of(ctx),
        parse_duration(older_than),
        force=force,
    )
    out.print(f"Pruned {result.deleted} run(s).")
    if result.kept:
        err.print(
            plain(
                f"Kept {len(result.kept)} run(s) with steps still planned or sent: "
                "the next apply of their file reads those steps back and resumes "
                f"them ({', '.join(result.kept)}). Pass --force to prune them too."
            )
        )


@runs_app.command("revert")
@handle_errors
def runs_revert(
    ctx: typer.Context,
    run: str = typer.Argument(..., help="Run id or prefix."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; apply."),
    force: bool = typer.Option(
        False, "--force", help="Also revert schedules changed since that run."
    ),
) -> None:
    """Undo a run: plan its inverse from the journal, confirm, apply it.

    Creates become deletes, deletes re-create the prior body, updates PUT the
    prior body back. A schedule changed since that run is refused (exit 3)
    unless --force. The revert is a run of its own (journal and audit), in
    the reverted run's environment (its credentials, `..._ID_<ENV>` first).
    """
    # The apply command's own rendering, confirmation and ending: a revert
    # reads (and exits) like any apply.
    from gcsched.api.local import show_run
    from gcsched.cli.connect_opts import open_connection
    from gcsched.cli.plan_cmd import _confirm, _finish_apply, _show_plan
    from gcsched.cli.progress import RichProgress

    g = globals_of(ctx)
    reverted, _ = show_run(state_of(ctx), run)
    if g.env is not None and g.env != reverted.environment:
        where = (
            f"in environment {reverted.environment}"
            if reverted.environment
            else "with a file without environments"
        )
        fail(
            f"run {reverted.id} was applied {where}, not {g.env}: "
            + (
                f"pass --env {reverted.environment} or no --env"
                if reverted.environment
                else "drop --env"
            ),
            2,
        )

    def confirm(plan: Plan) -> bool:
        _show_plan(plan, as_json=False, markdown=False)
        return True if yes else _confirm(plan)

    async def go() -> ApplyOutcome:
        async with open_connection(g, environment=reverted.environment) as conn:
            with RichProgress(err) as progress:
                return await conn.revert(
                    run, force=force, confirm=confirm, progress=progress
                )

    _finish_apply(run_async(go()))


@audit_app.command("verify")
@handle_errors
def audit_verify(ctx: typer.Context) -> None:
    """Check the chain and that it reaches every hash the journal recorded."""
    from gcsched.api.local import audit_verify as verify

    result = verify(state_of(ctx))
    if result.ok:
        out.print(
            f"[green]audit log verified:[/] {result.entries} entries, chain intact"
        )
        return
    fail(
        f"audit log does not verify at line {result.first_bad_line}: {result.problem}",
        1,
    )


@audit_app.command("show")
@handle_errors
def audit_show(
    ctx: typer.Context, run: str | None = typer.Option(None, "--run", help="One run.")
) -> None:
    """The audit entries (of one run)."""
    from gcsched.api.local import audit_entries

    entries = audit_entries(state_of(ctx), run_id=run)
    table = Table()
    for column in ("seq", "time", "run", "actor", "action", "target", "hash"):
        table.add_column(column)
    for e in entries:
        target = e.get("target") or {}
        table.add_row(
            str(e.get("seq")),
            str(e.get("time")),
            plain(str(e.get("run_id"))),
            plain(str(e.get("actor"))),
            str(e.get("action")),
            plain(f"{target.get('kind')} {target.get('name')}"),
            str(e.get("hash", ""))[:12],
        )
    out.print(table)


@audit_app.command("export")
@handle_errors
def audit_export(ctx: typer.Context) -> None:
    """The audit log as JSON lines on stdout (for a SIEM)."""
    from gcsched.api.local import audit_export as export

    export(state_of(ctx), sys.stdout)


@webhooks_app.command("flush")
@handle_errors
def webhooks_flush(ctx: typer.Context) -> None:
    """Deliver every pending webhook event now (e.g. from cron)."""
    from gcsched.api.local import webhooks_flush as flush

    report = run_async(flush(state_of(ctx)))
    for error in report.errors:
        err.print(plain(f"  {error}"))
    if report.pending < 0:
        fail("the webhook outbox could not be read (see above)", 1)
    out.print(
        f"delivered {report.delivered}, failed {report.failed} "
        f"(given up: {report.dead}), still pending {report.pending}, "
        f"endpoints disabled {report.disabled}"
    )
    if report.pending:
        out.print("[yellow]warning:[/] events are still waiting; flush again later")


@webhooks_app.command("enable")
@handle_errors
def webhooks_enable(ctx: typer.Context, url: str = typer.Argument(...)) -> None:
    """Re-enable an endpoint disabled by a 410 answer."""
    from gcsched.api.local import webhooks_enable as enable

    if enable(state_of(ctx), url):
        out.print(plain(f"enabled {url}; pending events go out on the next flush"))
    else:
        out.print(plain(f"{url} was not disabled"))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.add_typer(runs_app, name="runs")
    app.add_typer(audit_app, name="audit")
    app.add_typer(webhooks_app, name="webhooks")

    @app.command()
    @handle_errors
    def unlock(
        ctx: typer.Context,
        force: bool = typer.Option(
            False, "--force", help="Even if the holder is alive."
        ),
    ) -> None:
        """Clear a lock whose holder is gone."""
        from gcsched.api.local import clear_lock

        info = clear_lock(state_of(ctx), force=force)
        if info is None:
            out.print("No lock was held.")
        else:
            out.print(
                plain(
                    f"Removed the lock of pid {info.pid} on {info.host} "
                    f"({info.command})."
                )
            )
