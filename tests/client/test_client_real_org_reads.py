"""Read paths under the answers a real org may plausibly give (issue 12 item 1).

Each test runs the client against the in-process sandbox in the `--guess`
variant (or fault) that triggers the answer.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gcsched.client import Credentials, GenesysClient
from gcsched.errors import ApiError, AuthenticationError, NotFoundError
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    entity_id,
)

from .fakes import FakeClock

BASE = "http://sandbox.test"
CREDS = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)


def _many_sms(count: int) -> SandboxState:
    return SandboxState.from_seed(
        {
            "contactLists": [{"name": "L", "size": 1}],
            "messagingCampaigns": [
                {
                    "name": "SMS {n}",
                    "count": count,
                    "channel": "sms",
                    "contactList": "L",
                }
            ],
            "schedules": [
                {
                    "family": "messagingcampaigns",
                    "target": f"SMS {n}",
                    "intervals": [
                        {"start": "2027-03-01T09:00:00", "end": "2027-03-01T10:00:00"}
                    ],
                }
                for n in range(1, count + 1)
            ],
        }
    )


def _client(
    state: SandboxState | None, clock: FakeClock, *guesses: str, **app: Any
) -> tuple[GenesysClient, Any]:
    sandbox = create_app(state, guesses=list(guesses), **app)
    if state is not None:
        state.clock = clock
    creds = app.pop("creds", None) or CREDS
    client = GenesysClient(
        BASE,
        creds,
        transport=httpx.ASGITransport(app=sandbox),
        clock=clock,
        sleep=clock.sleep,
        rate_limit=6000,
    )
    return client, sandbox


@pytest.mark.anyio
@pytest.mark.parametrize("size", [1, 2, 7, 25])
async def test_messaging_schedules_past_one_page_are_all_read(size: int) -> None:
    """listing_page_size=N: every schedule of every page, each once."""
    client, _ = _client(_many_sms(26), FakeClock(), f"listing_page_size={size}")
    async with client:
        schedules = await client.list_schedules("messagingcampaigns")
        empty = await client.list_schedules("emailcampaigns")
    ids = [s["id"] for s in schedules]
    assert len(ids) == len(set(ids)) == 26
    assert empty == []


def _listing_app(pages: list[dict[str, Any]]) -> httpx.MockTransport:
    """Serve `pages` in turn for the messaging schedule list (tokens too)."""
    served = iter(pages)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(
                200,
                json={"access_token": "t", "token_type": "bearer", "expires_in": 600},
            )
        return httpx.Response(200, json=next(served))

    return httpx.MockTransport(handler)


def _schedule(n: int) -> dict[str, Any]:
    return {
        "id": f"m{n}",
        "messagingCampaign": {"id": f"m{n}"},
        "intervals": [],
        "timeZone": "UTC",
    }


@pytest.mark.anyio
async def test_page_count_without_next_uri_is_followed_by_page_number() -> None:
    """A listing with pageCount but no URIs: pages 2..pageCount by pageNumber."""
    seen: list[str] = []
    pages = iter(
        [
            {
                "entities": [_schedule(1)],
                "pageSize": 1,
                "pageNumber": 1,
                "pageCount": 2,
            },
            {
                "entities": [_schedule(2)],
                "pageSize": 1,
                "pageNumber": 2,
                "pageCount": 2,
            },
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(
                200,
                json={"access_token": "t", "token_type": "bearer", "expires_in": 600},
            )
        seen.append(str(request.url.query, "ascii"))
        return httpx.Response(200, json=next(pages))

    clock = FakeClock()
    client = GenesysClient(
        BASE,
        CREDS,
        transport=httpx.MockTransport(handler),
        clock=clock,
        sleep=clock.sleep,
        rate_limit=6000,
    )
    async with client:
        got = await client.list_schedules("messagingcampaigns")
    assert [s["id"] for s in got] == ["m1", "m2"]
    assert seen == ["", "pageSize=1&pageNumber=2"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("pages", "words"),
    [
        # total says 3, the pages stop at 2: never a partial snapshot
        ([{"entities": [_schedule(1), _schedule(2)], "total": 3}], "said 3"),
        # a nextUri to another host would carry the token there
        (
            [{"entities": [_schedule(1)], "nextUri": "https://evil.test/api/v2/x"}],
            "another host",
        ),
        # an empty page before pageCount is reached
        ([{"entities": [], "pageNumber": 1, "pageCount": 3}], "is empty"),
    ],
)
async def test_a_listing_that_cannot_be_read_whole_is_an_error(
    pages: list[dict[str, Any]], words: str
) -> None:
    clock = FakeClock()
    client = GenesysClient(
        BASE,
        CREDS,
        transport=_listing_app(pages),
        clock=clock,
        sleep=clock.sleep,
        rate_limit=6000,
    )
    async with client:
        with pytest.raises(ApiError) as info:
            await client.list_schedules("messagingcampaigns")
    assert words.replace("said", "says") in str(info.value) or words in str(info.value)
    assert "nothing was read" in str(info.value)


def _no_sequences() -> SandboxState:
    state = SandboxState.demo()
    state.stores["sequences"].clear()
    state.stores["callable_time_sets"].clear()
    return state


@pytest.mark.anyio
async def test_empty_lists_read_as_empty_under_empty_page_error() -> None:
    """empty_page=error: the client sends allowEmptyResult=true, so none is []."""
    client, app = _client(_no_sequences(), FakeClock(), "empty_page=error")
    async with client:
        assert await client.list_sequences() == []
        assert await client.list_callable_time_sets() == []
    statuses = {status for by in app.state.stats.requests.values() for status in by}
    assert statuses == {"200"}


@pytest.mark.anyio
async def test_token_429_waits_its_retry_after_then_mints() -> None:
    """A 429 from /oauth/token waits Retry-After (bounded) like the mint limit."""
    clock = FakeClock()
    client, _ = _client(
        # seed 2: the first token request draws a 429, the second does not
        None,
        clock,
        faults=["429:path=/oauth/token,rate=0.5,retry_after=7"],
        fault_seed=2,
    )
    async with client:
        assert (await client.get_organization())["id"]
    assert 7.0 in clock.sleeps


@pytest.mark.anyio
async def test_token_429_with_a_long_retry_after_fails_clearly() -> None:
    clock = FakeClock()
    client, _ = _client(
        None,
        clock,
        faults=["429:path=/oauth/token,rate=1,retry_after=3600"],
        fault_seed=1,
    )
    async with client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    assert "3600 s" in str(info.value)
    assert all(s <= 60.0 for s in clock.sleeps)


@pytest.mark.anyio
@pytest.mark.parametrize("status", ["401", "400"])
@pytest.mark.parametrize(
    ("creds", "description"),
    [
        (Credentials(DEFAULT_CLIENT_ID, "wrong-secret"), "authentication failed"),
        (Credentials("nobody", DEFAULT_CLIENT_SECRET), "client not found"),
    ],
)
async def test_token_errors_read_error_description(
    status: str, creds: Credentials, description: str
) -> None:
    """The real body shape ({error, description, error_description}), either status."""
    clock = FakeClock()
    client = GenesysClient(
        BASE,
        creds,
        transport=httpx.ASGITransport(
            app=create_app(guesses=[f"token_status={status}"])
        ),
        clock=clock,
        sleep=clock.sleep,
        rate_limit=6000,
    )
    async with client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_organization()
    assert info.value.status == int(status)
    assert f"{status} invalid_client: {description}" in str(info.value)
    assert "wrong-secret" not in str(info.value)


@pytest.mark.anyio
async def test_a_listed_campaign_that_answers_404_names_divisions() -> None:
    """Listed, then 404 on read (as outside the role's divisions): divisions named."""
    state = SandboxState.demo()
    client, _ = _client(state, FakeClock())
    async with client:
        listed = {c["name"]: c["id"] for c in await client.list_campaigns()}
        state.stores["campaigns"].pop(listed["Win-back"])
        with pytest.raises(NotFoundError) as info:
            await client.get_campaign(listed["Win-back"])
    assert "division" in str(info.value)
    assert entity_id("campaign", "Win-back") == listed["Win-back"]
