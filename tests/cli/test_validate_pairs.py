"""`gcsched validate` text reads the pairs only and prints what every overlap said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cli_support import EXAMPLE, shared_lists

from gcsched.api.validation import validate
from gcsched.cli import render
from gcsched.cli.validate_cmd import validate_file
from gcsched.plan.conflict_groups import group_conflicts


def _file(tmp_path: Path, policy: str) -> Path:
    if policy == "example":
        return EXAMPLE
    path = tmp_path / f"{policy}.yaml"
    path.write_text(shared_lists(policy), encoding="utf-8")
    return path


@pytest.mark.parametrize("policy", ["warn", "trim", "reject", "example"])
def test_without_spans_the_pairs_are_the_same(tmp_path: Path, policy: str) -> None:
    """spans=False lists no overlap and changes nothing else of the check."""
    file = _file(tmp_path, policy)
    full = validate(file, today=date(2026, 1, 1))
    lean = validate(file, today=date(2026, 1, 1), spans=False)
    assert full.check.conflicts
    assert lean.check.conflicts == ()
    assert lean.check.pairs == full.check.pairs
    assert lean.check.trimmed == full.check.trimmed
    assert lean.warnings == full.warnings
    assert sum(p.count for p in lean.check.pairs) == len(full.check.conflicts)


@pytest.mark.parametrize("policy", ["warn", "trim", "reject", "example"])
def test_the_text_counts_every_overlap(
    tmp_path: Path,
    policy: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The table, the pairs, the overlaps and the rejected count of the listing."""
    monkeypatch.setattr("gcsched.cli.validate_cmd.today", lambda: date(2026, 1, 1))
    file = _file(tmp_path, policy)
    full = validate(file, today=date(2026, 1, 1))
    conflicts = full.check.conflicts
    render.print_conflicts(conflicts)
    table = capsys.readouterr().out
    code = validate_file(file, as_json=False)
    out = capsys.readouterr().out
    assert out.startswith(table)
    pairs = len(group_conflicts(conflicts))
    assert f"{pairs} conflicting pair(s) ({len(conflicts)} overlaps)" in out
    assert code == (3 if full.rejected else 0)
    if full.rejected:
        assert f"\n{len(full.rejected)} conflict(s) rejected by " in out
