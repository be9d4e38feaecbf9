"""`gcsched plan --env all`: every environment of a file, concurrently.

Each environment gets its own connection (its own org, token and rate limiter),
its own plan, checksum and exit code; the command exits with the highest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gcsched.cli.common import Globals, err, out, run_async, write_json
from gcsched.cli.connect_opts import open_connection
from gcsched.cli.render import print_plan
from gcsched.errors import GcSchedError

if TYPE_CHECKING:
    from gcsched.domain.model import ScheduleFile
    from gcsched.plan import Plan

__all__ = ["EnvironmentPlan", "exit_code_of", "plan_every_environment"]


@dataclass(frozen=True, slots=True)
class EnvironmentPlan:
    """One environment's plan (or the error that stopped it) and its exit code."""

    environment: str
    code: int
    plan: Plan | None = None
    error: str | None = None

    def data(self) -> dict[str, Any]:
        """JSON-ready: environment, exit_code, plan (`plan --json`) or error."""
        return {
            "environment": self.environment,
            "exit_code": self.code,
            "plan": None if self.plan is None else self.plan.data(),
            "error": self.error,
        }


def exit_code_of(plan: Plan, *, detailed_exitcode: bool) -> int:
    """A plan's exit code as `plan` gives it (design.md's table)."""
    if plan.rejected or plan.compliance_errors:
        return 3
    if detailed_exitcode and plan.has_changes:
        return 4
    return 0


async def _plan_all(
    g: Globals, files: Sequence[ScheduleFile], *, scoped: bool, detailed: bool
) -> list[EnvironmentPlan]:
    from gcsched.telemetry.redact import REDACTOR

    async def one(file: ScheduleFile) -> EnvironmentPlan:
        name = file.environment or ""
        try:
            async with open_connection(g, file=file) as conn:
                plan = (await conn.plan(file, scoped=scoped)).plan
        except GcSchedError as exc:
            return EnvironmentPlan(
                name, exc.exit_code, error=REDACTOR.redact(exc.message)
            )
        return EnvironmentPlan(
            name, exit_code_of(plan, detailed_exitcode=detailed), plan=plan
        )

    return list(await asyncio.gather(*(one(file) for file in files)))


def plan_every_environment(
    g: Globals,
    files: Sequence[ScheduleFile],
    *,
    scoped: bool,
    as_json: bool,
    markdown: bool,
    detailed_exitcode: bool,
    out_file: Path | None,
    max_bytes: int | None = None,
) -> int:
    """Plan each file (one per environment) at once; print each; the highest code.

    Returns:
        The highest exit code of any environment.
    """
    from gcsched.plan import render_markdown, render_text

    results = run_async(_plan_all(g, files, scoped=scoped, detailed=detailed_exitcode))
    code = max(result.code for result in results)
    document = {
        "exit_code": code,
        "environments": [result.data() for result in results],
    }
    if as_json:
        write_json(out.file, document)
    for result in results if not as_json else ():
        if result.plan is None:
            line = f"environment {result.environment}: error: {result.error}"
            err.print(line, markup=False)
        elif markdown:
            text = render_markdown(result.plan, max_bytes=max_bytes)
            out.print(text, markup=False)
        else:
            print_plan(render_text(result.plan))
        out.print(
            f"environment {result.environment}: exit code {result.code}",
            markup=False,
        )
        out.print("")
    if out_file is not None:
        with out_file.open("w", encoding="utf-8") as stream:
            write_json(stream, document, ensure_ascii=True)
    return code
