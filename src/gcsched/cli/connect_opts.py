"""Opening a connection from the global options (secrets come from the environment)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from gcsched.cli.common import Globals

if TYPE_CHECKING:
    from gcsched.api import Connection

__all__ = ["open_connection"]


def open_connection(
    g: Globals, *, file_region: str | None = None
) -> AbstractAsyncContextManager[Connection]:
    """`gcsched.connect(...)` with the global options and the process environment."""
    from gcsched.api import connect

    return connect(
        api_url=g.api_url,
        region=g.region,
        file_region=file_region,
        sandbox=g.sandbox,
        state_dir=g.state_dir,
        insecure_http=g.insecure_http,
        state_url=g.state_url,
        lock_timeout=g.lock_timeout,
    )
