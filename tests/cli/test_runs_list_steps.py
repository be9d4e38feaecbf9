"""`gcsched runs list` shows the real step counts of open and superseded runs."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from gcsched.api import StatePaths
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal


def _change(target: str) -> ChangeSpec:
    return ChangeSpec(
        "create", Family.CAMPAIGNS, "campaign", target, target, None, None, {}
    )


def test_open_and_superseded_runs_count_their_steps(tmp_path: Path) -> None:
    """An interrupted run and the run that superseded it are not `-`."""
    with Journal.open(StatePaths.at(tmp_path).journal) as journal:
        kwargs = {
            "org_id": "o1",
            "org_name": "Org",
            "file_sha256": "0" * 64,
            "checksum": "c" * 64,
            "plan": {},
        }
        interrupted = journal.create_run(
            file_path="open.yaml",
            steps=[_change("t1"), _change("t2"), _change("t3")],
            **kwargs,
        )
        first, second, _ = journal.steps(interrupted.id)
        journal.mark_sent(first.id)
        journal.mark_sent(second.id)
        journal.mark_confirmed(second.id, result={}, version_new=1)
        superseded = journal.create_run(
            file_path="old.yaml", steps=[_change("t4"), _change("t5")], **kwargs
        )
        one, two = journal.steps(superseded.id)
        journal.mark_skipped(one.id, reason="resumed with a fresh plan")
        journal.mark_failed(two.id, error="interrupted before the API applied it")
        journal.finish_run(superseded.id, "superseded", summary={"superseded": True})
    listed = run("--state-dir", str(tmp_path), "runs", "list", env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    rows = {
        line.split("│")[5].strip(): line
        for line in listed.output.splitlines()
        if "│" in line and ".yaml" in line
    }
    assert "confirmed 1, planned 1, sent 1" in rows["open.yaml"]
    assert "failed 1, skipped 1" in rows["old.yaml"]
