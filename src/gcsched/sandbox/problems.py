"""Errors the sandbox answers with: ``ErrorBody`` (API) and OAuth-style (token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ApiProblem", "Detail", "OAuthProblem", "error_body"]


@dataclass(frozen=True, slots=True)
class Detail:
    """One ``Detail`` of an ``ErrorBody``: which field, what is wrong."""

    error_code: str
    field_name: str

    def to_json(self) -> dict[str, str]:
        """Return the Genesys JSON shape."""
        return {"errorCode": self.error_code, "fieldName": self.field_name}


class ApiProblem(Exception):  # noqa: N818 - it is an answer, not a failure
    """An ``ErrorBody`` answer raised by a handler; the app renders it.

    Args:
        status: HTTP status.
        code: dotted Genesys error code.
        message: human-readable text.
        details: fields at fault.
        headers: extra response headers.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: tuple[Detail, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


class OAuthProblem(Exception):  # noqa: N818 - it is an answer, not a failure
    """An OAuth-style token endpoint error.

    Rendered as ``{"error", "description", "error_description"}`` (the live
    body carries the description twice).
    """

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def error_body(
    status: int,
    code: str,
    message: str,
    context_id: str,
    details: tuple[Detail, ...] = (),
) -> dict[str, Any]:
    """Build an ``ErrorBody`` JSON object.

    Args:
        status: HTTP status.
        code: dotted error code.
        message: human-readable text.
        context_id: the request's ``ININ-Correlation-Id``.
        details: fields at fault.

    Returns:
        The JSON-ready dict.
    """
    return {
        "message": message,
        "code": code,
        "status": status,
        "contextId": context_id,
        "details": [d.to_json() for d in details],
        "errors": [],
    }
