"""`validate --json` on an invalid file prints its problems as JSON, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import run

from gcsched.config import load
from gcsched.config.problems import CODES
from gcsched.errors import ConfigError

BAD = """\
version: 1
schedules:
  - campaign: A
    time_zone: Mars/Base
    prority: 3
    windows: [{days: daily, start: "09:00", end: "17:00", every: 99}]
"""


def test_invalid_file_gives_problems_as_json_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    result = run("validate", str(bad), "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["file"] == str(bad)
    assert data["valid"] is False
    assert data["omitted"] == 0
    problems = data["problems"]
    assert [(p["line"], p["column"], p["path"], p["code"]) for p in problems] == [
        (4, 16, "schedules[0].time_zone", "bad_zone"),
        (5, 5, "schedules[0].prority", "unknown_key"),
        (6, 66, "schedules[0].windows[0].every", "out_of_range"),
    ]
    assert all(p["file"] == str(bad) for p in problems)
    assert all(p["code"] in CODES for p in problems)


def test_text_lines_are_derived_from_the_records(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    try:
        load(bad)
    except ConfigError as exc:
        error = exc
    else:  # pragma: no cover - the file is invalid
        raise AssertionError("expected a ConfigError")
    assert error.reasons == tuple(p.text for p in error.problems)
    assert error.reasons[1] == (
        f"{bad}:5:5: schedules[0].prority: unknown key 'prority'; "
        "did you mean 'priority'?"
    )
    text = run("validate", str(bad))
    assert text.exit_code == 2
    assert error.reasons[1] in text.stderr


def test_a_file_level_problem_has_no_position(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("\n")
    result = run("validate", str(empty), "--json")
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["line"] is None
    assert problem["column"] is None
    assert problem["code"] == "empty_file"
