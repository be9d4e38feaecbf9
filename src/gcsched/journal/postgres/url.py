"""State URLs: which ones are PostgreSQL, and how to show one without its password."""

from __future__ import annotations

import urllib.parse
from typing import Final

from gcsched.errors import InputError
from gcsched.telemetry.redact import MASK, register_secret

__all__ = ["SCHEMES", "display_url", "is_postgres_url", "register_url_secret"]

#: The schemes of a PostgreSQL connection URL (libpq's).
SCHEMES: Final = ("postgresql", "postgres")


def is_postgres_url(url: str) -> bool:
    """Whether `url` names a PostgreSQL database (``postgresql://...``)."""
    return urllib.parse.urlsplit(url).scheme.lower() in SCHEMES


def _parts(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        shown = parts.scheme or "none"
        msg = (
            f"--state-url / GCSCHED_STATE_URL must be a postgresql:// URL "
            f"(scheme {shown!r}); leave it unset to keep the state in --state-dir"
        )
        raise InputError(msg)
    return parts


def register_url_secret(url: str) -> None:
    """Register the URL's password (and a ``password=`` query value) with the
    redactor, so no log line or error can carry it."""
    parts = _parts(url)
    if parts.password:
        register_secret(urllib.parse.unquote(parts.password))
        register_secret(parts.password)
    for name, value in urllib.parse.parse_qsl(parts.query):
        if name.lower() == "password":
            register_secret(value)


def display_url(url: str) -> str:
    """`url` with its password (in the authority or the query) masked.

    Raises:
        InputError: not a PostgreSQL URL.
    """
    parts = _parts(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        name = user.split(":", 1)[0]
        netloc = f"{name}:{MASK}@{host}"
    query = urllib.parse.urlencode(
        [
            (name, MASK if name.lower() == "password" else value)
            for name, value in urllib.parse.parse_qsl(parts.query)
        ],
        safe="[]/",
    )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))
