"""`gcsched adopt` and `--scope file` on plan and apply, against the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import EXAMPLE, run

FILE = """version: 1
project: team-a
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Lapsed Survey
    time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "10:00", end: "15:00"}]
    from: 2026-12-01
    until: 2027-01-31
"""


def _plan(file: Path, state: str, *extra: str) -> dict[str, object]:
    result = run("plan", str(file), "--json", "--sandbox", "--state-dir", state, *extra)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def test_adopt_shows_then_records_the_schedule(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    file = tmp_path / "team-a.yaml"
    file.write_text(FILE)
    assert _plan(file, state)["not_managed"]
    refused = run(
        "adopt", str(file), "Lapsed Survey", "--sandbox", "--state-dir", state
    )
    assert refused.exit_code == 2
    assert "--yes" in refused.output
    adopted = run(
        "adopt", str(file), "Lapsed Survey", "--yes", "--sandbox", "--state-dir", state
    )
    assert adopted.exit_code == 0, adopted.output
    assert "Manual survey schedule" in adopted.output  # shown before recording
    assert "Adopted 1 schedule(s) into project team-a" in adopted.output
    plan = _plan(file, state)
    assert not plan["not_managed"]
    assert [c["action"] for c in plan["changes"]] == ["update"]  # type: ignore[attr-defined,index]
    unknown = run(
        "adopt", str(file), "Nope", "--yes", "--sandbox", "--state-dir", state
    )
    assert unknown.exit_code == 2
    assert "'Nope' names no campaign" in unknown.output


def test_scope_file_plans_and_applies_without_deletes(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    applied = run("apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 0, applied.output
    one = tmp_path / "one.yaml"
    one.write_text(
        FILE.replace("project: team-a\n", "").replace("Lapsed Survey", "EMEA Callbacks")
    )
    full = _plan(one, state)
    assert "delete" in {c["action"] for c in full["changes"]}  # type: ignore[attr-defined,index]
    scoped = _plan(one, state, "--scope", "file")
    assert [c["action"] for c in scoped["changes"]] == ["create"]  # type: ignore[attr-defined,index]
    checksum = str(scoped["checksum"])
    result = run(
        "apply", str(one), "--yes", "--scope", "file", "--checksum", checksum,
        "--sandbox", "--state-dir", state,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    bad = run("plan", str(one), "--scope", "all", "--sandbox", "--state-dir", state)
    assert bad.exit_code == 2
