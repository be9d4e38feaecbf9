"""`gcsched runs revert RUN [--yes] [--force]` against the sandbox."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from cli_support import run

FILE = """version: 1
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-26
"""


def _runs(state: str) -> list[str]:
    conn = sqlite3.connect(Path(state) / "journal.sqlite")
    try:
        return [r[0] for r in conn.execute("SELECT id FROM runs ORDER BY id")]
    finally:
        conn.close()


def _changes(file: Path, state: str) -> list[str]:
    result = run("plan", str(file), "--json", "--sandbox", "--state-dir", state)
    assert result.exit_code == 0, result.output
    return [c["action"] for c in json.loads(result.output)["changes"]]


def test_revert_asks_then_undoes_a_run(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    file = tmp_path / "s.yaml"
    file.write_text(FILE)
    applied = run("apply", str(file), "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 0, applied.output
    (first,) = _runs(state)
    asked = run("runs", "revert", first, "--sandbox", "--state-dir", state)
    assert asked.exit_code == 2  # no terminal to confirm on
    assert "--yes" in asked.output
    assert _changes(file, state) == []
    done = run("runs", "revert", first, "--yes", "--sandbox", "--state-dir", state)
    assert done.exit_code == 0, done.output
    assert f"revert of {first}" in done.output  # shown like any plan
    assert "delete" in done.output
    assert "succeeded" in done.output
    assert _changes(file, state) == ["create"]  # the run's schedule is gone
    assert len(_runs(state)) == 2


def test_revert_over_a_later_change_exits_3_unless_forced(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    file = tmp_path / "s.yaml"
    file.write_text(FILE)
    assert (
        run("apply", str(file), "--yes", "--sandbox", "--state-dir", state).exit_code
        == 0
    )
    (first,) = _runs(state)
    file.write_text(FILE.replace('"16:00"', '"15:00"'))
    assert (
        run("apply", str(file), "--yes", "--sandbox", "--state-dir", state).exit_code
        == 0
    )
    refused = run("runs", "revert", first, "--yes", "--sandbox", "--state-dir", state)
    assert refused.exit_code == 3, refused.output
    assert "the run left version 1, the org has version 2" in refused.output
    assert len(_runs(state)) == 2  # nothing was run
    forced = run(
        "runs", "revert", first, "--yes", "--force", "--sandbox", "--state-dir", state
    )
    assert forced.exit_code == 0, forced.output
    assert _changes(file, state) == ["create"]
    unknown = run("runs", "revert", "r1999", "--yes", "--sandbox", "--state-dir", state)
    assert unknown.exit_code == 1
    assert "r1999" in unknown.output
