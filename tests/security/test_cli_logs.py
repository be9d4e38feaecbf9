"""`--log-format json -v` writes JSON lines on stderr; `-v` text; neither leaks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from security_scan import find_leaks
from typer.testing import CliRunner

from gcsched.cli.app import app, hoist_globals
from gcsched.telemetry.redact import REDACTOR

EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI installs a root handler; put the root logger back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(app, hoist_globals(list(args)), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_json_logs_are_json_lines_with_the_required_fields(tmp_path: Path) -> None:
    """Every stderr line of `--log-format json -v apply` parses and has the keys."""
    code, _, stderr = _run(
        "--log-format", "json", "-v", "--sandbox", "--state-dir", str(tmp_path),
        "apply", str(EXAMPLE), "--yes",
    )  # fmt: skip
    assert code == 0, stderr
    records = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert records, stderr
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys(), record
        assert record["level"] in {"debug", "info", "warning", "error", "critical"}
    assert any(r["level"] == "info" for r in records)
    assert not any(r["level"] == "debug" for r in records), "-v is info, not debug"


def test_json_debug_logs_are_json_too(tmp_path: Path) -> None:
    """`-vv` adds debug records, still one JSON object per log line."""
    code, _, stderr = _run(
        "--log-format", "json", "-vv", "--sandbox", "--state-dir", str(tmp_path),
        "plan", str(EXAMPLE),
    )  # fmt: skip
    assert code == 0, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("{")]
    levels = {json.loads(line)["level"] for line in lines}
    assert "debug" in levels


def test_text_logs_with_v(tmp_path: Path) -> None:
    """`-v` text logs: `TIME LEVEL logger: message`, not JSON."""
    code, _, stderr = _run(
        "-v", "--sandbox", "--state-dir", str(tmp_path), "apply", str(EXAMPLE), "--yes"
    )
    assert code == 0, stderr
    lines = [line for line in stderr.splitlines() if " INFO " in line]
    assert lines, stderr
    assert all(not line.startswith("{") for line in lines)
    assert any(": " in line.split(" INFO ", 1)[1] for line in lines)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_logs_carry_no_secret(tmp_path: Path, fmt: str) -> None:
    """At -vvv (httpx logs too) the client secret never reaches stdout or stderr."""
    from gcsched.api.sandbox import DEFAULT_CLIENT_SECRET

    code, stdout, stderr = _run(
        "--log-format", fmt, "-vvv", "--sandbox", "--state-dir", str(tmp_path),
        "apply", str(EXAMPLE), "--yes",
    )  # fmt: skip
    assert code == 0, stderr
    blobs = {"stdout": stdout.encode(), "stderr": stderr.encode()}
    assert find_leaks(blobs, {"client secret": [DEFAULT_CLIENT_SECRET]}) == []
    assert REDACTOR.redact(DEFAULT_CLIENT_SECRET) == "[REDACTED]"
