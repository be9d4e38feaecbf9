"""OAuth client credentials, bearer tokens and permissions."""

from __future__ import annotations

import base64

import httpx
import pytest

from conftest import BASE, FakeClock, Mint
from gcsched.sandbox import SandboxState, asgi_transport, create_app

pytestmark = pytest.mark.anyio


async def test_basic_auth_mints_a_token(anon: httpx.AsyncClient) -> None:
    """Basic auth with grant_type=client_credentials returns a bearer token."""
    basic = base64.b64encode(b"sandbox-client-id:sandbox-client-secret").decode()
    r = await anon.post(
        "/oauth/token",
        content="grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86400


async def test_form_parameters_also_work(anon: httpx.AsyncClient) -> None:
    """client_id and client_secret in the form body are accepted."""
    r = await anon.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "sandbox-client-id",
            "client_secret": "sandbox-client-secret",
        },
    )
    assert r.status_code == 200
    assert r.json()["access_token"]


@pytest.mark.parametrize(
    ("data", "auth", "status", "error"),
    [
        (
            {"grant_type": "client_credentials"},
            ("sandbox-client-id", "wrong"),
            401,
            "invalid_client",
        ),
        ({"grant_type": "client_credentials"}, ("nobody", "x"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        (
            {"grant_type": "password"},
            ("sandbox-client-id", "sandbox-client-secret"),
            400,
            "unsupported_grant_type",
        ),
        ({}, ("sandbox-client-id", "sandbox-client-secret"), 400, "invalid_request"),
    ],
)
async def test_token_errors_are_oauth_style(
    anon: httpx.AsyncClient,
    data: dict[str, str],
    auth: tuple[str, str] | None,
    status: int,
    error: str,
) -> None:
    """Bad credentials and grants answer {error, description}."""
    r = await anon.post("/oauth/token", data=data, auth=auth)
    assert r.status_code == status
    assert r.json()["error"] == error
    assert r.json()["description"]
    assert "sandbox-client-secret" not in r.text


async def test_bad_basic_header_is_invalid_client(anon: httpx.AsyncClient) -> None:
    """A Basic header that is not base64 id:secret is refused."""
    r = await anon.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic !!!"},
    )
    assert r.status_code == 401


async def test_minting_limit_answers_invalid_request(state: SandboxState) -> None:
    """More tokens than the minting limit per minute: 400 rate limit exceeded."""
    app = create_app(state, token_mint_limit=3)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        data = {"grant_type": "client_credentials"}
        auth = ("sandbox-client-id", "sandbox-client-secret")
        for _ in range(3):
            assert (
                await c.post("/oauth/token", data=data, auth=auth)
            ).status_code == 200
        r = await c.post("/oauth/token", data=data, auth=auth)
        assert r.status_code == 400
        assert r.json()["error"] == "invalid_request"
        assert "rate limit exceeded" in r.json()["description"]
        state.clock.advance(61)  # type: ignore[attr-defined]
        assert (await c.post("/oauth/token", data=data, auth=auth)).status_code == 200
        stats = (await c.get("/sandbox/stats")).json()
        assert stats["tokens_minted"] == 4


async def test_missing_token_is_authentication_required(
    anon: httpx.AsyncClient,
) -> None:
    """No bearer token: 401 authentication.required with the correlation id."""
    r = await anon.get("/api/v2/outbound/campaigns")
    assert r.status_code == 401
    assert r.json()["code"] == "authentication.required"
    assert r.json()["contextId"] == r.headers["ININ-Correlation-Id"]
    assert not any(h.startswith("inin-ratelimit-") for h in r.headers)


async def test_unknown_token_is_bad_credentials(anon: httpx.AsyncClient) -> None:
    """A token the sandbox never minted: 401 bad.credentials."""
    r = await anon.get(
        "/api/v2/outbound/campaigns", headers={"Authorization": "Bearer nope"}
    )
    assert r.status_code == 401
    assert r.json()["code"] == "bad.credentials"


async def test_token_expires(
    anon: httpx.AsyncClient, clock: FakeClock, mint: Mint
) -> None:
    """A token stops working after expires_in seconds."""
    headers = {"Authorization": f"Bearer {await mint(anon)}"}
    assert (
        await anon.get("/api/v2/organizations/me", headers=headers)
    ).status_code == 200
    clock.advance(86400)
    r = await anon.get("/api/v2/organizations/me", headers=headers)
    assert r.status_code == 401
    assert r.json()["code"] == "credentials.expired"
    assert r.json()["message"] == (
        "The supplied credentials are expired and cannot be used."
    )


async def test_token_ttl_setting(state: SandboxState, mint: Mint) -> None:
    """create_app(token_ttl=...) sets expires_in."""
    app = create_app(state, token_ttl=600)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        r = await c.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client-id", "sandbox-client-secret"),
        )
        assert r.json()["expires_in"] == 600


async def test_client_without_edit_permission_gets_403(
    clock: FakeClock, mint: Mint
) -> None:
    """A seeded client lacking outbound:schedule:edit: 403 naming it."""
    state = SandboxState.from_seed(
        {
            "clients": [
                {
                    "id": "viewer",
                    "secret": "viewer-secret",
                    "permissions": ["outbound:campaign:view", "outbound:schedule:view"],
                    "tokenTtl": 300,
                }
            ],
            "contactLists": [{"name": "L", "size": 1}],
            "campaigns": [{"name": "C", "dialingMode": "power", "contactList": "L"}],
        }
    )
    state.clock = clock
    app = create_app(state)
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        r = await c.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("viewer", "viewer-secret"),
        )
        assert r.json()["expires_in"] == 300
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        campaign = (await c.get("/api/v2/outbound/campaigns")).json()["entities"][0]
        r = await c.put(
            f"/api/v2/outbound/schedules/campaigns/{campaign['id']}",
            json={"campaign": {"id": campaign["id"]}, "intervals": []},
        )
        assert r.status_code == 403
        assert r.json()["code"] == "missing.any.permissions"
        assert "outbound:schedule:edit" in r.json()["message"]
        assert (await c.get("/api/v2/outbound/schedules/campaigns")).status_code == 200
        assert (await c.get("/api/v2/outbound/contactlists")).status_code == 403
