"""`gcsched plan` and `gcsched apply`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from gcsched.cli.common import (
    err,
    fail,
    globals_of,
    handle_errors,
    out,
    run_async,
    write_json,
)
from gcsched.cli.connect_opts import ALL, environments_of, load_file, open_connection
from gcsched.cli.plan_envs import plan_every_environment
from gcsched.cli.progress import RichProgress
from gcsched.cli.render import print_plan, print_run

if TYPE_CHECKING:
    from gcsched.api import ApplyOutcome
    from gcsched.plan import Plan

__all__ = ["register"]


def _show_plan(
    plan: Plan,
    *,
    as_json: bool,
    markdown: bool,
    max_bytes: int | None = None,
    full: Path | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    from gcsched.plan import render_markdown, render_text

    if as_json:
        # Plain text, not rich's print_json: that re-parses and highlights the
        # whole document (a 2.5 MB plan took 9 s and 300 MB more).
        write_json(out.file, plan.data() if data is None else data)
    elif markdown:
        text = render_markdown(
            plan, max_bytes=max_bytes, full=None if full is None else str(full)
        )
        out.print(text, markup=False)
    else:
        print_plan(render_text(plan))


def _confirm(plan: Plan) -> bool:
    from gcsched.cli.common import is_interactive

    if not is_interactive():
        fail("apply needs confirmation: pass --yes (no terminal to ask on)", 2)
    summary = plan.summary()
    return typer.confirm(
        f"Apply {summary['create']} create(s), {summary['update']} update(s), "
        f"{summary['delete']} delete(s), {summary['pacing']} pacing change(s) to "
        f"{plan.org_name}?",
        default=False,
    )


def _finish_apply(outcome: ApplyOutcome) -> None:
    for note in outcome.recovered:
        err.print(f"[cyan]resumed:[/] {note}")
    if outcome.declined:
        out.print("Nothing applied.")
        raise typer.Exit(0)
    if outcome.run is None:
        from gcsched.plan import no_changes

        out.print(f"[green]{no_changes(outcome.plan.summary()['unchanged'])}[/]")
        return
    print_run(outcome.run)
    requests = outcome.metrics.get("requests") or {}
    if requests:
        latency = requests.get("latency_seconds") or {}
        p95 = latency.get("p95")
        p95_text = f"{p95 * 1000:.0f} ms" if isinstance(p95, int | float) else "-"
        out.print(
            f"requests: {requests.get('total', 0)}, "
            f"429s: {requests.get('throttled_429', 0)}, "
            f"retries: {requests.get('retries', 0)}, "
            f"token renewals: {outcome.metrics.get('token_renewals', 0)}, "
            f"p95 latency: {p95_text}"
        )
    run = outcome.run
    if run.error is not None:
        fail(
            f"run {run.run_id} stopped: {run.error.message} — re-run the same "
            "command to resume",
            1,
        )
    if run.status != "succeeded":
        conflicts = run.count("conflict")
        failed = run.count("failed")
        fail(
            f"run {run.run_id} ended {run.status}: {conflicts} conflict(s), "
            f"{failed} failure(s); run `gcsched plan` to see the org as it is now",
            1,
        )


class Scope(StrEnum):
    """`--scope`: the file's project across the org, or only the file's targets."""

    ORG = "org"
    FILE = "file"


def _scope_option() -> Scope:
    return typer.Option(  # type: ignore[no-any-return]
        Scope.ORG,
        "--scope",
        help="file: only the targets the file names (no deletes); apply a scoped "
        "plan with --scope file too.",
    )


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""

    @app.command()
    @handle_errors
    def plan(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The schedule file."),
        as_json: bool = typer.Option(False, "--json", help="The plan as JSON."),
        markdown: bool = typer.Option(
            False, "--markdown", help="The plan as Markdown (a pull-request comment)."
        ),
        out_file: Path | None = typer.Option(
            None, "--out", help="Also write the plan (JSON) to this file."
        ),
        detailed_exitcode: bool = typer.Option(
            False, "--detailed-exitcode", help="Exit 4 when changes are pending."
        ),
        scope: Scope = _scope_option(),
        max_bytes: int = typer.Option(
            60_000,
            "--max-bytes",
            min=2_000,
            help="--markdown: the most bytes to print (a GitHub comment holds "
            "65,536 characters); what is cut is named, and is in --out.",
        ),
    ) -> None:
        """Show what apply would change in the org; changes nothing."""
        g = globals_of(ctx)
        scoped = scope == Scope.FILE
        if g.env == ALL:
            code = plan_every_environment(
                g,
                environments_of(g, file),
                scoped=scoped,
                as_json=as_json,
                markdown=markdown,
                detailed_exitcode=detailed_exitcode,
                out_file=out_file,
                max_bytes=max_bytes,
            )
            raise typer.Exit(code)
        schedule_file = load_file(g, file)

        async def go() -> Plan:
            async with open_connection(g, file=schedule_file) as conn:
                return (await conn.plan(schedule_file, scoped=scoped)).plan

        result = run_async(go())
        # One `data()` for both `--json` and `--out` (it copies every body).
        data = result.data() if as_json or out_file is not None else None
        _show_plan(
            result,
            as_json=as_json,
            markdown=markdown,
            max_bytes=max_bytes,
            full=out_file,
            data=data,
        )
        if data is not None and out_file is not None:
            with out_file.open("w", encoding="utf-8") as stream:
                write_json(stream, data, ensure_ascii=True)
        if result.rejected:
            if not as_json:
                err.print(
                    "[red]refused:[/] audience conflicts rejected by policy "
                    "(audience_conflicts: reject)"
                )
            raise typer.Exit(3)
        if result.compliance_errors:
            if not as_json:
                err.print(
                    f"[red]refused:[/] {len(result.compliance_errors)} calling-hour "
                    "violation(s) (policy.compliance.mode: enforce)"
                )
            raise typer.Exit(3)
        if detailed_exitcode and result.has_changes:
            raise typer.Exit(4)

    @app.command()
    @handle_errors
    def apply(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The schedule file."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask; apply."),
        checksum: str | None = typer.Option(
            None, "--checksum", help="Apply only if the plan's checksum is this one."
        ),
        force: bool = typer.Option(
            False, "--force", help="Apply even above policy.max_change_fraction."
        ),
        concurrency: int | None = typer.Option(
            None,
            "--concurrency",
            min=1,
            max=32,
            show_default=False,
            help="API writes in flight at once (default: 16, sized for an org "
            "~100 ms away; docs/apply-lifecycle.md).",
        ),
        metrics_file: Path | None = typer.Option(
            None, "--metrics-file", help="Write run metrics here (Prometheus text)."
        ),
        scope: Scope = _scope_option(),
    ) -> None:
        """Plan, check safety, confirm, and apply; resumes an interrupted run."""
        g = globals_of(ctx)
        scoped = scope == Scope.FILE
        schedule_file = load_file(g, file)

        def confirm(plan: Plan) -> bool:
            _show_plan(plan, as_json=False, markdown=False)
            return True if yes else _confirm(plan)

        async def go() -> ApplyOutcome:
            async with open_connection(g, file=schedule_file) as conn:
                with RichProgress(err) as progress:
                    return await conn.apply(
                        schedule_file,
                        checksum=checksum,
                        force=force,
                        confirm=confirm,
                        concurrency=concurrency,
                        progress=progress,
                        metrics_file=metrics_file,
                        scoped=scoped,
                    )

        _finish_apply(run_async(go()))
