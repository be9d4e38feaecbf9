"""gcsched.sandbox: a faithful local Genesys Cloud API (the subset gcsched uses).

An independent oracle of the real API as ``genesys-api.md`` describes it; it
imports nothing from the rest of gcsched. See docs/sandbox.md.
"""

from __future__ import annotations

from gcsched.sandbox.app import create_app
from gcsched.sandbox.clients import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from gcsched.sandbox.entities import entity_id
from gcsched.sandbox.faults import FaultSpec, parse_fault
from gcsched.sandbox.notifications import NotificationSettings
from gcsched.sandbox.seed import load_seed
from gcsched.sandbox.server import (
    SavingWrites,
    asgi_transport,
    load_or_seed,
    serve,
)
from gcsched.sandbox.state import SandboxState
from gcsched.sandbox.switches import GUESS_VALUES, Guesses

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
