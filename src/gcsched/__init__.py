"""gcsched: schedules-as-code for Genesys Cloud outbound.

The public surface is this module's `__all__`; everything else may change.
"""

from __future__ import annotations

from gcsched._version import __version__
from gcsched.api import (
    ApplyOutcome,
    Connection,
    Validation,
    connect,
    json_schema,
    load,
    validate,
)
from gcsched.domain.model import Policy, Schedule, ScheduleFile
from gcsched.errors import (
    ApiError,
    ConfigError,
    GcSchedError,
    InputError,
    RefusedError,
    VersionConflictError,
)
from gcsched.plan import Plan

__all__ = [
    "ApiError",
    "ApplyOutcome",
    "ConfigError",
    "Connection",
    "GcSchedError",
    "InputError",
    "Plan",
    "Policy",
    "RefusedError",
    "Schedule",
    "ScheduleFile",
    "Validation",
    "VersionConflictError",
    "__version__",
    "connect",
    "json_schema",
    "load",
    "validate",
]
