"""Helpers for the CLI tests: run `gcsched` in-process with CliRunner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from gcsched.cli.app import app, hoist_globals

EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> Result:
    """Run the CLI as the console script would (global options hoisted)."""
    runner = CliRunner()
    return runner.invoke(
        app, hoist_globals(list(args)), env=env, input=stdin, catch_exceptions=False
    )
