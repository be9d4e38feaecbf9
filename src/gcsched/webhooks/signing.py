"""Standard Webhooks secrets and signatures (`whsec_` secrets, HMAC-SHA256 `v1`).

Signing is done by the `standardwebhooks` package itself, so a receiver using the
same package verifies exactly what we send. Messages here name the endpoint and
the environment variable, never the secret's value.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from math import floor

from standardwebhooks import Webhook

from gcsched.domain.model import WebhookEndpoint
from gcsched.webhooks.urls import endpoint_label

__all__ = [
    "SECRET_PREFIX",
    "check_endpoints",
    "secret_problem",
    "sign_headers",
]

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of every secret, not a secret
_MIN_SECRET_BYTES = 24  # Standard Webhooks: 24 to 64 random bytes
_MAX_SECRET_BYTES = 64


def secret_problem(value: str | None, *, variable: str) -> str | None:
    """What is wrong with a webhook secret read from `variable`, or None.

    Args:
        value: the variable's value (None when it is not set).
        variable: the variable's name, used in the message.

    Returns:
        A message naming the variable (never the value), or None when `value` is
        ``whsec_`` followed by base64 of 24 to 64 bytes.
    """
    if value is None:
        return f"environment variable {variable} is not set"
    value = value.strip()
    if not value:
        return f"environment variable {variable} is empty"
    expected = (
        f"expected {SECRET_PREFIX} followed by base64 of "
        f"{_MIN_SECRET_BYTES}-{_MAX_SECRET_BYTES} random bytes"
    )
    where = f"environment variable {variable}"
    if not value.startswith(SECRET_PREFIX):
        return f"{where} is not a Standard Webhooks secret ({expected})"
    encoded = value[len(SECRET_PREFIX) :]
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return f"{where} is not valid base64 after {SECRET_PREFIX} ({expected})"
    if not _MIN_SECRET_BYTES <= len(raw) <= _MAX_SECRET_BYTES:
        return f"{where} holds a {len(raw)}-byte secret ({expected})"
    return None


def check_endpoints(
    endpoints: Sequence[WebhookEndpoint], environ: Mapping[str, str]
) -> list[str]:
    """Problems with the endpoints' secrets: warnings in `validate`, exit 2 in `apply`.

    Args:
        endpoints: the file's `webhooks:` entries.
        environ: where secrets are read from (usually `os.environ`).

    Returns:
        One message per endpoint whose secret variable is missing, empty or not a
        ``whsec_`` secret, each naming the endpoint and the variable; empty when all
        are usable. Values are never included.
    """
    problems: list[str] = []
    for endpoint in endpoints:
        problem = secret_problem(
            environ.get(endpoint.secret_env), variable=endpoint.secret_env
        )
        if problem is not None:
            where = f"{endpoint.source}: " if endpoint.source is not None else ""
            problems.append(
                f"{where}webhooks: endpoint {endpoint_label(endpoint.url)}: {problem}"
            )
    return problems


def sign_headers(
    secret: str, *, msg_id: str, timestamp: datetime, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for one delivery attempt.

    Args:
        secret: a ``whsec_`` secret (check it with `secret_problem` first).
        msg_id: the stable `webhook-id`.
        timestamp: the attempt's time (aware); its whole seconds are signed.
        body: the exact request body.

    Returns:
        ``webhook-id``, ``webhook-timestamp`` (unix seconds) and
        ``webhook-signature`` (``v1,<base64 HMAC-SHA256>``).

    Raises:
        ValueError: the secret is empty or not base64, or `timestamp` is naive.
    """
    if timestamp.tzinfo is None:
        msg = "webhook timestamps need an aware datetime"
        raise ValueError(msg)
    utc = timestamp.astimezone(UTC)
    try:
        signer = Webhook(secret.strip())
    except Exception as exc:  # binascii.Error, EmptyWebhookSecretError...
        msg = "the webhook secret is not usable"
        raise ValueError(msg) from exc
    signature = signer.sign(msg_id=msg_id, timestamp=utc, data=body.decode())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(floor(utc.timestamp())),
        "webhook-signature": signature,
    }
