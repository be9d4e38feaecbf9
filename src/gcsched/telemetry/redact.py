"""The ONE redaction mechanism: secrets never reach logs, errors or files.

Secrets are removed two ways:

* registered values: the client secret, access tokens and webhook secrets are
  registered when they are read or minted (`register_secret`), with their
  URL-, JSON- and base64-encoded forms; the Basic credential
  ``base64(id:secret)`` too (`register_basic_credential`), since a token endpoint
  may echo it without its ``Basic`` prefix and base64 of the secret alone is a
  substring of it only when ``len(id) + 1`` is a multiple of 3;
* shapes: ``Bearer …``, ``Basic …``, ``whsec_…``/``whsk_…``, and
  ``access_token``/``client_secret``-style fields, whatever their value.

Use `REDACTOR.redact(text)` for error messages and anything written to a file;
`RedactingFilter` does the same for every log record.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import urllib.parse
from typing import Any, Final

__all__ = [
    "MASK",
    "MIN_SECRET_LENGTH",
    "REDACTOR",
    "RedactingFilter",
    "Redactor",
    "redact",
    "register_basic_credential",
    "register_secret",
]

MASK: Final = "[REDACTED]"

#: Values shorter than this are not registered (they would mask ordinary text).
MIN_SECRET_LENGTH: Final = 6

_SHAPES: Final = (
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*"),
    re.compile(r"\bwh(?:sec|sk|pk)_[A-Za-z0-9+/=_\-]+"),
    re.compile(
        r"""(?ix)
        (["']?(?:access_token|refresh_token|id_token|client_secret|password|secret
              |authorization|x-api-key)["']?\s*[:=]\s*["']?)
        ([^"'&\s,;}]+)
        """
    ),
)


def _shape_sub(match: re.Match[str]) -> str:
    if match.re is _SHAPES[0]:
        return f"{match.group(1)} {MASK}"
    if match.re is _SHAPES[2]:
        return match.group(1) + MASK
    return MASK


class Redactor:
    """Replaces registered secrets and secret-shaped text with ``[REDACTED]``."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._mutex = threading.Lock()

    def add(self, secret: str | None) -> None:
        """Register `secret` (and its encoded forms); short or empty ones are ignored.

        Args:
            secret: a client secret, token or webhook secret.
        """
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            return
        forms = {
            secret,
            urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret),
            json.dumps(secret)[1:-1],
            base64.b64encode(secret.encode()).decode().rstrip("="),
        }
        with self._mutex:
            before = len(self._values)
            self._values.update(f for f in forms if len(f) >= MIN_SECRET_LENGTH)
            if len(self._values) != before:
                self._pattern = None

    def clear(self) -> None:
        """Forget every registered value (tests)."""
        with self._mutex:
            self._values.clear()
            self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        with self._mutex:
            if self._pattern is None and self._values:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
            return self._pattern

    def redact(self, text: str) -> str:
        """`text` with every registered value and secret shape masked."""
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub(MASK, text)
        for shape in _SHAPES:
            text = shape.sub(_shape_sub, text)
        return text

    def redact_value(self, value: Any) -> Any:
        """`value` with strings redacted, recursing into lists and dicts."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self.redact_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_value(v) for v in value]
        return value


#: The process-wide redactor every writer uses.
REDACTOR: Final = Redactor()


def register_secret(value: str | None) -> None:
    """Register `value` with the process-wide `REDACTOR`."""
    REDACTOR.add(value)


def register_basic_credential(user: str, password: str) -> None:
    """Register ``base64(user:password)``, the HTTP Basic credential, with `REDACTOR`.

    Without its padding, so the padded and unpadded forms are both masked.
    """
    if not password:
        return
    raw = f"{user}:{password}".encode()
    REDACTOR.add(base64.b64encode(raw).decode("ascii").rstrip("="))


def redact(text: str) -> str:
    """`text` redacted by the process-wide `REDACTOR`."""
    return REDACTOR.redact(text)


# Attributes every LogRecord has; anything else came in through `extra=`.
LOG_RECORD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName"}


class RedactingFilter(logging.Filter):
    """A handler filter that redacts message, arguments, extras and tracebacks."""

    def __init__(self, redactor: Redactor = REDACTOR) -> None:
        """Args: redactor: the redactor to use (the process-wide one by default)."""
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact `record` in place; never drops it."""
        record.msg = self.redactor.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in LOG_RECORD_ATTRS:
                setattr(record, key, self.redactor.redact_value(value))
        return True
