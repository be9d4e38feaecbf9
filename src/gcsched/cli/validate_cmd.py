"""`gcsched validate FILE [--json]` and `gcsched schema`.

`validate_file` is the command: the typer command and the fast path of the
console entry point (`gcsched.cli.fast`) both run it, so neither typer nor, on
a pipe, rich is imported at the top of this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from gcsched.cli.common import handle_errors, plain_out, printable, today
from gcsched.cli.plain_console import escape
from gcsched.cli.render import print_compliance, print_conflicts, print_warnings

if TYPE_CHECKING:
    import typer

    from gcsched.domain.conflicts import Conflict
    from gcsched.errors import ConfigError

__all__ = ["register", "validate_file"]


def _conflict_data(c: Conflict) -> dict[str, object]:
    return {
        "type": c.type,
        "campaigns": list(c.campaigns),
        "contact_list": c.contact_list,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "resolution": c.resolution,
        "winner": c.winner,
    }


def _problems_data(file: Path, error: ConfigError) -> dict[str, object]:
    """An invalid file as `validate --json` prints it."""
    return {
        "file": str(file),
        "valid": False,
        "problems": [p.as_dict() for p in error.problems],
        "omitted": error.omitted,
    }


def validate_file(file: Path, *, as_json: bool) -> int:
    """Check `file` offline and print the outcome; return the exit code.

    0 valid, 3 refused by the policy, a `ConfigError`'s code for an invalid
    file with ``--json`` (without it the error propagates, for the caller's
    error handling to print).
    """
    from gcsched.api.validation import validate as run_validate
    from gcsched.errors import ConfigError

    out = plain_out
    try:
        # The text reads the pairs only: no object per overlap (--json lists them).
        result = run_validate(file, today=today(), spans=as_json)
    except ConfigError as exc:
        if not as_json:
            raise
        out.print_json(json.dumps(_problems_data(file, exc)))
        return exc.exit_code
    pairs = result.check.pairs
    # A conflict is an overlap: a pair counts its own (`check.conflicts`
    # holds them one by one only with --json).
    overlaps = sum(p.count for p in pairs)
    rejected = sum(p.count for p in pairs if p.resolution == "reject")
    hours = result.compliance
    refused = result.compliance_errors
    if as_json:
        data = {
            "file": str(file),
            "valid": not rejected and not refused,
            "schedules": len(result.file.schedules),
            "occurrences": sum(e.occurrence_count for e in result.check.expansions),
            "conflicts": [_conflict_data(c) for c in result.check.conflicts],
            "warnings": list(result.warnings),
            "audiences": "file",
            "audience_warning": result.audience_warning,
            "compliance": [] if hours is None else hours.data(),
            "compliance_mode": "off" if hours is None else hours.mode,
        }
        out.print_json(json.dumps(data))
    else:
        count = len(result.file.schedules)
        occurrences = sum(e.occurrence_count for e in result.check.expansions)
        rows = print_conflicts((), pairs=pairs)
        print_warnings(result.warnings)
        print_compliance(hours)
        if result.audience_warning:
            out.print(
                "[bold yellow]Conflicts may be missing:[/] "
                + escape(result.audience_warning)
            )
        status = "[red]refused[/]" if rejected or refused else "[green]valid[/]"
        out.print(
            f"{escape(printable(str(file)))}: {status} — {count} schedule(s), "
            f"{occurrences} window occurrence(s), {rows} conflicting pair(s) "
            f"({overlaps} overlaps), "
            f"{len(result.warnings)} warning(s)"
        )
    if rejected:
        if not as_json:
            out.print(
                f"{rejected} conflict(s) rejected by "
                "policy.audience_conflicts: "
                "reject — change the windows, or set trim or warn"
            )
        return 3
    if refused:
        if not as_json:
            out.print(
                f"{len(refused)} calling-hour violation(s) refused by "
                "policy.compliance.mode: enforce — narrow the windows, say "
                "guarded_by: genesys if the org's guards hold contacts back, "
                "or set mode: warn"
            )
        return 3
    return 0


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    import typer

    @app.command()
    @handle_errors
    def validate(
        file: Path = typer.Argument(..., help="The schedule file."),
        as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Check a schedule file offline: schema, zones, DST, overlaps, conflicts."""
        code = validate_file(file, as_json=as_json)
        if code:
            raise typer.Exit(code)

    @app.command()
    @handle_errors
    def schema() -> None:
        """Print the JSON Schema of the schedule file (for editors)."""
        from gcsched.api import json_schema

        plain_out.print_json(json.dumps(json_schema()))
