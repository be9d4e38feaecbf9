"""Logging set-up: text or JSON lines, always through the redaction filter.

`configure_logging` installs one handler on the root logger (so the logs of
httpx and friends are redacted too). `LoggingHook` turns telemetry events into
log records with the event's fields as structured extras.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from gcsched.telemetry.events import Event
from gcsched.telemetry.printable import printable, printable_lines
from gcsched.telemetry.redact import LOG_RECORD_ATTRS, REDACTOR, RedactingFilter

__all__ = ["JsonFormatter", "LoggingHook", "TextFormatter", "configure_logging"]

_MARK = "_gcsched_handler"
_INFO_EVENTS = frozenset(
    {
        "RateLimited",
        "RetryScheduled",
        "ValidationFailed",
        "RunStarted",
        "RunFinished",
        "ApplyStepFinished",
    }
)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in LOG_RECORD_ATTRS}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The JSON line of `record`."""
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in _extras(record).items():
            data.setdefault(key, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = REDACTOR.redact(self.formatException(record.exc_info))
        if record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``TIME LEVEL logger: message key=value…``, one line, printable.

    CR/LF in messages are escaped (``\\n``); every other control or bidi
    character, in the message or in a field (a target name from the org), is
    shown as U+FFFD (`gcsched.telemetry.printable`), so a log line never
    carries ESC/BEL sequences to the terminal.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The text line of `record` (plus its traceback, if any)."""
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        line = printable(f"{stamp} {record.levelname:<7} {record.name}: {message}")
        if extras:
            line += f"  {printable(extras)}"
        if record.exc_info and not record.exc_text:
            record.exc_text = REDACTOR.redact(self.formatException(record.exc_info))
        if record.exc_text:
            line += "\n" + printable_lines(record.exc_text)
        return line


def configure_logging(
    *,
    fmt: Literal["text", "json"],
    verbosity: int,
    stream: TextIO,
) -> logging.Handler:
    """Send logs to `stream` in `fmt`, redacted, at a level set by `verbosity`.

    Calling it again replaces the handler it installed before.

    Args:
        fmt: ``"text"`` for people, ``"json"`` for log pipelines (JSON lines).
        verbosity: 0 warnings, 1 info (``-v``), 2 or more debug (``-vv``).
        stream: where to write (usually stderr).

    Returns:
        The installed handler.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    setattr(handler, _MARK, True)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactingFilter(REDACTOR))
    level = logging.WARNING if verbosity <= 0 else logging.INFO
    if verbosity >= 2:
        level = logging.DEBUG
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter stays at warning unless asked for with -vvv.
    for noisy in ("httpx", "httpcore", "hpack"):
        logging.getLogger(noisy).setLevel(
            logging.DEBUG if verbosity >= 3 else logging.WARNING
        )
    # stamina warns at every scheduled retry; gcsched counts retries itself (the
    # run summary, metrics), so those lines show only from -v on.
    logging.getLogger("stamina").setLevel(
        logging.NOTSET if verbosity >= 1 else logging.ERROR
    )
    return handler


class LoggingHook:
    """A telemetry hook that logs each event with its fields as extras."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        """Args: logger: where to log (``gcsched.telemetry`` by default)."""
        self.logger = logger or logging.getLogger("gcsched.telemetry")

    def __call__(self, event: Event) -> None:
        """Log `event`: run, step, retry and 429 events at info, the rest at debug."""
        name = type(event).__name__
        fields = {f"event_{k}": v for k, v in dataclasses.asdict(event).items()}
        level = logging.INFO if name in _INFO_EVENTS else logging.DEBUG
        self.logger.log(level, name, extra={"event": name, **fields})
