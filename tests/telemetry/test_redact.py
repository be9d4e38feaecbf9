"""One redaction mechanism: registered values and secret shapes never survive."""

from __future__ import annotations

import base64
import io
import json
import logging
import urllib.parse

import pytest

from gcsched.telemetry import (
    REDACTOR,
    Redactor,
    configure_logging,
    redact,
    register_secret,
)
from gcsched.telemetry.redact import MASK

SECRET = "s3cr3t-Cl1ent/Value+with=chars"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.canary-access-token.sig"
WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.mark.parametrize(
    "text",
    [
        f"client secret is {SECRET}",
        f"form body: grant_type=client_credentials&x={urllib.parse.quote_plus(SECRET)}",
        f"url-encoded {urllib.parse.quote(SECRET, safe='')}",
        f"json {json.dumps({'v': SECRET})}",
        f"base64 {base64.b64encode(SECRET.encode()).decode()}",
        f"token {TOKEN} expired",
    ],
)
def test_registered_values_in_every_encoding(text: str) -> None:
    """A registered secret is masked raw, URL-, JSON- and base64-encoded."""
    register_secret(SECRET)
    register_secret(TOKEN)
    out = redact(text)
    assert SECRET not in out
    assert TOKEN not in out
    assert urllib.parse.quote_plus(SECRET) not in out
    assert MASK in out


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Authorization: Bearer abc.DEF-123_x~y+z/0==", "abc.DEF-123_x~y+z/0=="),
        ("authorization: basic c2FuZGJveDpzZWNyZXQ=", "c2FuZGJveDpzZWNyZXQ="),
        (f"secret {WHSEC} here", WHSEC),
        ("signing key whsk_abcdefABCDEF0123456789", "whsk_abcdefABCDEF0123456789"),
        ('{"access_token": "tok-123456789", "expires_in": 86400}', "tok-123456789"),
        ("client_secret=hunter2-long&grant_type=x", "hunter2-long"),
        ("refresh_token='rt-987654321'", "rt-987654321"),
    ],
)
def test_secret_shapes_without_registration(text: str, gone: str) -> None:
    """Bearer/Basic credentials, whsec_ keys and token fields are masked unasked."""
    out = Redactor().redact(text)
    assert gone not in out
    assert MASK in out


def test_ordinary_text_and_short_values_are_kept() -> None:
    """Short registered values are ignored; names like secret_env stay readable."""
    redactor = Redactor()
    redactor.add("abc")
    redactor.add("")
    redactor.add(None)
    text = "secret_env: GCSCHED_WEBHOOK_SECRET for campaign abc"
    assert redactor.redact(text) == text


def test_longest_secret_wins() -> None:
    """Overlapping registered values never leave a fragment behind."""
    redactor = Redactor()
    redactor.add("abcdefgh")
    redactor.add("abcdefgh-and-more")
    assert redactor.redact("x abcdefgh-and-more y") == f"x {MASK} y"


def test_redact_value_recurses() -> None:
    """Nested structures are redacted string by string."""
    REDACTOR.add(SECRET)
    value = {"a": [SECRET, 1, {"b": f"x{SECRET}"}], "c": None}
    assert REDACTOR.redact_value(value) == {
        "a": [MASK, 1, {"b": f"x{MASK}"}],
        "c": None,
    }


def test_log_filter_redacts_message_args_extras_and_traceback() -> None:
    """Secrets in messages, %-args, extras and exception text never reach the log."""
    register_secret(SECRET)
    stream = io.StringIO()
    configure_logging(fmt="json", verbosity=1, stream=stream)
    log = logging.getLogger("gcsched.test")
    log.info("auth with %s", SECRET, extra={"header": f"Bearer {TOKEN}"})
    try:
        raise ValueError(f"bad secret {SECRET}")
    except ValueError:
        log.exception("failed")
    out = stream.getvalue()
    assert SECRET not in out
    assert TOKEN not in out
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines[0]["message"] == f"auth with {MASK}"
    assert lines[0]["header"] == f"Bearer {MASK}"
    assert MASK in lines[1]["exception"]
