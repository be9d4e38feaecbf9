"""The sandbox at run time: state plus limiter, faults, stats and settings."""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.audit_trail import ACT_AS_USER_HEADER, StoreChange
from gcsched.sandbox.clients import ClientRecord
from gcsched.sandbox.faults import FaultEngine
from gcsched.sandbox.notifications import NotificationHub
from gcsched.sandbox.ratelimit import RateLimiter
from gcsched.sandbox.state import SandboxState
from gcsched.sandbox.stats import Stats
from gcsched.sandbox.switches import Guesses

__all__ = ["CID_KEY", "CLIENT_KEY", "Runtime", "json_response", "new_correlation_id"]

CID_KEY = "gcsched.sandbox.cid"
CLIENT_KEY = "gcsched.sandbox.client"


@dataclass(slots=True)
class Runtime:
    """Everything the handlers and the gateway share."""

    state: SandboxState
    stats: Stats
    limiter: RateLimiter
    faults: FaultEngine
    token_ttl: int
    mint_limit: int
    guesses: Guesses
    hub: NotificationHub

    @staticmethod
    def client(request: Request) -> ClientRecord:
        """Return the authenticated client of `request` (set by the gateway)."""
        client: ClientRecord = request.scope[CLIENT_KEY]
        return client

    def changed(
        self,
        request: Request,
        entity_type: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        name: str | None = None,
    ) -> None:
        """Report a stored object's change to the state's hook (call under the lock).

        The author is the request's OAuth client, or the user named by the
        sandbox-only ``X-Sandbox-Act-As-User`` header (an edit "in the UI").
        """
        shown = after if after is not None else before or {}
        user = request.headers.get(ACT_AS_USER_HEADER, "").strip() or None
        self.state.changed(
            StoreChange(
                entity_type,
                str(shown.get("id", "")),
                name or shown.get("name"),
                copy.deepcopy(before),
                copy.deepcopy(after),
                client_id=self.client(request).client_id,
                user=user,
                remote_ip=request.client.host if request.client else None,
            )
        )

    @staticmethod
    def correlation_id(request: Request) -> str:
        """Return the request's ``ININ-Correlation-Id``."""
        cid: str = request.scope.get(CID_KEY, "")
        return cid


def new_correlation_id() -> str:
    """Return a fresh correlation id (a UUID, as the platform uses)."""
    return str(uuid.uuid4())


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Return a compact JSON response."""
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )
