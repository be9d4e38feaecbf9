"""Reads of the platform audit API: who changed what, and when (genesys-api.md §7).

`AuditReads.query_audits` asks the realtime query for windows of at most 14
days (one answer, paged by number) and the async query beyond that: submit,
poll its status with a growing pause until ``Succeeded`` or a deadline, then
page the results by cursor. Every operation needs ``audits:audit:view``; a
client without it gets `PermissionDeniedError` naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from pydantic import BaseModel, Field

from gcsched.client.base import ClientBase, _seg
from gcsched.client.wire import EntityRef, Wire
from gcsched.errors import ApiError

__all__ = [
    "AUDIT_PERMISSION",
    "POLL_DEADLINE",
    "REALTIME_WINDOW",
    "AuditReads",
    "audit_interval",
]

#: The permission every audit operation needs ([NET] ``AuditApi.md``).
AUDIT_PERMISSION: Final = "audits:audit:view"
#: The longest window the realtime query answers (research §2.5).
REALTIME_WINDOW: Final = timedelta(days=14)
#: How long an async query may take before the read gives up, seconds.
POLL_DEADLINE: Final = 120.0
_POLL_FIRST, _POLL_MAX = 0.5, 5.0
_PAGE = 500  # the documented maximum of the results
_REALTIME_PAGE = 100
_MAX_PAGES = 1000
_QUERY = "/api/v2/audits/query"


class AuditEntry(Wire):
    """``AuditLogMessage``: what drift reads of it (everything else kept)."""

    id: str
    event_date: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity: EntityRef | None = None
    user: EntityRef | None = None
    client: EntityRef | None = None
    property_changes: list[dict[str, Any]] | None = None


class _Status(Wire):
    id: str
    state: str


class _RealtimePage(Wire):
    entities: list[dict[str, Any]] = Field(default_factory=list)
    page_count: int | None = None


class _ResultsPage(Wire):
    entities: list[dict[str, Any]] = Field(default_factory=list)
    cursor: str | None = None


def audit_interval(start: datetime, end: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ/YYYY-MM-DDThh:mm:ssZ`` of two instants (UTC)."""

    def stamp(moment: datetime) -> str:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return f"{stamp(start)}/{stamp(end)}"


class AuditReads(ClientBase):
    """The audit queries of `GenesysClient` (a mixin over `ClientBase`)."""

    async def query_audits(
        self,
        start: datetime,
        end: datetime,
        *,
        service: str = "Outbound",
        filters: Iterable[tuple[str, str]] = (),
        deadline: float = POLL_DEADLINE,
    ) -> list[dict[str, Any]]:
        """Every audit entry of ``[start, end)`` matching `filters`, oldest first.

        Args:
            start: the window's start (aware, or naive UTC).
            end: the window's end.
            service: the ``serviceName`` (``Outbound`` for schedules).
            filters: ``(property, value)`` pairs, all of which must match
                (``EntityType``, ``EntityId``, ``UserId``, ``ClientId``...).
            deadline: seconds an async query may take (windows over 14 days).

        Returns:
            ``AuditLogMessage`` JSON objects, users expanded (with names).

        Raises:
            PermissionDeniedError: the client lacks ``audits:audit:view``.
            ApiError: the query failed, was cancelled or outlived `deadline`.
        """
        body: dict[str, Any] = {
            "interval": audit_interval(start, end),
            "serviceName": service,
            "filters": [{"property": p, "value": v} for p, v in filters],
            "sort": [{"name": "Timestamp", "sortOrder": "ascending"}],
        }
        if end - start <= REALTIME_WINDOW:
            return await self._realtime(body)
        return await self._async_query(body, deadline)

    def _entries(self, raw: Iterable[Any], what: str) -> list[dict[str, Any]]:
        return [self._check(entry, AuditEntry, what) for entry in raw]

    def _page(self, data: Any, model: type[BaseModel], what: str) -> Any:
        if not isinstance(data, dict):
            msg = f"Unexpected answer for {what}: not a JSON object"
            raise ApiError(msg)
        return model.model_validate(self._check(data, model, what))

    async def _realtime(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        route = f"{_QUERY}/realtime"
        out: list[dict[str, Any]] = []
        for number in range(1, _MAX_PAGES + 1):
            data = await self._call(
                "POST",
                route,
                route,
                params={"expand": "user"},
                json={**body, "pageNumber": number, "pageSize": _REALTIME_PAGE},
            )
            page = self._page(data, _RealtimePage, f"POST {route}")
            out.extend(self._entries(page.entities, f"POST {route} entity"))
            if not page.entities or (page.page_count or 0) <= number:
                return out
        msg = f"POST {route}: more than {_MAX_PAGES} pages; nothing was read from it"
        raise ApiError(msg, method="POST", path=route)

    async def _async_query(
        self, body: dict[str, Any], deadline: float
    ) -> list[dict[str, Any]]:
        data = await self._call("POST", _QUERY, _QUERY, json=body)
        status = self._page(data, _Status, f"POST {_QUERY}")
        path = f"{_QUERY}/{_seg(status.id)}"
        started, pause = self._clock(), _POLL_FIRST
        while status.state != "Succeeded":
            if status.state in ("Failed", "Cancelled"):
                msg = f"the audit query {status.id} ended {status.state}"
                raise ApiError(msg, method="GET", path=path)
            if self._clock() - started + pause > deadline:
                msg = (
                    f"the audit query {status.id} was still {status.state} after "
                    f"{deadline:g} s; try a shorter --since"
                )
                raise ApiError(msg, method="GET", path=path)
            await self._sleep(pause)
            pause = min(pause * 2, _POLL_MAX)
            data = await self._call("GET", _QUERY + "/{id}", path)
            status = self._page(data, _Status, f"GET {path}")
        return await self._results(status.id)

    async def _results(self, transaction: str) -> list[dict[str, Any]]:
        route = _QUERY + "/{id}/results"
        path = f"{_QUERY}/{_seg(transaction)}/results"
        out: list[dict[str, Any]] = []
        params: dict[str, str | int] = {"pageSize": _PAGE, "expand": "user"}
        for _ in range(_MAX_PAGES):
            data = await self._call("GET", route, path, params=params)
            page = self._page(data, _ResultsPage, f"GET {path}")
            out.extend(self._entries(page.entities, f"GET {path} entity"))
            if not page.cursor or not page.entities:
                return out
            params = {**params, "cursor": page.cursor}
        msg = f"GET {path}: more than {_MAX_PAGES} pages; nothing was read from it"
        raise ApiError(msg, method="GET", path=path)
