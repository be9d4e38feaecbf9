"""`--rate-window fixed|sliding`: how the sandbox counts a token's requests."""

from __future__ import annotations

import httpx
import pytest
from sdk_server import running_sandbox
from typer.testing import CliRunner

from conftest import BASE, FakeClock, Mint
from gcsched.cli.app import app as cli
from gcsched.sandbox import SandboxState, asgi_transport, create_app
from gcsched.sandbox.ratelimit import RateLimiter

ORG = "/api/v2/organizations/me"


def test_fixed_lets_a_burst_through_at_the_window_edge() -> None:
    """fixed: 3 at the end of one window and 3 at the start of the next pass."""
    clock = FakeClock()
    limiter = RateLimiter(3, clock, "fixed")
    assert limiter.hit("t").allowed  # opens the window at t0
    clock.advance(59)
    assert [limiter.hit("t").allowed for _ in range(3)] == [True, True, False]
    clock.advance(1)  # a new window
    assert [limiter.hit("t").allowed for _ in range(3)] == [True, True, True]


def test_sliding_counts_the_last_60_seconds() -> None:
    """sliding: the same burst is refused until the oldest request is 60 s old."""
    clock = FakeClock()
    limiter = RateLimiter(3, clock, "sliding")
    assert limiter.hit("t").allowed  # at t0
    clock.advance(59)
    assert [limiter.hit("t").allowed for _ in range(3)] == [True, True, False]
    refused = limiter.hit("t")
    assert not refused.allowed
    assert refused.reset == 1  # t0 leaves the window in 1 s
    clock.advance(1)
    assert [limiter.hit("t").allowed for _ in range(2)] == [True, False]
    assert limiter.hit("other").allowed  # each token has its own window


def test_sliding_off_never_refuses() -> None:
    """rate_limit 0 with a sliding window still never refuses."""
    limiter = RateLimiter(0, FakeClock(), "sliding")
    assert all(limiter.hit("t").allowed for _ in range(500))


def test_unknown_window_is_refused() -> None:
    """Only fixed and sliding exist."""
    with pytest.raises(ValueError, match="fixed, sliding"):
        create_app(SandboxState.demo(), rate_window="rolling")


@pytest.mark.anyio
async def test_sliding_window_answers_429_with_retry_after(
    state: SandboxState, clock: FakeClock, mint: Mint
) -> None:
    """Through the app: the sliding window's 429 says when a slot frees."""
    application = create_app(state, rate_limit=2, rate_window="sliding")
    async with httpx.AsyncClient(
        transport=asgi_transport(application), base_url=BASE
    ) as c:
        c.headers["Authorization"] = f"Bearer {await mint(c)}"
        assert (await c.get(ORG)).status_code == 200
        clock.advance(50)
        assert (await c.get(ORG)).status_code == 200
        clock.advance(15)  # the first has left the window; the second has not
        assert (await c.get(ORG)).status_code == 200
        r = await c.get(ORG)
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "45"
        stats = (await c.get("/sandbox/stats")).json()
        assert stats["rate_limited"] == 1


def test_cli_refuses_an_unknown_window() -> None:
    """`--rate-window rolling` exits 2 before anything is served."""
    result = CliRunner().invoke(
        cli, ["sandbox", "serve", "--port", "0", "--rate-window", "rolling"]
    )
    assert result.exit_code == 2
    assert "serving" not in result.output


def test_cli_rate_window_reaches_the_server() -> None:
    """`sandbox serve --rate-window sliding --rate-limit 2` serves a sliding window."""
    with running_sandbox("--rate-window", "sliding", "--rate-limit", "2") as url:
        token = httpx.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client-id", "sandbox-client-secret"),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        codes = [httpx.get(url + ORG, headers=headers).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert httpx.get(f"{url}/sandbox/stats").json()["rate_limited"] == 1
