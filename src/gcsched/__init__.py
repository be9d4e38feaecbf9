"""gcsched: schedules-as-code for Genesys Cloud outbound.

The public surface is this module's `__all__`; everything else may change.

Names are imported on first use (PEP 562), so `import gcsched` and the CLI's
offline commands do not pay for the HTTP client, the report renderers or the
sandbox until something asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes
from gcsched._version import __version__

if TYPE_CHECKING:
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

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "ApplyOutcome": "gcsched.api",
    "Connection": "gcsched.api",
    "Validation": "gcsched.api",
    "connect": "gcsched.api",
    "json_schema": "gcsched.api",
    "load": "gcsched.api",
    "validate": "gcsched.api",
    "Policy": "gcsched.domain.model",
    "Schedule": "gcsched.domain.model",
    "ScheduleFile": "gcsched.domain.model",
    "ApiError": "gcsched.errors",
    "ConfigError": "gcsched.errors",
    "GcSchedError": "gcsched.errors",
    "InputError": "gcsched.errors",
    "RefusedError": "gcsched.errors",
    "VersionConflictError": "gcsched.errors",
    "Plan": "gcsched.plan",
}


__getattr__, __dir__ = lazy_attributes("gcsched", _HOMES, globals())
