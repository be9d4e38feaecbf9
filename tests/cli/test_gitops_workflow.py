"""The commands of docs/gitops.md's workflow, end to end against the sandbox.

Pull request: validate, then `plan --markdown --out plan.json` (the comment, and
the checksum the workflow's `jq -r .checksum plan.json` reads). Merge: `apply
--checksum <that checksum>`, then `plan --detailed-exitcode` exits 0. A file
changed between the review and the merge: the apply exits 3, nothing written.
"""

from __future__ import annotations

import json
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


def _review(file: Path, state: str, out: Path) -> tuple[int, str, str]:
    """The pull-request job: its exit code, the comment and the checksum."""
    assert run("validate", str(file)).exit_code == 0
    planned = run(
        "plan", str(file), "--markdown", "--out", str(out), "--detailed-exitcode",
        "--sandbox", "--state-dir", state,
    )  # fmt: skip
    checksum = str(json.loads(out.read_text(encoding="utf-8"))["checksum"])
    return planned.exit_code, planned.output, checksum


def _merge(file: Path, state: str, checksum: str) -> int:
    applied = run(
        "apply", str(file), "--yes", "--checksum", checksum,
        "--sandbox", "--state-dir", state,
    )  # fmt: skip
    return applied.exit_code


def _replan(file: Path, state: str) -> int:
    again = run(
        "plan", str(file), "--detailed-exitcode", "--sandbox", "--state-dir", state
    )
    return again.exit_code


def test_review_then_merge_applies_exactly_the_reviewed_plan(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    file = tmp_path / "outbound.yaml"
    file.write_text(FILE)
    code, comment, checksum = _review(file, state, tmp_path / "plan.json")
    assert code == 4  # changes pending: not a failure
    assert comment.startswith("## gcsched plan for ")
    assert f"Checksum: `{checksum}`" in comment
    assert _merge(file, state, checksum) == 0
    assert _replan(file, state) == 0
    # a pull request that changes nothing: exit 0, and its checksum applies nothing
    code, _, same = _review(file, state, tmp_path / "plan2.json")
    assert code == 0
    assert _merge(file, state, same) == 0


def test_a_file_changed_after_the_review_is_refused(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    file = tmp_path / "outbound.yaml"
    file.write_text(FILE)
    code, _, reviewed = _review(file, state, tmp_path / "plan.json")
    assert code == 4
    file.write_text(FILE.replace('"16:00"', '"15:00"'))  # merged without review
    refused = run(
        "apply", str(file), "--yes", "--checksum", reviewed,
        "--sandbox", "--state-dir", state,
    )  # fmt: skip
    assert refused.exit_code == 3, refused.output
    assert "checksum" in refused.output.lower()
    assert _replan(file, state) == 4  # nothing was written
    listed = run("runs", "list", "--sandbox", "--state-dir", state)
    assert "No runs yet." in listed.output


def test_an_org_changed_after_the_review_is_refused(tmp_path: Path) -> None:
    """Another merge applied first: the reviewed versions moved, exit 3."""
    state = str(tmp_path / "state")
    file = tmp_path / "outbound.yaml"
    file.write_text(FILE)
    assert _merge(file, state, _review(file, state, tmp_path / "p0.json")[2]) == 0
    file.write_text(FILE.replace('"16:00"', '"15:00"'))
    _, _, reviewed = _review(file, state, tmp_path / "p1.json")
    other = tmp_path / "other.yaml"
    other.write_text(FILE.replace('"16:00"', '"14:00"'))
    assert _merge(other, state, _review(other, state, tmp_path / "p2.json")[2]) == 0
    assert _merge(file, state, reviewed) == 3


def test_json_and_out_together_carry_the_same_plan(tmp_path: Path) -> None:
    """`plan --json --out F`: stdout and F hold the same plan."""
    file = tmp_path / "schedules.yaml"
    file.write_text(FILE, encoding="utf-8")
    out = tmp_path / "plan.json"
    planned = run(
        "plan", str(file), "--json", "--out", str(out),
        "--sandbox", "--state-dir", str(tmp_path / "state"),
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    written = out.read_text(encoding="utf-8")
    assert json.loads(written) == json.loads(planned.stdout)
    assert json.loads(written)["changes"], written
