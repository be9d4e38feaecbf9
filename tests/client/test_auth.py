"""OAuth client credentials: caching, renewal, one re-auth on 401, mint limit."""

from __future__ import annotations

import base64

import httpx
import pytest

from gcsched.client import renew_after
from gcsched.errors import AuthenticationError
from gcsched.telemetry import Event, TokenRenewed, hooks_installed

from .fakes import CREDS, FakeApi, FakeClock, error, make_client

ORG = ("GET", "/api/v2/organizations/me")


def org_api(**kwargs: object) -> FakeApi:
    api = FakeApi(**kwargs)  # type: ignore[arg-type]
    api.routes[ORG] = [httpx.Response(200, json={"id": "o1", "name": "Org"})]
    return api


def token_requests(api: FakeApi) -> list[httpx.Request]:
    return [r for r in api.seen if r.url.path == "/oauth/token"]


@pytest.mark.anyio
async def test_token_request_shape_and_caching() -> None:
    """One Basic-auth form POST to the login host serves many requests."""
    api = org_api()
    async with make_client(api) as client:
        for _ in range(5):
            await client.get_organization()
    minted = token_requests(api)
    assert len(minted) == 1
    req = minted[0]
    assert str(req.url) == "https://login.mypurecloud.ie/oauth/token"
    expected = base64.b64encode(b"client-id-1:s3cr3t-value").decode()
    assert req.headers["Authorization"] == f"Basic {expected}"
    assert req.content == b"grant_type=client_credentials"
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert all(r.headers["Authorization"] == "Bearer tok-1" for r in api.api_requests())
    assert client.request_count == 6


@pytest.mark.parametrize(
    ("expires_in", "renew"),
    [(86400, 77760.0), (3600, 3240.0), (300, 240.0), (30, 15.0)],
)
def test_renew_after(expires_in: float, renew: float) -> None:
    """Renew at 90 % or 60 s before expiry, whichever is earlier (at least half)."""
    assert renew_after(expires_in) == renew


@pytest.mark.anyio
async def test_renews_ahead_of_expiry() -> None:
    """A token is renewed before expires_in runs out, not after a 401."""
    api = org_api(expires_in=3600)
    clock = FakeClock()
    events: list[Event] = []
    with hooks_installed(events.append):
        async with make_client(api, clock) as client:
            await client.get_organization()
            clock.now += 3239
            await client.get_organization()
            assert api.tokens_minted == 1
            clock.now += 2
            await client.get_organization()
    assert api.tokens_minted == 2
    assert [r.headers["Authorization"] for r in api.api_requests()] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
    ]
    renewals = [e.reason for e in events if isinstance(e, TokenRenewed)]
    assert renewals == ["initial", "expiring"]
    assert not any(r for r in api.api_requests() if r.headers.get("x-401"))


@pytest.mark.anyio
async def test_reauthenticates_once_on_401() -> None:
    """A token revoked server-side is replaced once and the request re-sent."""
    api = org_api()
    async with make_client(api) as client:
        await client.get_organization()
        api.valid_tokens.clear()  # the server forgets tok-1
        org = await client.get_organization()
    assert org["id"] == "o1"
    assert api.tokens_minted == 2
    auths = [r.headers["Authorization"] for r in api.api_requests()]
    assert auths == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


@pytest.mark.anyio
async def test_persistent_401_is_an_authentication_error() -> None:
    """A 401 that survives one fresh token says which credentials to check."""
    api = org_api()
    api.routes[ORG] = [error(401, "bad.credentials", "Invalid login credentials.")]
    async with make_client(api) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    assert api.tokens_minted == 2  # exactly one re-authentication
    text = str(info.value)
    assert "GENESYSCLOUD_OAUTHCLIENT_ID" in text
    assert "s3cr3t-value" not in text
    assert "tok-" not in text
    assert info.value.status == 401


@pytest.mark.anyio
async def test_mint_rate_limit_is_waited_out() -> None:
    """400 invalid_request 'rate limit exceeded' from the token endpoint is retried."""
    limited = httpx.Response(
        400,
        json={
            "error": "invalid_request",
            "description": "rate limit exceeded; try again later",
        },
    )
    api = org_api(token_replies=[limited, limited])
    clock = FakeClock()
    async with make_client(api, clock) as client:
        org = await client.get_organization()
    assert org["name"] == "Org"
    assert len(token_requests(api)) == 3
    assert clock.sleeps[:2] == [2.0, 4.0]


@pytest.mark.anyio
async def test_mint_rate_limit_gives_up() -> None:
    """A token endpoint that never stops limiting ends in an AuthenticationError."""
    limited = httpx.Response(
        400, json={"error": "invalid_request", "description": "rate limit exceeded"}
    )
    api = org_api(token_replies=[limited] * 10)
    async with make_client(api) as client:
        with pytest.raises(AuthenticationError, match="rate limit"):
            await client.get_organization()
    assert len(token_requests(api)) == 6


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(401, json={"error": "invalid_client"}),
        httpx.Response(
            400,
            json={"error": "invalid_client", "description": "client not found"},
        ),
    ],
)
@pytest.mark.anyio
async def test_bad_credentials_name_the_variables(reply: httpx.Response) -> None:
    """A refused client names both variables, never their values."""
    api = org_api(token_replies=[reply])
    async with make_client(api) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    text = str(info.value)
    assert "GENESYSCLOUD_OAUTHCLIENT_ID" in text
    assert "GENESYSCLOUD_OAUTHCLIENT_SECRET" in text
    assert "s3cr3t-value" not in text
    assert "s3cr3t-value" not in repr(info.value)
    assert api.api_requests() == []


def test_auth_repr_hides_secret() -> None:
    """The auth object's repr shows the client id only."""
    from gcsched.client import ClientCredentialsAuth

    auth = ClientCredentialsAuth(CREDS, "https://login.example/oauth/token")
    assert "s3cr3t-value" not in repr(auth)
    assert "client-id-1" in repr(auth)
