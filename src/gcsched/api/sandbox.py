"""The sandbox entry points for the CLI and the rest of the library.

A thin re-export of `gcsched.sandbox`: callers outside the sandbox import it
only through this module.
"""

from __future__ import annotations

from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    GUESS_VALUES,
    FaultSpec,
    Guesses,
    NotificationSettings,
    SandboxState,
    SavingWrites,
    asgi_transport,
    create_app,
    entity_id,
    load_or_seed,
    load_seed,
    parse_fault,
    serve,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "GUESS_VALUES",
    "FaultSpec",
    "Guesses",
    "NotificationSettings",
    "SandboxState",
    "SavingWrites",
    "asgi_transport",
    "create_app",
    "entity_id",
    "load_or_seed",
    "load_seed",
    "parse_fault",
    "serve",
]
