"""API error answers become the right gcsched errors, with plain words."""

from __future__ import annotations

import httpx
import pytest

from gcsched.errors import (
    ApiError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)

from .fakes import FakeApi, error, make_client

SCHED = "/api/v2/outbound/schedules/campaigns/c1"
BODY = {"campaign": {"id": "c1"}, "intervals": [], "version": 3}


@pytest.mark.anyio
async def test_403_names_the_permission_from_the_body() -> None:
    """A 403 names the permission Genesys listed and where to add it."""
    api = FakeApi()
    api.routes[("PUT", SCHED)] = [
        error(
            403,
            "missing.any.permissions",
            "Unable to perform the requested action. You must have at least one of "
            "the following permissions assigned: outbound:schedule:edit, "
            "outbound:campaign:editSchedule",
        )
    ]
    async with make_client(api) as client:
        with pytest.raises(PermissionDeniedError) as info:
            await client.put_schedule("campaigns", "c1", BODY)
    exc = info.value
    text = str(exc)
    assert "the OAuth client's role needs outbound:schedule:edit" in text
    assert "Admin > Roles" in text
    assert exc.status == 403
    assert exc.code == "missing.any.permissions"
    assert exc.method == "PUT"
    assert exc.path == SCHED
    assert exc.correlation_id == "corr-1"
    assert "Bearer" not in text
    assert "tok-" not in text


@pytest.mark.anyio
async def test_403_without_names_uses_the_route_table() -> None:
    """A bare 403 still names the permission the route needs."""
    api = FakeApi()
    api.routes[("DELETE", SCHED)] = [error(403, "not.authorized", "nope")]
    async with make_client(api) as client:
        with pytest.raises(PermissionDeniedError, match="outbound:schedule:delete"):
            await client.delete_schedule("campaigns", "c1")


@pytest.mark.parametrize(
    "reply",
    [
        error(409, "general.conflict", "Version does not match current version."),
        error(
            400,
            "bad.request",
            "The version supplied does not match the current version of the schedule",
        ),
    ],
)
@pytest.mark.anyio
async def test_version_conflicts(reply: httpx.Response) -> None:
    """409 and 400 'does not match the current version' are version conflicts."""
    api = FakeApi()
    api.routes[("PUT", SCHED)] = [reply]
    async with make_client(api) as client:
        with pytest.raises(VersionConflictError) as info:
            await client.put_schedule("campaigns", "c1", BODY)
    assert info.value.status == reply.status_code
    assert len(api.api_requests()) == 1  # never re-sent


@pytest.mark.anyio
async def test_other_400_is_a_plain_api_error() -> None:
    """A 400 about something else keeps the server's words."""
    api = FakeApi()
    api.routes[("PUT", SCHED)] = [error(400, "invalid.date", "Dates must be ISO-8601")]
    async with make_client(api) as client:
        with pytest.raises(ApiError) as info:
            await client.put_schedule("campaigns", "c1", BODY)
    assert type(info.value) is ApiError
    assert "ISO-8601" in str(info.value)


@pytest.mark.anyio
async def test_missing_schedule_is_none_and_delete_is_idempotent() -> None:
    """GET of a schedule that does not exist is None; DELETE of one is fine."""
    api = FakeApi()
    async with make_client(api) as client:
        assert await client.get_schedule("sequences", "s1") is None
        assert await client.delete_schedule("campaigns", "c1") is None
        with pytest.raises(NotFoundError):
            await client.get_campaign("nope")


@pytest.mark.anyio
async def test_invalid_outbound_body_is_not_sent() -> None:
    """A schedule body without intervals or a bad enum never reaches the API."""
    api = FakeApi()
    bad_bodies = [
        {"campaign": {"id": "c1"}},
        {"intervals": []},
        {
            "campaign": {"id": "c1"},
            "intervals": [],
            "recurrences": [
                {
                    "start": "2026-01-01T09:00:00",
                    "end": "2026-01-01T17:00:00",
                    "pattern": {"type": "Hourly", "interval": 1},
                    "range": {"type": "NoEnd"},
                }
            ],
        },
    ]
    async with make_client(api) as client:
        for body in bad_bodies:
            with pytest.raises(InputError, match="Not sent"):
                await client.put_schedule("campaigns", "c1", body)
        with pytest.raises(InputError, match="priority"):
            await client.patch_campaign("c1", {"priority": 3})
        with pytest.raises(InputError, match="messagesPerMinute"):
            await client.put_messaging_campaign("m1", {"name": "x", "version": 1})
        with pytest.raises(InputError, match="family"):
            await client.list_schedules("faxcampaigns")
    assert api.api_requests() == []


@pytest.mark.anyio
async def test_unexpected_answer_shape_is_an_api_error() -> None:
    """An answer that is not what the API documents is reported, not a traceback."""
    api = FakeApi()
    api.routes[("GET", "/api/v2/outbound/schedules/campaigns")] = [
        httpx.Response(200, json=[{"intervals": "not a list"}])
    ]
    async with make_client(api) as client:
        with pytest.raises(ApiError, match="Unexpected answer"):
            await client.list_schedules("campaigns")
