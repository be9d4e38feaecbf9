"""The library facade: everything the CLI does, as a typed async API.

import gcsched

file = gcsched.load("schedules.yaml")
async with gcsched.connect(sandbox=True) as org:
    planned = await org.plan(file)
    outcome = await org.apply(file, checksum=planned.plan.checksum())

Names are imported on first use (PEP 562): offline commands such as
`gcsched validate` never import the HTTP client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes

if TYPE_CHECKING:
    from gcsched.api.connection import ApplyOutcome, Connection, connect, rejected
    from gcsched.api.state import DEFAULT_STATE_DIR, StatePaths
    from gcsched.api.validation import Validation, render_report, report, validate
    from gcsched.config import json_schema, load

__all__ = [
    "DEFAULT_STATE_DIR",
    "ApplyOutcome",
    "Connection",
    "StatePaths",
    "Validation",
    "connect",
    "json_schema",
    "load",
    "rejected",
    "render_report",
    "report",
    "validate",
]

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "ApplyOutcome": "gcsched.api.connection",
    "Connection": "gcsched.api.connection",
    "connect": "gcsched.api.connection",
    "rejected": "gcsched.api.connection",
    "DEFAULT_STATE_DIR": "gcsched.api.state",
    "StatePaths": "gcsched.api.state",
    "Validation": "gcsched.api.validation",
    "render_report": "gcsched.api.validation",
    "report": "gcsched.api.validation",
    "validate": "gcsched.api.validation",
    "json_schema": "gcsched.config",
    "load": "gcsched.config",
}


__getattr__, __dir__ = lazy_attributes("gcsched.api", _HOMES, globals())
