"""Turn an API error answer into the right `gcsched.errors.ApiError`.

Messages are built from the method, path, status, Genesys error code and the
permission names: never from headers, tokens or request bodies.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from pydantic import ValidationError

from gcsched.client.wire import ErrorBody
from gcsched.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    VersionConflictError,
)

__all__ = [
    "PERMISSIONS_BY_ROUTE",
    "correlation_id",
    "error_for_response",
    "is_version_conflict",
    "parse_error_body",
]

# Permissions per (method, route template), from genesys-api.md §1.1 and §2
# (the first one is the one to add; the others are alternatives).
PERMISSIONS_BY_ROUTE: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/api/v2/outbound/schedules/campaigns"): (
        "outbound:schedule:view",
        "outbound:campaign:viewSchedule",
    ),
    ("GET", "/api/v2/outbound/schedules/campaigns/{id}"): (
        "outbound:schedule:view",
        "outbound:campaign:viewSchedule",
    ),
    ("PUT", "/api/v2/outbound/schedules/campaigns/{id}"): (
        "outbound:schedule:edit",
        "outbound:campaign:editSchedule",
    ),
    ("DELETE", "/api/v2/outbound/schedules/campaigns/{id}"): (
        "outbound:schedule:delete",
        "outbound:campaign:deleteSchedule",
    ),
    ("GET", "/api/v2/outbound/schedules/sequences"): (
        "outbound:schedule:view",
        "outbound:campaignSequenceSchedule:view",
    ),
    ("PUT", "/api/v2/outbound/schedules/sequences/{id}"): (
        "outbound:schedule:edit",
        "outbound:campaignSequenceSchedule:edit",
    ),
    ("DELETE", "/api/v2/outbound/schedules/sequences/{id}"): (
        "outbound:schedule:delete",
        "outbound:campaignSequenceSchedule:delete",
    ),
    ("GET", "/api/v2/outbound/campaigns"): ("outbound:campaign:view",),
    ("GET", "/api/v2/outbound/campaigns/{id}"): ("outbound:campaign:view",),
    ("PATCH", "/api/v2/outbound/campaigns/{id}"): ("outbound:campaign:edit",),
    ("PUT", "/api/v2/outbound/campaigns/{id}"): ("outbound:campaign:edit",),
    ("GET", "/api/v2/outbound/contactlists"): ("outbound:contactList:view",),
    ("GET", "/api/v2/outbound/contactlists/{id}"): ("outbound:contactList:view",),
    ("GET", "/api/v2/outbound/contactlists/{id}/timezonemappingpreview"): (
        "outbound:contactList:view",
    ),
    ("GET", "/api/v2/outbound/settings"): ("outbound:settings:view",),
    ("GET", "/api/v2/outbound/campaignrules"): ("outbound:campaignRule:view",),
    ("GET", "/api/v2/outbound/campaignrules/{id}"): ("outbound:campaignRule:view",),
    ("GET", "/api/v2/outbound/callabletimesets"): ("outbound:callableTimeSet:view",),
    ("GET", "/api/v2/outbound/sequences"): ("outbound:campaignSequence:view",),
    ("GET", "/api/v2/outbound/messagingcampaigns"): (
        "outbound:messagingCampaign:view",
        "outbound:emailCampaign:view",
        "outbound:whatsAppCampaign:view",
    ),
    # genesys-api.md §7: every audit operation
    ("POST", "/api/v2/audits/query"): ("audits:audit:view",),
    ("POST", "/api/v2/audits/query/realtime"): ("audits:audit:view",),
    ("GET", "/api/v2/audits/query/{id}"): ("audits:audit:view",),
    ("GET", "/api/v2/audits/query/{id}/results"): ("audits:audit:view",),
}
for _family, _perm in (
    ("emailcampaigns", "emailCampaign"),
    ("messagingcampaigns", "messagingCampaign"),
    ("whatsappcampaigns", "whatsAppCampaign"),
):
    _base = f"/api/v2/outbound/schedules/{_family}"
    PERMISSIONS_BY_ROUTE[("GET", _base)] = (
        f"outbound:{_perm}Schedule:view",
        f"outbound:{_perm}:viewSchedule",
    )
    for _method, _verb in (("GET", "view"), ("PUT", "edit"), ("DELETE", "delete")):
        PERMISSIONS_BY_ROUTE[(_method, _base + "/{id}")] = (
            f"outbound:{_perm}Schedule:{_verb}",
            f"outbound:{_perm}:{_verb}Schedule",
        )

_PERMISSION = re.compile(r"\b[A-Za-z]+:[A-Za-z]+:[A-Za-z*]+\b")
_VERSION_TEXT = re.compile(r"version", re.IGNORECASE)
_VERSION_MISMATCH = re.compile(
    r"(does not match|doesn't match|unexpected version|version mismatch|stale)",
    re.IGNORECASE,
)


def correlation_id(response: httpx.Response) -> str | None:
    """The ``ININ-Correlation-Id`` header, if any."""
    value: str | None = response.headers.get("ININ-Correlation-Id")
    return value


def parse_error_body(response: httpx.Response) -> ErrorBody:
    """The ``ErrorBody`` of an answer; empty when the body is not one."""
    try:
        data: Any = json.loads(response.content or b"null")
    except ValueError:
        return ErrorBody()
    if not isinstance(data, dict):
        return ErrorBody()
    try:
        return ErrorBody.model_validate(data)
    except ValidationError:
        return ErrorBody()


def is_version_conflict(status: int, body: ErrorBody) -> bool:
    """409, or a 400 whose message says the version does not match."""
    if status == 409:
        return True
    if status != 400:
        return False
    text = f"{body.code or ''} {body.message or ''}"
    return bool(_VERSION_TEXT.search(text) and _VERSION_MISMATCH.search(text))


def _permissions(body: ErrorBody, method: str, route: str) -> tuple[str, ...]:
    found: list[str] = []
    for value in (body.message_params or {}).values():
        found.extend(_PERMISSION.findall(str(value)))
    found.extend(_PERMISSION.findall(body.message or ""))
    unique = tuple(dict.fromkeys(found))
    return unique or PERMISSIONS_BY_ROUTE.get((method, route), ())


def _short(text: str | None, limit: int = 200) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def error_for_response(
    response: httpx.Response, *, method: str, route: str, path: str
) -> ApiError:
    """Build the error for a non-success answer.

    Args:
        response: the answer (status >= 400).
        method: the HTTP method.
        route: the route template (``/api/v2/.../{id}``), for the permission table.
        path: the literal path, shown in the message.

    Returns:
        An `ApiError` subclass that says what to do.
    """
    status = response.status_code
    body = parse_error_body(response)
    code = body.code
    cid = correlation_id(response) or body.context_id
    where = f"{method} {path}"
    said = f" ({status} {code})" if code else f" ({status})"
    detail = _short(body.message)
    kwargs: dict[str, Any] = {
        "status": status,
        "code": code,
        "method": method,
        "path": path,
        "correlation_id": cid,
    }
    if status == 401:
        msg = (
            f"{where} was refused{said} even with a fresh token: check that "
            "GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET belong "
            "to an OAuth client of this org and region"
        )
        return AuthenticationError(msg, **kwargs)
    if status == 403:
        perms = _permissions(body, method, route)
        if perms:
            need = perms[0]
            alts = f" (or one of: {', '.join(perms[1:])})" if len(perms) > 1 else ""
            msg = (
                f"{where} was refused{said}: the OAuth client's role needs {need}"
                f"{alts}; add it in Admin > Roles / Permissions and assign the "
                "role to the OAuth client in the campaign's division"
            )
        else:
            msg = (
                f"{where} was refused{said}: the OAuth client's role lacks a "
                f"permission for this call; {detail or 'check its roles'}"
            )
        return PermissionDeniedError(msg, **kwargs)
    if status == 404:
        return NotFoundError(f"{where}: not found{said}", **kwargs)
    if is_version_conflict(status, body):
        msg = (
            f"{where}: someone else changed it since it was read{said}; "
            "nothing was overwritten, re-plan to see the new state"
        )
        return VersionConflictError(msg, **kwargs)
    if status == 429:
        msg = (
            f"{where}: still rate limited{said} after the retry budget; the run "
            "can be resumed by running the same command again"
        )
        return RateLimitError(msg, **kwargs)
    tail = f": {detail}" if detail else ""
    return ApiError(f"{where} failed{said}{tail}", **kwargs)
