"""Names from the file or the org never put control codes on the terminal."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from gcsched.cli.common import printable


def test_printable_replaces_controls_keeps_text() -> None:
    """ESC, BEL, C1 controls and newlines become U+FFFD; tabs and accents stay."""
    assert (
        printable("Q4\x1b[2J\x07\x9bRenewals\tÉté\n")
        == "Q4\ufffd[2J\ufffd\ufffdRenewals\tÉté\ufffd"
    )


def test_escape_sequence_in_a_name_does_not_reach_the_terminal(tmp_path: Path) -> None:
    """A schedule name carrying ESC[2J is refused, and never printed raw."""
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
    assert result.exit_code == 2, result.output  # the name is refused (U+001B)
    assert "\x1b[2J" not in result.output
    assert "control or bidi characters (U+001B)" in result.output


def test_printable_hides_bidi_overrides_and_line_breaks() -> None:
    """U+202E reorders what a reader sees; a newline forges a line of output."""
    assert printable("a\u202eb\u2066c\r\nd\u2028e") == (
        "a\ufffdb\ufffdc\ufffd\ufffdd\ufffde"
    )


def test_a_schedule_name_with_control_or_bidi_characters_is_refused(
    tmp_path: Path,
) -> None:
    """`name:` in the file refuses ESC, newlines and bidi overrides (exit 2)."""
    path = tmp_path / "evil.yaml"
    path.write_text(
        "version: 1\nschedules:\n"
        "  - campaign: Q4 Renewals\n"
        '    name: "Q4\\u202eslaweneR\\nforged"\n'
        "    time_zone: UTC\n"
        '    windows: [{days: [mon], start: "09:00", end: "10:00"}]\n',
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}:4:11: schedules[0].name: the name holds control or bidi "
        "characters (U+202E, U+000A)"
    ) in result.stderr


def test_text_logs_show_escape_sequences_from_org_names_inert() -> None:
    """An OSC 52 clipboard write in a target name does not reach the terminal."""
    import logging

    from gcsched.telemetry.logs import TextFormatter

    record = logging.LogRecord(
        "gcsched.engine",
        logging.INFO,
        __file__,
        1,
        "step %s",
        ("T\x1b]52;c;aGk=\x07",),
        None,
    )
    record.target = "Camp\x1b[2J\u202e"
    line = TextFormatter().format(record)
    assert "\x1b" not in line
    assert "\x07" not in line
    assert "\u202e" not in line
    assert "T\ufffd]52;c;aGk=\ufffd" in line
    assert "target=Camp\ufffd[2J\ufffd" in line


def test_plan_text_lines_are_printable() -> None:
    """A newline in an org name cannot forge a line of plan output."""
    from gcsched.domain.model import Policy
    from gcsched.plan.plan import Plan
    from gcsched.plan.render import render_text

    plan = Plan(
        org_id="org-1",
        org_name="Acme\nchecksum forged\x1b[2J",
        file_path="schedules.yaml",
        file_sha256="f" * 64,
        policy=Policy(),
        changes=(),
        unchanged=0,
        existing_count=0,
    )
    header = render_text(plan)[0][1]
    assert header == "Plan for org Acme\ufffdchecksum forged\ufffd[2J (org-1)"
