"""Names from the file or the org never put control codes on the terminal."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from gcsched.cli.common import printable


def test_printable_replaces_controls_keeps_text() -> None:
    """ESC, BEL and C1 controls become U+FFFD; newlines, tabs and accents stay."""
    assert (
        printable("Q4\x1b[2J\x07\x9bRenewals\tÉté\n")
        == "Q4\ufffd[2J\ufffd\ufffdRenewals\tÉté\n"
    )


def test_escape_sequence_in_a_name_does_not_reach_the_terminal(tmp_path: Path) -> None:
    """A schedule name carrying ESC[2J is shown inert in the plan."""
    path = tmp_path / "evil.yaml"
    path.write_text(
        "version: 1\nschedules:\n"
        "  - campaign: Q4 Renewals\n"
        '    name: "Q4\\e[2JRenewals"\n'
        "    time_zone: UTC\n"
        '    windows: [{days: [mon], start: "09:00", end: "10:00"}]\n'
        "    from: 2026-12-07\n    until: 2026-12-28\n",
        encoding="utf-8",
    )
    result = run("plan", str(path), "--sandbox", "--state-dir", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    assert "\x1b[2J" not in result.output
    assert "Q4\ufffd[2JRenewals" in result.output
