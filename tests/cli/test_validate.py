"""`gcsched validate`, `schema`, `--version`: offline commands."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import EXAMPLE, run

from gcsched import __version__


def test_version() -> None:
    """--version prints the package version."""
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_validate_the_example() -> None:
    """The example file is valid: exit 0 and a one-line verdict."""
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert "11 schedule(s)" in result.output


def test_validate_json() -> None:
    """--json gives one object with conflicts and warnings."""
    result = run("validate", str(EXAMPLE), "--json")
    data = json.loads(result.output)
    assert data["valid"] is True
    assert data["schedules"] == 11
    assert {c["resolution"] for c in data["conflicts"]} == {"trim", "allowed"}


def test_bad_file_exits_2_with_file_line(tmp_path: Path) -> None:
    """Every problem is reported as FILE:LINE:COL, exit 2, no traceback."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nschedules:\n  - campaign: A\n    time_zone: Mars/Olympus\n"
        "    windows: [{days: [mon], start: '09:00', end: '09:00'}]\n    colour: red\n"
    )
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4:" in result.output
    assert "Traceback" not in result.output
    assert "colour" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    """A missing file is a one-line error naming it."""
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml" in result.output


def test_rejected_conflicts_exit_3(tmp_path: Path) -> None:
    """Two schedules on one audience at the same time under `reject`: exit 3."""
    text = """
version: 1
policy: {audience_conflicts: reject}
schedules:
  - campaign: A
    audience: retail
    time_zone: UTC
    windows: [{days: [mon-fri], start: "09:00", end: "12:00"}]
    from: 2026-12-01
    until: 2026-12-31
  - campaign: B
    audience: retail
    time_zone: UTC
    windows: [{days: [mon-fri], start: "11:00", end: "13:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""
    path = tmp_path / "clash.yaml"
    path.write_text(text)
    result = run("validate", str(path))
    assert result.exit_code == 3, result.output
    assert "reject" in result.output


def test_schema_is_json_schema() -> None:
    """`gcsched schema` prints a JSON Schema object."""
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "properties" in schema or "$defs" in schema


def test_report_json_of_a_file() -> None:
    """`report FILE --format json` goes to stdout."""
    result = run(
        "report",
        str(EXAMPLE),
        "--format",
        "json",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-07",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    labels = {row["label"] for row in data["schedules"]}
    assert "Q4 Renewals" in labels


def test_report_needs_file_or_live() -> None:
    """Neither a file nor --live is a usage error."""
    result = run("report")
    assert result.exit_code == 2
