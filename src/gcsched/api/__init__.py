"""The library facade: everything the CLI does, as a typed async API.

import gcsched

file = gcsched.load("schedules.yaml")
async with gcsched.connect(sandbox=True) as org:
    planned = await org.plan(file)
    outcome = await org.apply(file, checksum=planned.plan.checksum())
"""

from __future__ import annotations

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
