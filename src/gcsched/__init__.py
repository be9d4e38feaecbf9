"""gcsched: schedules-as-code for Genesys Cloud outbound.

The public surface is this module's `__all__`; everything else may change.

Names are imported on first use (PEP 562), so `import gcsched` and the CLI's
offline commands do not pay for the HTTP client, the report renderers or the
sandbox until something asks for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    """Import a public name from its home on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        msg = f"module 'gcsched' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
