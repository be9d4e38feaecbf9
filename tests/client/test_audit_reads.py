"""`GenesysClient.query_audits`: realtime for 14 days, the async query beyond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gcsched.client import Credentials, GenesysClient
from gcsched.client.audits import audit_interval
from gcsched.errors import ApiError, PermissionDeniedError
from gcsched.sandbox import SandboxState, create_app, entity_id
from gcsched.sandbox.audit_trail import ACT_AS_USER_HEADER

from .fakes import FakeApi, FakeClock, make_client

pytestmark = pytest.mark.anyio
BASE = "http://sandbox.test"
NOW = 1_800_000_000.0
WHEN = datetime.fromtimestamp(NOW, tz=UTC)
CREDS = Credentials("sandbox-client-id", "sandbox-client-secret")


def _org(**seed: Any) -> tuple[SandboxState, httpx.ASGITransport]:
    state = SandboxState.from_seed(seed) if seed else SandboxState.demo()
    state.clock = lambda: NOW
    return state, httpx.ASGITransport(app=create_app(state, rate_limit=0))


def _client(
    transport: httpx.AsyncBaseTransport, clock: FakeClock, creds: Credentials = CREDS
) -> GenesysClient:
    return GenesysClient(
        BASE, creds, transport=transport, clock=clock, sleep=clock.sleep, rate_limit=0
    )


async def _edits(transport: httpx.ASGITransport, count: int) -> str:
    """`count` schedule PUTs on Win-back, the odd ones as Jane Admin."""
    oid = entity_id("campaign", "Win-back")
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as raw:
        token = (
            await raw.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=("sandbox-client-id", "sandbox-client-secret"),
            )
        ).json()["access_token"]
        raw.headers["Authorization"] = f"Bearer {token}"
        for n in range(count):
            body: dict[str, Any] = {
                "campaign": {"id": oid},
                "intervals": [
                    {
                        "start": "2027-02-01T09:00:00",
                        "end": f"2027-02-0{n % 8 + 2}T10:00:00",
                    }
                ],
            }
            if n:
                body["version"] = n
            headers = {ACT_AS_USER_HEADER: "Jane Admin"} if n % 2 else {}
            r = await raw.put(
                f"/api/v2/outbound/schedules/campaigns/{oid}",
                json=body,
                headers=headers,
            )
            assert r.status_code == 200, r.text
    return oid


async def test_realtime_pages_by_number_and_names_users() -> None:
    _, transport = _org()
    oid = await _edits(transport, 130)  # two realtime pages of 100
    clock = FakeClock()
    async with _client(transport, clock) as api:
        found = await api.query_audits(
            WHEN - timedelta(days=7),
            WHEN + timedelta(minutes=1),
            filters=[("EntityType", "CampaignSchedule"), ("EntityId", oid)],
        )
    assert len(found) == 130
    assert found[1]["user"]["name"] == "Jane Admin"
    assert found[0]["client"]["id"] == "sandbox-client-id"
    assert clock.sleeps == []


async def test_long_windows_use_the_async_query_polled_with_backoff() -> None:
    _, transport = _org()
    oid = await _edits(transport, 3)
    clock = FakeClock()
    async with _client(transport, clock) as api:
        found = await api.query_audits(
            WHEN - timedelta(days=30),
            WHEN + timedelta(minutes=1),
            filters=[("EntityId", oid)],
        )
    assert [e["action"] for e in found] == ["Create", "Update", "Update"]
    assert found[1]["user"]["name"] == "Jane Admin"
    assert clock.sleeps == [0.5, 1.0]  # Queued, Running, then Succeeded


async def test_an_async_query_past_its_deadline_is_an_error() -> None:
    _, transport = _org()
    async with _client(transport, FakeClock()) as api:
        with pytest.raises(ApiError, match="still Running after 1 s"):
            await api.query_audits(WHEN - timedelta(days=30), WHEN, deadline=1.0)


async def test_without_the_permission_the_error_names_it() -> None:
    _, transport = _org(
        clients=[{"id": "ro", "secret": "ro-secret", "permissions": ["a:b:c"]}]
    )
    creds = Credentials("ro", "ro-secret")
    async with _client(transport, FakeClock(), creds) as api:
        with pytest.raises(PermissionDeniedError, match="audits:audit:view"):
            await api.query_audits(WHEN - timedelta(days=1), WHEN)
        with pytest.raises(PermissionDeniedError, match="audits:audit:view"):
            await api.query_audits(WHEN - timedelta(days=20), WHEN)


def _status(state: str) -> httpx.Response:
    return httpx.Response(200, json={"id": "tx-1", "state": state})


@pytest.mark.parametrize("ending", ["Failed", "Cancelled"])
async def test_a_failed_async_query_is_an_error(ending: str) -> None:
    api = FakeApi(
        routes={
            ("POST", "/api/v2/audits/query"): [_status("Queued")],
            ("GET", "/api/v2/audits/query/tx-1"): [_status(ending)],
        }
    )
    async with make_client(api) as client:
        with pytest.raises(ApiError, match=f"ended {ending}"):
            await client.query_audits(WHEN - timedelta(days=20), WHEN)


async def test_results_follow_the_cursor_and_odd_answers_are_errors() -> None:
    entry = {"id": "a-1", "eventDate": "2027-01-15T08:00:00.000Z"}
    pages = [
        httpx.Response(200, json={"id": "tx-1", "entities": [entry], "cursor": "c2"}),
        httpx.Response(200, json={"id": "tx-1", "entities": [{**entry, "id": "a-2"}]}),
    ]
    api = FakeApi(
        routes={
            ("POST", "/api/v2/audits/query"): [_status("Succeeded")],
            ("GET", "/api/v2/audits/query/tx-1/results"): lambda r: pages.pop(0),
        }
    )
    async with make_client(api) as client:
        found = await client.query_audits(WHEN - timedelta(days=20), WHEN)
    assert [e["id"] for e in found] == ["a-1", "a-2"]
    assert api.api_requests()[-1].url.params["cursor"] == "c2"
    odd = FakeApi(
        routes={
            ("POST", "/api/v2/audits/query/realtime"): [httpx.Response(200, json=[])]
        }
    )
    async with make_client(odd) as client:
        with pytest.raises(ApiError, match="not a JSON object"):
            await client.query_audits(WHEN - timedelta(days=1), WHEN)
    bad = FakeApi(
        routes={
            ("POST", "/api/v2/audits/query/realtime"): [
                httpx.Response(200, json={"entities": [{"eventDate": "x"}]})
            ]
        }
    )
    async with make_client(bad) as client:
        with pytest.raises(ApiError, match="Unexpected answer"):
            await client.query_audits(WHEN - timedelta(days=1), WHEN)


def test_interval_text_is_utc_with_z() -> None:
    naive = datetime(2027, 1, 1, 12, 0)
    paris = datetime(2027, 1, 2, 12, 0, tzinfo=UTC) + timedelta(hours=0)
    assert audit_interval(naive, paris) == "2027-01-01T12:00:00Z/2027-01-02T12:00:00Z"


async def test_endless_pages_stop_with_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("gcsched.client.audits._MAX_PAGES", 2)
    entry = {"id": "a-1"}
    api = FakeApi(
        routes={
            ("POST", "/api/v2/audits/query/realtime"): [
                httpx.Response(200, json={"entities": [entry], "pageCount": 9})
            ],
            ("POST", "/api/v2/audits/query"): [_status("Succeeded")],
            ("GET", "/api/v2/audits/query/tx-1/results"): [
                httpx.Response(200, json={"entities": [entry], "cursor": "again"})
            ],
        }
    )
    async with make_client(api) as client:
        with pytest.raises(ApiError, match="more than 2 pages"):
            await client.query_audits(WHEN - timedelta(days=1), WHEN)
        with pytest.raises(ApiError, match="more than 2 pages"):
            await client.query_audits(WHEN - timedelta(days=20), WHEN)
