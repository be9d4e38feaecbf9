"""gcsched.config: the schedule file, from YAML text to domain value objects.

The pydantic boundary of gcsched: `load`/`loads` read a file safely and validate
it completely (every problem at once, each ``FILE:LINE:COL: path: message``),
`dump` writes schedules back, `json_schema` describes the file for editors.

Names are imported on first use (PEP 562): `gcsched validate` never imports
the dumper or the JSON Schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes

if TYPE_CHECKING:
    from gcsched.config.dump import dump
    from gcsched.config.loader import MAX_BYTES, load, loads, schedule_from_mapping
    from gcsched.config.schema import json_schema
    from gcsched.domain.model import ScheduleFile

__all__ = [
    "MAX_BYTES",
    "ScheduleFile",
    "dump",
    "json_schema",
    "load",
    "loads",
    "schedule_from_mapping",
]

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "dump": "gcsched.config.dump",
    "MAX_BYTES": "gcsched.config.loader",
    "load": "gcsched.config.loader",
    "loads": "gcsched.config.loader",
    "schedule_from_mapping": "gcsched.config.loader",
    "json_schema": "gcsched.config.schema",
    "ScheduleFile": "gcsched.domain.model",
}


__getattr__, __dir__ = lazy_attributes("gcsched.config", _HOMES, globals())
