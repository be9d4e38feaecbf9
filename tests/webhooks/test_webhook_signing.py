"""Standard Webhooks signing and secret checks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError
from webhook_support import SECRET, SECRET_ENV, endpoint

from gcsched.domain.model import SourceRef
from gcsched.webhooks import check_endpoints, secret_problem, sign_headers

# The test vector of the Standard Webhooks spec and its reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_spec_test_vector() -> None:
    """Signing the spec's example gives the spec's signature."""
    headers = sign_headers(
        SPEC_SECRET,
        msg_id=SPEC_ID,
        timestamp=datetime.fromtimestamp(SPEC_TIMESTAMP, UTC),
        body=SPEC_BODY,
    )
    assert headers == {
        "webhook-id": SPEC_ID,
        "webhook-timestamp": str(SPEC_TIMESTAMP),
        "webhook-signature": SPEC_SIGNATURE,
    }


def test_receiver_verifies_within_tolerance() -> None:
    """A receiver using standardwebhooks accepts a fresh signature."""
    body = b'{"type":"run.completed"}'
    headers = sign_headers(
        SECRET, msg_id="msg_1", timestamp=datetime.now(UTC), body=body
    )
    assert Webhook(SECRET).verify(body, headers) == {"type": "run.completed"}


def test_receiver_rejects_tampering_and_old_timestamps() -> None:
    """A changed body, another secret or a 6-minute-old timestamp fail to verify."""
    body = b'{"a":1}'
    now = datetime.now(UTC)
    headers = sign_headers(SECRET, msg_id="msg_1", timestamp=now, body=body)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(b'{"a":2}', headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(SPEC_SECRET).verify(body, headers)
    old = sign_headers(
        SECRET, msg_id="msg_1", timestamp=now - timedelta(minutes=6), body=body
    )
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(SECRET).verify(body, old)


def test_sign_headers_refuses_naive_time_and_bad_secret() -> None:
    """Naive timestamps and unusable secrets raise ValueError without the value."""
    with pytest.raises(ValueError, match="aware"):
        sign_headers(SECRET, msg_id="m", timestamp=datetime(2026, 1, 1), body=b"{}")
    with pytest.raises(ValueError, match="not usable") as info:
        sign_headers("whsec_!!!!", msg_id="m", timestamp=datetime.now(UTC), body=b"")
    assert "!!!!" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "is not set"),
        ("  ", "is empty"),
        ("sk_live_abcdef", "is not a Standard Webhooks secret"),
        ("whsec_@@@@", "is not valid base64"),
        ("whsec_c2hvcnQ=", "holds a 5-byte secret"),
    ],
)
def test_secret_problems(value: str | None, expected: str) -> None:
    """Each kind of bad secret is named, with the variable and never the value."""
    problem = secret_problem(value, variable="HOOK_SECRET")
    assert problem is not None
    assert expected in problem
    assert "HOOK_SECRET" in problem
    if value and value.strip():
        assert value.removeprefix("whsec_") not in problem


def test_good_secrets_have_no_problem() -> None:
    """Padded and unpadded whsec_ secrets of 24-64 bytes are fine."""
    assert secret_problem(SECRET, variable="V") is None
    assert secret_problem(SPEC_SECRET, variable="V") is None
    assert secret_problem(SECRET.rstrip("="), variable="V") is None


def test_check_endpoints_names_endpoint_and_variable() -> None:
    """Apply-time problems name the endpoint (without query) and the variable."""
    hooks = [
        endpoint("https://ok.example/h"),
        endpoint("https://a.example/h?token=abc", secret_env="MISSING_VAR"),
        endpoint("https://b.example/h", secret_env="BAD_VAR"),
    ]
    hooks[2] = dataclasses.replace(hooks[2], source=SourceRef("hooks.yaml", 12, 5))
    problems = check_endpoints(
        hooks, {SECRET_ENV: SECRET, "BAD_VAR": "plain-secret-value"}
    )
    assert len(problems) == 2
    assert "https://a.example/h" in problems[0]
    assert "token=abc" not in problems[0]
    assert "MISSING_VAR is not set" in problems[0]
    assert problems[1].startswith(
        "hooks.yaml:12:5: webhooks: endpoint https://b.example/h"
    )
    assert "plain-secret-value" not in problems[1]
    assert check_endpoints(hooks[:1], {SECRET_ENV: SECRET}) == []
