"""The console entry point's fast path answers as the typer app does, byte for byte.

`gcsched validate FILE [--json]` and `gcsched --version` are answered without
typer (`gcsched.cli.fast`); everything else falls back to the typer app. Each
comparison runs both in fresh interpreters on pipes, as a user's shell or CI
would, and compares stdout, stderr and the exit code.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gcsched.cli.app import exit_now, main
from gcsched.cli.common import report_failure
from gcsched.cli.fast import answer, validate_arguments, version_text

EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"

#: The console script's `main` (the fast path first), or the typer app alone.
_PROBE = """
import json, sys
path, argv = sys.argv[1], sys.argv[2:]
code = 0
try:
    if path == "fast":
        from gcsched.cli.app import main
        sys.argv = ["gcsched", *argv]
        main()
    else:
        from gcsched.cli.app import hoist_globals
        from gcsched.cli.root import app
        app(args=hoist_globals(argv), prog_name="gcsched")
except SystemExit as exit_:
    code = exit_.code
sys.stdout.flush()
print("\\0" + json.dumps({"code": code or 0, "typer": "typer" in sys.modules}),
      file=sys.stderr)
"""

_CLASH = """\
version: 1
policy: {audience_conflicts: reject}
schedules:
  - campaign: A [x]\\
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

_WARNED = """\
version: 1
webhooks:
  - {url: "https://hooks.example.com/x", secret_env: GCSCHED_TEST_UNSET_SECRET}
schedules:
  - campaign: "Tab\\there"
    time_zone: America/Chicago
    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]
    from: 2026-12-01
    until: 2026-12-31
  - sequence: Ladder
    time_zone: America/Chicago
    windows: [{days: [sat], start: "09:00", end: "12:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""


def _run(path: str, *argv: str) -> tuple[int, bool, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, path, *argv],
        capture_output=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    err, _, report = done.stderr.rpartition(b"\0")
    data = json.loads(report)
    return data["code"], data["typer"], done.stdout, err


def _files(tmp_path: Path) -> dict[str, Path]:
    clash = tmp_path / "clash [red]x [bold]y.yaml"
    clash.write_text(_CLASH, encoding="utf-8")
    warned = tmp_path / "warned.yaml"
    warned.write_text(_WARNED, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nschedules: [{campaign: X, time_zone: Mars/Base}]\n")
    return {
        "good": EXAMPLE,
        "refused": clash,
        "warned": warned,
        "bad": bad,
        "missing": tmp_path / "missing.yaml",
        "directory": tmp_path,
    }


@pytest.mark.parametrize("as_json", [False, True])
def test_both_paths_print_the_same_bytes(tmp_path: Path, as_json: bool) -> None:
    """Good, refused, warned, bad, missing and directory files: same output, code."""
    codes = set()
    for name, file in _files(tmp_path).items():
        argv = ["validate", str(file), *(["--json"] if as_json else [])]
        if as_json and name == "bad":
            argv = ["validate", "--json", str(file)]  # --json before FILE too
        fast = _run("fast", *argv)
        typer_ = _run("typer", *argv)
        assert fast[1] is False, name  # the fast path really ran, without typer
        assert typer_[1] is True, name
        assert (fast[0], fast[2], fast[3]) == (typer_[0], typer_[2], typer_[3]), name
        codes.add(fast[0])
    assert codes == {0, 2, 3}


#: The console script itself: a garbage collection or a return from it is
#: written to stderr (neither happens for a fast command).
_CONSOLE = """
import gc, os, sys
from gcsched.cli.app import console
gc.callbacks.append(lambda phase, info: phase == "start" and os.write(2, b"<gc>"))
sys.argv = ["gcsched", *sys.argv[1:]]
try:
    console()
finally:
    os.write(2, b"<returned>")
"""


def _console(*argv: str, probe: str = _CONSOLE) -> tuple[int, bytes, bytes]:
    """Run `probe` (the console script, by default) in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        check=False,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    return done.returncode, done.stdout, done.stderr


def _many(tmp_path: Path, count: int) -> Path:
    """A valid file of `count` schedules, no two on one list."""
    entries = "".join(
        f"""  - campaign: C{i}
    time_zone: America/Chicago
    audience: list-{i}
    windows: [{{days: [mon-fri], start: "09:00", end: "{10 + i % 8}:00"}}]
    from: 2026-01-01
    until: 2026-12-31
"""
        for i in range(count)
    )
    file = tmp_path / "many.yaml"
    file.write_text(
        f"version: 1\npolicy: {{audience_conflicts: warn}}\nschedules:\n{entries}"
    )
    return file


@pytest.mark.parametrize("as_json", [False, True])
def test_the_console_script_prints_what_main_prints(
    tmp_path: Path, as_json: bool
) -> None:
    """`console` ends a fast command at once: the same bytes and exit code as
    `main`, no collection on the way, no return (the teardown is skipped)."""
    files = {**_files(tmp_path), "many": _many(tmp_path, 400)}
    for name, file in files.items():
        argv = ["validate", str(file), *(["--json"] if as_json else [])]
        code, out, err = _console(*argv)
        main_code, _, main_out, main_err = _run("fast", *argv)
        assert b"<gc>" not in err, name
        if name in {"good", "many", "warned", "refused"}:
            assert not err.endswith(b"<returned>"), name
        else:  # a failure's report imports logging, whose exit work runs
            err = err.removesuffix(b"<returned>")
        assert (code, out, err) == (main_code, main_out, main_err), name
    last = out  # the file of 400 schedules, the last one run
    if as_json:
        assert json.loads(last)["schedules"] == 400
    else:
        assert b"400 schedule" in last


def test_main_collects_garbage_where_console_does_not(tmp_path: Path) -> None:
    """The check above can fail: `main` on the same file returns, and the
    collector runs (at the latest in the interpreter's teardown)."""
    probe = _CONSOLE.replace("console()", "main()").replace(
        "import console", "import main"
    )
    code, _, err = _console("validate", str(_many(tmp_path, 400)), probe=probe)
    assert code == 0
    assert b"<returned>" in err
    assert b"<gc>" in err  # at the latest, the teardown's


def test_the_console_script_exits_normally_when_asked_to(tmp_path: Path) -> None:
    """An exit callback (a coverage tool's, say) runs: a normal exit then."""
    probe = "import atexit, os; atexit.register(os.write, 2, b'<bye>')\n" + _CONSOLE
    code, out, err = _console("validate", str(EXAMPLE), probe=probe)
    assert code == 0
    assert b"valid" in out
    assert err.endswith(b"<returned><bye>")


def test_exit_now_in_a_process_with_exit_work_is_a_normal_exit() -> None:
    """pytest registers exit callbacks: `exit_now` raises SystemExit here."""
    with pytest.raises(SystemExit) as info:
        exit_now(3)
    assert info.value.code == 3


def test_the_console_script_gives_typer_the_collector_back() -> None:
    """Any other command runs with garbage collection on, as it always did."""
    probe = _CONSOLE.replace(
        'os.write(2, b"<returned>")',
        'os.write(2, b"<enabled>" if gc.isenabled() else b"<disabled>")',
    )
    code, out, err = _console("schema", probe=probe)
    assert code == 0
    assert json.loads(out)["$schema"]
    assert err.startswith(b"<enabled>")


def test_version_is_answered_by_the_fast_path() -> None:
    """`gcsched --version` prints the same line either way, without typer."""
    fast = _run("fast", "--version")
    typer_ = _run("typer", "--version")
    assert fast[1] is False
    assert fast[0] == typer_[0] == 0
    assert fast[2] == typer_[2] == f"{version_text()}\n".encode()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["validate"],
        ["validate", "--help"],
        ["validate", "a.yaml", "b.yaml"],
        ["validate", "a.yaml", "--json", "--json"],
        ["validate", "--bogus", "a.yaml"],
        ["validate", "-"],
        ["validate", "--", "a.yaml"],
        ["validate", "tab\there.yaml"],
        ["validate", "undecodable\udcff.yaml"],
        ["--version", "validate"],
        ["-v", "validate", "a.yaml"],
        ["validate", "a.yaml", "--sandbox"],
        ["plan", "a.yaml"],
        ["schema"],
    ],
)
def test_anything_else_falls_back_to_typer(argv: list[str]) -> None:
    """Only the exact fast forms are answered here; typer owns every other message."""
    assert validate_arguments(argv) is None
    if argv != ["--version", "validate"]:
        assert answer(argv) is None


def test_a_fallback_prints_what_typer_prints(tmp_path: Path) -> None:
    """An unknown flag reaches typer's usage error through the entry point."""
    argv = ["validate", "--bogus", str(EXAMPLE)]
    fast = _run("fast", *argv)
    typer_ = _run("typer", *argv)
    assert fast[1] is True  # fell back
    assert fast[0] == typer_[0] == 2
    assert fast[3] == typer_[3]
    assert b"--bogus" in fast[3]


def test_the_fast_path_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`answer` runs validate_file and reports failures as the commands do."""
    assert validate_arguments(["validate", "--json", "f.yaml"]) == ("f.yaml", True)
    assert answer(["validate", str(EXAMPLE)]) == 0
    assert "valid" in capsys.readouterr().out
    assert answer(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert answer(["--version"]) == 0
    assert capsys.readouterr().out == f"{version_text()}\n"


def test_failures_are_reported_as_the_commands_report_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C, an OS error and a surprise: the exit codes and words of design.md."""
    assert report_failure(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == "interrupted; re-run the same command to resume\n"
    assert report_failure(PermissionError(13, "Permission denied", "/x.yaml")) == 1
    assert capsys.readouterr().err == "error: Permission denied: /x.yaml\n"
    assert report_failure(OSError("disk on fire")) == 1
    assert capsys.readouterr().err == "error: disk on fire\n"
    assert report_failure(ValueError("[red]boom[/]")) == 1
    assert capsys.readouterr().err == (
        "error: unexpected error (ValueError: [red]boom[/]); "
        "re-run with -v for details\n"
    )


def test_main_answers_fast_then_falls_back_to_typer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The entry point in process: `--version` here, an unknown flag to typer."""
    threshold = gc.get_threshold()
    try:
        monkeypatch.setattr(sys, "argv", ["gcsched", "--version"])
        with pytest.raises(SystemExit) as info:
            main()
        assert info.value.code == 0
        assert capsys.readouterr().out == f"{version_text()}\n"
        monkeypatch.setattr(sys, "argv", ["gcsched", "validate", "--bogus", "x.yaml"])
        with pytest.raises(SystemExit) as info:
            main()
        assert info.value.code == 2
        assert "--bogus" in capsys.readouterr().err
    finally:  # main tunes the collector for a short process, not for pytest's
        gc.set_threshold(*threshold)
        gc.unfreeze()
