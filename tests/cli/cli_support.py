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


def shared_lists(policy: str) -> str:
    """Twelve schedules on three lists, windows that overlap in many ways."""
    lines = ["version: 1", "policy:", f"  audience_conflicts: {policy}", "schedules:"]
    for i in range(12):
        start = 7 + i % 5
        lines += [
            f"  - campaign: C{i:02d}",
            f"    time_zone: {('America/Chicago', 'Europe/Berlin', 'UTC')[i % 3]}",
            f"    priority: {1 + i % 4}",
            f"    audience: list-{i % 3}",
            "    windows:",
            f'      - {{days: [mon-fri], start: "{start:02d}:00", '
            f'end: "{start + 5}:30"}}',
            '      - {days: [sat], start: "10:00", end: "14:00"}',
            "    from: 2026-03-01",
            "    until: 2026-04-30",
        ]
    return "\n".join(lines) + "\n"
