"""The Basic credential base64(id:secret) is masked even without its prefix."""

from __future__ import annotations

import base64

import httpx
import pytest

from gcsched.client import Credentials, GenesysClient
from gcsched.errors import AuthenticationError
from gcsched.telemetry.redact import MASK, REDACTOR


@pytest.mark.anyio
@pytest.mark.parametrize("client_id", ["client-id1", "client-id-12", "cid-0000001"])
async def test_a_reflected_basic_credential_is_redacted(client_id: str) -> None:
    """A token endpoint that echoes the credential (no `Basic ` prefix) in its
    refusal: the message, once redacted as every output is, does not carry it.

    `client-id1` (len + 1 = 11) and `client-id-12` (13) are the lengths where
    base64 of the secret alone is not a substring of base64(id:secret).
    """
    secret = "s3cr3t-value-xyz"
    reflected = base64.b64encode(f"{client_id}:{secret}".encode()).decode()

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Basic {reflected}"
        return httpx.Response(
            401,
            json={
                "error": "invalid_client",
                "error_description": f"credential {reflected} is not valid",
            },
        )

    client = GenesysClient(
        "https://api.mypurecloud.ie",
        Credentials(client_id, secret),
        transport=httpx.MockTransport(handler),
        rate_limit=300,
    )
    async with client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    shown = REDACTOR.redact(str(info.value))
    assert reflected.rstrip("=") not in shown
    assert MASK in shown
    assert secret not in shown
