"""The ``--guess NAME=VALUE`` switches: parsing, and every value over the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from conftest import BASE, FakeClock, token_for
from gcsched.sandbox import (
    GUESS_VALUES,
    Guesses,
    SandboxState,
    asgi_transport,
    create_app,
    entity_id,
)

OUT = "/api/v2/outbound"
SCH = f"{OUT}/schedules"
SURVEY = entity_id("campaign", "Lapsed Survey")
WINBACK = entity_id("campaign", "Win-back")
# The fake clock's "now": 2027-01-15T08:00:00Z.
NOW = 1_800_000_000.0

Served = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def served(state: SandboxState) -> Served:
    """Open a client of the demo org served under the given guesses."""

    @asynccontextmanager
    async def run(*guesses: str) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(state, guesses=list(guesses))
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
            c.headers["Authorization"] = f"Bearer {await token_for(c)}"
            yield c

    return run


def schedule(oid: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {
        "campaign": {"id": oid},
        "intervals": [{"start": start, "end": end}],
    } | extra


# ------------------------------------------------------------------ parsing
def test_defaults_are_the_first_values() -> None:
    """Guesses() and parse([]) give the first value of every switch."""
    assert Guesses() == Guesses.parse([])
    assert Guesses().to_json() == {
        name: values[0] for name, values in GUESS_VALUES.items()
    }


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("schedule_name=dropped", "schedule_name", "dropped"),
        ("listing_page_size=25", "listing_page_size", 25),
        ("listing_page_size=all", "listing_page_size", None),
        ("empty_page=error", "empty_page", "error"),
        ("version_conflict=400", "version_conflict", 400),
        ("token_status=400", "token_status", 400),
        ("interval_time=utc", "interval_time", "utc"),
        ("past_intervals=rejected", "past_intervals", "rejected"),
        ("ratelimit_headers=on", "ratelimit_headers", True),
        (" ratelimit_headers = off ", "ratelimit_headers", False),
    ],
)
def test_parse_each_value(text: str, field: str, value: object) -> None:
    """NAME=VALUE sets one typed field; the others keep their defaults."""
    parsed = Guesses.parse([text])
    assert getattr(parsed, field) == value
    others = {k: v for k, v in parsed.to_json().items() if k != field}
    assert others == {k: v for k, v in Guesses().to_json().items() if k != field}
    assert Guesses.parse([f"{k}={v}" for k, v in parsed.to_json().items()]) == parsed


def test_later_values_win_and_guesses_are_frozen() -> None:
    """A repeated switch takes its last value; the object cannot be changed."""
    parsed = Guesses.parse(["token_status=400", "token_status=401"])
    assert parsed.token_status == 401
    with pytest.raises(AttributeError):
        parsed.token_status = 400  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schedule_name", "expected NAME=VALUE"),
        ("=x", "expected NAME=VALUE"),
        ("names=dropped", "unknown guess 'names'; known guesses: schedule_name"),
        ("schedule_name=lost", "use one of kept, dropped"),
        ("version_conflict=412", "use one of 409, 400"),
        ("listing_page_size=0", "whole number from 1 to 100"),
        ("listing_page_size=101", "whole number from 1 to 100"),
        ("listing_page_size=2.5", "whole number from 1 to 100"),
        ("listing_page_size=²", "whole number from 1 to 100"),
        ("ratelimit_headers=true", "use one of off, on"),
    ],
)
def test_bad_guesses_say_what_is_allowed(text: str, message: str) -> None:
    """Unknown names and values are ValueErrors that list the choices."""
    with pytest.raises(ValueError, match=message):
        Guesses.parse([text])
    with pytest.raises(ValueError, match=message):
        create_app(guesses=[text])


def test_typed_construction_is_checked_too() -> None:
    """A value outside a switch's set is refused even when built directly."""
    with pytest.raises(ValueError, match="use one of kept, dropped"):
        Guesses(schedule_name="lost")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 1 to 100"):
        Guesses(listing_page_size=0)
    assert (
        create_app(guesses=Guesses(token_status=400)).state.guesses.token_status == 400
    )
    assert create_app(guesses="token_status=400").state.guesses.token_status == 400


@pytest.mark.anyio
async def test_stats_show_the_active_guesses(served: Served) -> None:
    """GET /sandbox/stats names every switch and its value."""
    async with served("schedule_name=dropped", "listing_page_size=7") as c:
        guesses = (await c.get("/sandbox/stats")).json()["guesses"]
    assert guesses == {
        **Guesses().to_json(),
        "schedule_name": "dropped",
        "listing_page_size": "7",
    }


# ------------------------------------------------------------------ schedule_name
@pytest.mark.anyio
@pytest.mark.parametrize("value", ["kept", "dropped"])
async def test_schedule_name(served: Served, value: str) -> None:
    """dropped: a PUT's name is not stored, and no answer carries a name."""
    url = f"{SCH}/campaigns/{WINBACK}"
    body = schedule(
        WINBACK, "2027-03-01T09:00:00.000", "2027-03-01T17:00:00.000", name="gcsched: x"
    )
    async with served(f"schedule_name={value}") as c:
        answers = [
            (await c.put(url, json=body)).json(),
            (await c.get(url)).json(),
            *(await c.get(f"{SCH}/campaigns")).json(),
            (await c.get(f"{SCH}/campaigns/{SURVEY}")).json(),
        ]
    names = [a.get("name") for a in answers]
    if value == "kept":
        assert names[:2] == ["gcsched: x", "gcsched: x"]
        assert names[-1] == "Manual survey schedule"
        assert set(names[2:-1]) == {"gcsched: x", "Manual survey schedule"}
    else:
        assert names == [None] * len(answers)


# ------------------------------------------------------------------ listing_page_size
def _many_sms(clock: FakeClock, count: int) -> SandboxState:
    state = SandboxState.from_seed(
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
    state.clock = clock
    return state


@pytest.mark.anyio
@pytest.mark.parametrize("family", ["emailcampaigns", "messagingcampaigns"])
async def test_listing_page_size_all_is_one_page(served: Served, family: str) -> None:
    """all (default): everything on one page, no nextUri."""
    async with served() as c:
        body = (await c.get(f"{SCH}/{family}")).json()
    assert body["pageCount"] <= 1
    assert "nextUri" not in body


@pytest.mark.anyio
async def test_listing_page_size_pages_with_next_uri(clock: FakeClock) -> None:
    """N: schedule lists page at N; following nextUri reads every schedule once."""
    app = create_app(_many_sms(clock, 5), guesses=["listing_page_size=2"])
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c)}"
        first = (await c.get(f"{SCH}/messagingcampaigns")).json()
        assert (first["pageSize"], first["pageNumber"]) == (2, 1)
        assert (first["total"], first["pageCount"]) == (5, 3)
        seen = [s["id"] for s in first["entities"]]
        page = first
        while "nextUri" in page:
            page = (await c.get(page["nextUri"])).json()
            seen += [s["id"] for s in page["entities"]]
        assert page["pageNumber"] == 3
        assert len(seen) == len(set(seen)) == 5
        for family in ("emailcampaigns", "whatsappcampaigns"):
            empty = (await c.get(f"{SCH}/{family}")).json()
            assert (empty["entities"], empty["pageSize"]) == ([], 2)
        # bare-array families never page
        assert isinstance((await c.get(f"{SCH}/campaigns")).json(), list)


# ------------------------------------------------------------------ empty_page
@pytest.mark.anyio
@pytest.mark.parametrize("path", ["sequences", "callabletimesets", "contactlists"])
async def test_empty_page_error(served: Served, path: str) -> None:
    """error: an empty page is 404 unless allowEmptyResult=true; full pages pass."""
    async with served("empty_page=error") as c:
        refused = await c.get(f"{OUT}/{path}?pageNumber=9")
        assert refused.status_code == 404
        assert refused.json()["code"] == "not.found"
        explicit = await c.get(f"{OUT}/{path}?pageNumber=9&allowEmptyResult=false")
        assert explicit.status_code == 404
        allowed = await c.get(f"{OUT}/{path}?pageNumber=9&allowEmptyResult=true")
        assert (allowed.status_code, allowed.json()["entities"]) == (200, [])
        assert (await c.get(f"{OUT}/{path}")).status_code == 200
    async with served("empty_page=empty") as c:
        assert (await c.get(f"{OUT}/{path}?pageNumber=9")).status_code == 200


@pytest.mark.anyio
async def test_empty_page_error_leaves_other_lists_alone(served: Served) -> None:
    """Lists that take no allowEmptyResult answer an empty page as before."""
    async with served("empty_page=error") as c:
        r = await c.get(f"{OUT}/campaigns?pageNumber=9")
    assert (r.status_code, r.json()["entities"]) == (200, [])


# ------------------------------------------------------------------ version_conflict
async def _stale_puts(c: httpx.AsyncClient) -> list[httpx.Response]:
    survey = (await c.get(f"{SCH}/campaigns/{SURVEY}")).json()
    campaign = (await c.get(f"{OUT}/campaigns/{WINBACK}")).json()
    sms_url = (
        f"{OUT}/messagingcampaigns/{entity_id('messagingCampaign', 'Payment SMS')}"
    )
    sms = (await c.get(sms_url)).json()
    return [
        await c.put(f"{SCH}/campaigns/{SURVEY}", json={**survey, "version": 1}),
        await c.put(f"{SCH}/campaigns/{SURVEY}", json={**survey, "version": None}),
        await c.put(f"{OUT}/campaigns/{WINBACK}", json={**campaign, "version": 0}),
        await c.put(sms_url, json={**sms, "version": 0}),
    ]


@pytest.mark.anyio
async def test_version_conflict_409(served: Served) -> None:
    """409 (default): general.conflict on every versioned PUT."""
    async with served("version_conflict=409") as c:
        answers = await _stale_puts(c)
    assert [r.status_code for r in answers] == [409] * 4
    assert {r.json()["code"] for r in answers} == {"general.conflict"}


@pytest.mark.anyio
async def test_version_conflict_400(served: Served, state: SandboxState) -> None:
    """400: the stale version is a 400 whose message is the provider's text."""
    async with served("version_conflict=400") as c:
        answers = await _stale_puts(c)
    assert [r.status_code for r in answers] == [400] * 4
    for r in answers:
        assert "does not match the current version" in r.json()["message"]
    assert state.schedule("campaigns", SURVEY)["version"] == 3  # type: ignore[index]


# ------------------------------------------------------------------ token_status
@pytest.mark.anyio
@pytest.mark.parametrize("status", [401, 400])
async def test_token_status(state: SandboxState, status: int) -> None:
    """The status of every bad-credential answer from /oauth/token."""
    app = create_app(state, guesses=[f"token_status={status}"])
    async with httpx.AsyncClient(transport=asgi_transport(app), base_url=BASE) as c:
        data = {"grant_type": "client_credentials"}
        for auth, text in (
            (("sandbox-client-id", "wrong"), "authentication failed"),
            (("nobody", "x"), "client not found"),
            (None, "client credentials are required"),
        ):
            r = await c.post("/oauth/token", data=data, auth=auth)
            assert r.status_code == status
            assert r.json()["error"] == "invalid_client"
            assert r.json()["error_description"] == text
        ok = await c.post(
            "/oauth/token",
            data=data,
            auth=("sandbox-client-id", "sandbox-client-secret"),
        )
        assert ok.status_code == 200
        grant = await c.post("/oauth/token", data={"grant_type": "password"})
        assert grant.status_code == 400


# ------------------------------------------------------------------ interval_time
@pytest.mark.anyio
async def test_interval_time_wall_takes_both_forms(served: Served) -> None:
    """wall (default): with or without Z, echoed verbatim."""
    url = f"{SCH}/campaigns/{WINBACK}"
    async with served("interval_time=wall") as c:
        for start, end in (
            ("2027-03-01T09:00:00.000", "2027-03-01T17:00:00.000"),
            ("2027-03-01T09:00:00.000Z", "2027-03-01T17:00:00.000Z"),
        ):
            current = (await c.get(url)).json() if start.endswith("Z") else {}
            body = schedule(
                WINBACK,
                start,
                end,
                **({"version": current["version"]} if current else {}),
            )
            r = await c.put(url, json=body)
            assert r.status_code == 200, r.text
            assert r.json()["intervals"] == [{"start": start, "end": end}]


@pytest.mark.anyio
async def test_interval_time_utc_needs_z(served: Served) -> None:
    """utc: an interval time without Z is 400 invalid.date; recurrences unchanged."""
    url = f"{SCH}/campaigns/{WINBACK}"
    async with served("interval_time=utc") as c:
        r = await c.put(
            url,
            json=schedule(
                WINBACK, "2027-03-01T09:00:00.000", "2027-03-01T17:00:00.000Z"
            ),
        )
        assert r.status_code == 400
        assert r.json()["code"] == "invalid.date"
        assert [d["fieldName"] for d in r.json()["details"]] == ["intervals[0].start"]
        ok = schedule(
            WINBACK,
            "2027-03-01T09:00:00.000Z",
            "2027-03-01T17:00:00.000Z",
            recurrences=[
                {
                    "start": "2027-03-02T09:00:00",
                    "end": "2027-03-02T10:00:00",
                    "pattern": {"type": "Daily", "interval": 1},
                    "range": {"type": "NoEnd"},
                }
            ],
        )
        assert (await c.put(url, json=ok)).status_code == 200


# ------------------------------------------------------------------ past_intervals
def _recurrence(start: str, end: str) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "pattern": {"type": "Daily", "interval": 1},
        "range": {"type": "NoEnd"},
    }


@pytest.mark.anyio
async def test_past_intervals_accepted(served: Served) -> None:
    """accepted (default): a start in the past is stored like any other."""
    assert datetime.fromtimestamp(NOW, tz=UTC).year == 2027
    async with served("past_intervals=accepted") as c:
        r = await c.put(
            f"{SCH}/campaigns/{WINBACK}",
            json=schedule(WINBACK, "2020-01-01T09:00:00", "2020-01-01T10:00:00"),
        )
    assert r.status_code == 200


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("guesses", "zone", "start", "end", "past"),
    [
        # now is 2027-01-15T08:00Z; 08:30 in Paris is 07:30Z: past
        ((), "Europe/Paris", "2027-01-15T08:30:00", "2027-01-15T09:00:00", True),
        # 08:30 in Chicago is 14:30Z: future
        ((), "America/Chicago", "2027-01-15T08:30:00", "2027-01-15T09:00:00", False),
        # wall time reads a Z as wall time too: 08:30 Paris again
        ((), "Europe/Paris", "2027-01-15T08:30:00Z", "2027-01-15T09:00:00Z", True),
        # utc reads the Z as UTC: 08:30Z is future
        (
            ("interval_time=utc",),
            "Europe/Paris",
            "2027-01-15T08:30:00.000Z",
            "2027-01-15T09:00:00.000Z",
            False,
        ),
        # no zone: UTC
        ((), None, "2027-01-15T07:59:59", "2027-01-15T09:00:00", True),
    ],
)
async def test_past_intervals_rejected_reads_the_zone(
    served: Served,
    guesses: tuple[str, ...],
    zone: str | None,
    start: str,
    end: str,
    past: bool,
) -> None:
    """rejected: an interval starting before the sandbox clock is 400."""
    body = schedule(WINBACK, start, end, **({"timeZone": zone} if zone else {}))
    async with served("past_intervals=rejected", *guesses) as c:
        r = await c.put(f"{SCH}/campaigns/{WINBACK}", json=body)
    if past:
        assert r.status_code == 400
        assert r.json()["message"] == "start cannot be in the past"
        assert r.json()["details"][0]["fieldName"] == "intervals[0].start"
    else:
        assert r.status_code == 200, r.text


@pytest.mark.anyio
async def test_past_recurrence_start_is_rejected(
    served: Served, clock: FakeClock
) -> None:
    """rejected: a recurrence whose start lies in the past is 400 too."""
    url = f"{SCH}/campaigns/{WINBACK}"
    future = ("2027-02-01T09:00:00", "2027-02-01T10:00:00")
    old = _recurrence("2027-01-14T09:00:00", "2027-01-14T10:00:00")
    body = schedule(WINBACK, *future, timeZone="Europe/London", recurrences=[old])
    async with served("past_intervals=rejected") as c:
        r = await c.put(url, json=body)
        assert r.status_code == 400
        assert r.json()["details"][0]["fieldName"] == "recurrences[0].start"
        clock.now = datetime(2027, 1, 1, tzinfo=UTC).timestamp()
        assert (await c.put(url, json=body)).status_code == 200
