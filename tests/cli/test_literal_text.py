"""User and org text is printed as it is: never read as rich markup or emoji codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cli_support import run
from rich.console import Console

from gcsched.api import StatePaths
from gcsched.audit import AuditLog
from gcsched.cli.progress import RichProgress
from gcsched.cli.render import print_run
from gcsched.engine import RunResult, StepOutcome
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal

TWO = """
version: 1
policy: {audience_conflicts: warn}
schedules:
  - campaign: "Promo [/x] :x:"
    audience: shared
    time_zone: UTC
    windows: [{days: [mon], start: "09:00", end: "12:00"}]
    from: 2026-12-07
    until: 2026-12-07
  - campaign: "[bold]Other"
    audience: shared
    time_zone: UTC
    windows: [{days: [mon], start: "10:00", end: "11:00"}]
    from: 2026-12-07
    until: 2026-12-07
"""


def test_an_error_naming_a_bracketed_path_is_a_message_not_a_traceback() -> None:
    """A missing file `x[/y].yaml`: exit 2 and the path as typed."""
    result = run("validate", "x[/y].yaml")
    assert result.exit_code == 2
    assert "x[/y].yaml" in result.output


def test_file_text_quoted_in_an_error_keeps_its_colons(tmp_path: Path) -> None:
    """`a:x:b` in a bad file is quoted as written, not turned into an emoji."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("a:x:b\n")
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert "a:x:b" in result.output


def test_campaign_names_with_brackets_print_in_the_conflicts_table(
    tmp_path: Path,
) -> None:
    """Names such as `Promo [/x]` and `[bold]Other` are shown literally."""
    path = tmp_path / "[red]two.yaml"
    path.write_text(TWO)
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "Promo [/x]" in result.output  # the table may wrap before `:x:`
    assert ":x:" in result.output
    assert "[bold]Other" in result.output
    assert "[red]two.yaml" in result.output


def test_run_table_prints_target_names_literally(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The end-of-run table shows an org's campaign name as it is."""
    outcome = StepOutcome(1, "create", "campaigns", "Sale [/promo]", "failed", "[x]")
    print_run(RunResult("r1", "partial", (outcome,)))
    printed = capsys.readouterr().out
    assert "Sale [/promo]" in printed
    assert "[x]" in printed


def test_progress_line_of_a_failed_step_prints_names_literally() -> None:
    """A failed step's line under the bar keeps brackets in names and details."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=200)
    outcome = StepOutcome(2, "update", "campaigns", "Sale [/promo]", "failed", ":x:")
    with RichProgress(console) as progress:
        progress.start(1)
        progress.advance(outcome)
    text = buffer.getvalue()
    assert "Sale [/promo]" in text
    assert ":x:" in text


def test_state_commands_print_journal_and_audit_text_literally(tmp_path: Path) -> None:
    """runs list/show, audit show and webhooks enable show bracketed text as is."""
    paths = StatePaths.at(tmp_path)
    with Journal.open(paths.journal) as journal:
        run_ = journal.create_run(
            org_id="o1",
            org_name="[b]Org",
            file_path="[/f].yaml",
            file_sha256="0" * 64,
            checksum="c" * 64,
            plan={},
            steps=[
                ChangeSpec(
                    "create", Family.CAMPAIGNS, "campaign", "t1", "[/t]", None, None, {}
                )
            ],
        )
        (step,) = journal.steps(run_.id)
        journal.mark_failed(step.id, error="[/e]")
    AuditLog(paths.audit).append(
        {
            "time": "2026-11-27T10:00:00+00:00",
            "before_digest": None,
            "after_digest": None,
            "run_id": run_.id,
            "step_id": step.id,
            "actor": "[/a]",
            "action": "create",
            "target": {"kind": "campaigns", "id": "t1", "name": "[/n]"},
        }
    )
    state = ("--state-dir", str(tmp_path))
    listed = run(*state, "runs", "list")
    assert listed.exit_code == 0, listed.output
    assert "[b]Org" in listed.output
    assert "[/f].yaml" in listed.output
    shown = run(*state, "runs", "show", run_.id)
    assert shown.exit_code == 0, shown.output
    for text in ("[b]Org", "[/f].yaml", "[/t]", "[/e]"):
        assert text in shown.output
    audited = run(*state, "audit", "show")
    assert audited.exit_code == 0, audited.output
    assert "[/a]" in audited.output
    assert "[/n]" in audited.output
    enabled = run(*state, "webhooks", "enable", "https://h.example/[/x]")
    assert enabled.exit_code == 0, enabled.output
    assert "https://h.example/[/x]" in enabled.output
