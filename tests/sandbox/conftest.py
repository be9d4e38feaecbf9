"""Fixtures of the sandbox tests: an in-process app and an authorised client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from starlette.applications import Starlette

from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    asgi_transport,
    create_app,
)

BASE = "http://sandbox.test"


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock: FakeClock) -> SandboxState:
    demo = SandboxState.demo()
    demo.clock = clock
    return demo


@pytest.fixture
def app(state: SandboxState) -> Starlette:
    return create_app(state)


async def token_for(
    client: httpx.AsyncClient,
    client_id: str = DEFAULT_CLIENT_ID,
    secret: str = DEFAULT_CLIENT_SECRET,
) -> str:
    """Mint a token with Basic auth and return it."""
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


Mint = Callable[..., Awaitable[str]]


@pytest.fixture
def mint() -> Mint:
    """The `token_for` helper, as a fixture."""
    return token_for


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client with a bearer token for the default client."""
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c)}"
        yield c


@pytest.fixture
async def anon(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client without a token."""
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        yield c
