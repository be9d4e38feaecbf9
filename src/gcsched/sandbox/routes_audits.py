"""The platform audit API: async queries, their results by cursor, realtime.

``POST /api/v2/audits/query`` answers an ``AuditQueryExecutionStatusResponse``
in state ``Queued``; ``GET .../{transactionId}`` moves it on (``Running``, then
``Succeeded``); ``GET .../{transactionId}/results`` pages its entries by cursor.
``POST /api/v2/audits/query/realtime`` answers at once, by page number, for
intervals of at most 14 days. Shapes: [SDK] ``apis/audit_api.py``.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.audit_trail import FILTER_PROPERTIES, SERVICE_MAPPING, shown
from gcsched.sandbox.guesses import (
    AUDIT_DEFAULT_DESCENDING,
    AUDIT_MAX_PAGE_SIZE,
    AUDIT_NOT_READY_CODE,
    AUDIT_PAGE_SIZE,
    AUDIT_STATES,
    AUDIT_SUBMIT_STATUS,
    REALTIME_MAX_DAYS,
)
from gcsched.sandbox.problems import ApiProblem
from gcsched.sandbox.routes_outbound import read_json, reject
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import utc_stamp

__all__ = ["AuditRoutes"]

_REQUEST_KEYS = frozenset({"interval", "serviceName", "filters", "sort"})
_REALTIME_KEYS = _REQUEST_KEYS | {"pageNumber", "pageSize"}


@dataclass(slots=True)
class _Query:
    """One submitted async query and the entries it found."""

    status: dict[str, Any]
    entries: list[dict[str, Any]]
    reads: int = 0
    owner: str = ""


@dataclass(frozen=True, slots=True)
class _Request:
    interval: str
    start: datetime
    end: datetime
    service: str | None
    filters: tuple[tuple[str, str], ...]
    sort: list[dict[str, Any]]
    descending: bool


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse(raw: Any, allowed: frozenset[str]) -> _Request:
    """Validate an ``AuditQueryRequest`` (or its realtime twin).

    Raises:
        ApiProblem: 400 naming the field at fault.
    """
    if not isinstance(raw, dict):
        raise ApiProblem(400, "bad.request", "The body must be an AuditQueryRequest.")
    for key in raw:
        if key not in allowed:
            reject(
                "invalid.property",
                f"Value [{key}] is not a valid property for object [AuditQueryRequest]",
                key,
            )
    interval = raw.get("interval")
    if not isinstance(interval, str) or interval.count("/") != 1:
        reject(
            "invalid.value",
            "interval is required, as YYYY-MM-DDThh:mm:ssZ/YYYY-MM-DDThh:mm:ssZ",
            "interval",
        )
    first, _, last = interval.partition("/")
    try:
        start, end = _instant(first), _instant(last)
    except ValueError:
        reject("invalid.date", f"interval {interval!r} is not valid", "interval")
    if end <= start:
        reject("invalid.value", "interval must end after it starts", "interval")
    service = raw.get("serviceName")
    if service is not None and not isinstance(service, str):
        reject("invalid.value", "serviceName must be a string", "serviceName")
    filters: list[tuple[str, str]] = []
    for item in raw.get("filters") or []:
        prop = item.get("property") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if prop not in FILTER_PROPERTIES or not isinstance(value, str):
            reject(
                "invalid.value",
                f"filters: property must be one of {', '.join(FILTER_PROPERTIES)} "
                "and value a string",
                "filters",
            )
        filters.append((str(prop), value))
    sort = raw.get("sort") or []
    descending = AUDIT_DEFAULT_DESCENDING
    for item in sort:
        order = item.get("sortOrder", "ascending") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or item.get("name") != "Timestamp"
            or (order not in ("ascending", "descending"))
        ):
            reject(
                "invalid.value",
                "sort: name must be Timestamp and sortOrder ascending or descending",
                "sort",
            )
        descending = order == "descending"
    return _Request(
        interval, start, end, service, tuple(filters), list(sort), descending
    )


def _page_size(value: Any, where: str) -> int:
    if value is None:
        return AUDIT_PAGE_SIZE
    try:
        size = int(value)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= AUDIT_MAX_PAGE_SIZE:
        reject(
            "invalid.value",
            f"{where} must be a whole number from 1 to {AUDIT_MAX_PAGE_SIZE}",
            where,
        )
    return size


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        label, _, number = (
            base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        )
        offset = int(number)
    except ValueError:
        label, offset = "", -1
    if label != "offset" or offset < 0:
        reject("invalid.value", f"cursor {cursor!r} is not valid", "cursor")
    return offset


class AuditRoutes:
    """Handlers of ``/api/v2/audits/query...``."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.queries: dict[str, _Query] = {}

    def _select(self, query: _Request) -> list[dict[str, Any]]:
        return self.rt.state.audit_trail.select(
            query.start,
            query.end,
            service=query.service,
            filters=query.filters,
            descending=query.descending,
        )

    async def service_mapping(self, request: Request) -> Response:
        """``GET /api/v2/audits/query/servicemapping``: what can be queried."""
        del request
        return json_response(SERVICE_MAPPING)

    async def submit(self, request: Request) -> Response:
        """``POST /api/v2/audits/query``: queue a query (state ``Queued``)."""
        query = _parse(await read_json(request), _REQUEST_KEYS)
        transaction = str(uuid.uuid4())
        status: dict[str, Any] = {
            "id": transaction,
            "state": AUDIT_STATES[0],
            "startDate": utc_stamp(self.rt.state.clock()),
            "interval": query.interval,
            "filters": [{"property": p, "value": v} for p, v in query.filters],
            "sort": query.sort,
        }
        if query.service is not None:
            status["serviceName"] = query.service
        owner = Runtime.client(request).client_id
        self.queries[transaction] = _Query(status, self._select(query), owner=owner)
        return json_response(status, AUDIT_SUBMIT_STATUS)

    def _query(self, request: Request) -> _Query:
        found = self.queries.get(request.path_params["transactionId"])
        if found is None or found.owner != Runtime.client(request).client_id:
            raise ApiProblem(404, "not.found", "The requested resource was not found.")
        return found

    async def status(self, request: Request) -> Response:
        """``GET /api/v2/audits/query/{transactionId}``: one step further each read."""
        query = self._query(request)
        query.reads += 1
        query.status["state"] = AUDIT_STATES[min(query.reads, len(AUDIT_STATES) - 1)]
        return json_response(query.status)

    async def results(self, request: Request) -> Response:
        """``GET .../{transactionId}/results``: a page of entries by ``cursor``."""
        query = self._query(request)
        if query.status["state"] != AUDIT_STATES[-1]:
            raise ApiProblem(
                400,
                AUDIT_NOT_READY_CODE,
                f"The audit query is {query.status['state']}; read its results "
                "once it has Succeeded.",
            )
        params = request.query_params
        size = _page_size(params.get("pageSize"), "pageSize")
        cursor = params.get("cursor")
        offset = _offset(cursor) if cursor else 0
        expand = "user" in ",".join(params.getlist("expand")).split(",")
        page = query.entries[offset : offset + size]
        body: dict[str, Any] = {
            "id": query.status["id"],
            "pageSize": size,
            "entities": [shown(e, expand_user=expand) for e in page],
        }
        if offset + size < len(query.entries):
            body["cursor"] = _cursor(offset + size)
        return json_response(body)

    async def realtime(self, request: Request) -> Response:
        """``POST /api/v2/audits/query/realtime``: at most 14 days, by page."""
        raw = await read_json(request)
        query = _parse(raw, _REALTIME_KEYS)
        if query.end - query.start > timedelta(days=REALTIME_MAX_DAYS):
            reject(
                "invalid.value",
                f"The realtime query covers at most {REALTIME_MAX_DAYS} days; use "
                "/api/v2/audits/query for longer intervals",
                "interval",
            )
        size = _page_size(raw.get("pageSize"), "pageSize")
        number = raw.get("pageNumber", 1)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            reject("invalid.value", "pageNumber must be 1 or more", "pageNumber")
        expand = "user" in ",".join(request.query_params.getlist("expand")).split(",")
        found = self._select(query)
        page = found[(number - 1) * size : number * size]
        return json_response(
            {
                "entities": [shown(e, expand_user=expand) for e in page],
                "pageSize": size,
                "pageNumber": number,
                "total": len(found),
                "pageCount": -(-len(found) // size),
            }
        )
