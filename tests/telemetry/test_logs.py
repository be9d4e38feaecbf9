"""Structured logs: JSON lines and text, levels, and the event logging hook."""

from __future__ import annotations

import io
import json
import logging

from gcsched.telemetry import (
    LoggingHook,
    RunStarted,
    TokenRenewed,
    configure_logging,
    emit,
    hooks_installed,
)


def test_json_lines_carry_time_level_logger_message_and_extras() -> None:
    """Each record is one JSON object with the standard keys and extra fields."""
    stream = io.StringIO()
    configure_logging(fmt="json", verbosity=1, stream=stream)
    logging.getLogger("gcsched.engine").info("step done", extra={"step_id": 3})
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "info"
    assert record["logger"] == "gcsched.engine"
    assert record["message"] == "step done"
    assert record["step_id"] == 3
    assert record["time"].endswith("+00:00")


def test_verbosity_sets_the_level() -> None:
    """0 shows warnings only, 1 info, 2 debug."""
    for verbosity, shown in ((0, {"WARNING"}), (1, {"INFO", "WARNING"}),
                             (2, {"DEBUG", "INFO", "WARNING"})):  # fmt: skip
        stream = io.StringIO()
        configure_logging(fmt="text", verbosity=verbosity, stream=stream)
        log = logging.getLogger("gcsched.x")
        log.debug("d")
        log.info("i")
        log.warning("w")
        levels = {line.split()[1] for line in stream.getvalue().splitlines()}
        assert levels == shown


def test_reconfiguring_replaces_the_handler() -> None:
    """Calling configure_logging twice does not duplicate output."""
    first, second = io.StringIO(), io.StringIO()
    configure_logging(fmt="text", verbosity=1, stream=first)
    configure_logging(fmt="text", verbosity=1, stream=second)
    logging.getLogger("gcsched.y").info("once")
    assert first.getvalue() == ""
    assert second.getvalue().count("once") == 1


def test_text_format_escapes_newlines() -> None:
    """A message cannot forge extra log lines (CR/LF escaped)."""
    stream = io.StringIO()
    configure_logging(fmt="text", verbosity=1, stream=stream)
    logging.getLogger("gcsched.z").info("a\nFAKE ERROR line\rb", extra={"k": "v"})
    [line] = stream.getvalue().splitlines()
    assert "a\\nFAKE ERROR line\\rb" in line
    assert line.endswith("k=v")


def test_logging_hook_logs_events_with_fields() -> None:
    """Telemetry events become log records with event_* extras."""
    stream = io.StringIO()
    configure_logging(fmt="json", verbosity=2, stream=stream)
    with hooks_installed(LoggingHook()):
        emit(RunStarted(run_id="r1", steps=2))
        emit(TokenRenewed(reason="401"))
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [r["message"] for r in records] == ["RunStarted", "TokenRenewed"]
    assert records[0]["level"] == "info"
    assert records[0]["event_run_id"] == "r1"
    assert records[1]["level"] == "debug"
    assert records[1]["event_reason"] == "401"
