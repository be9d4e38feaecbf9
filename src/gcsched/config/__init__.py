"""gcsched.config: the schedule file, from YAML text to domain value objects.

The pydantic boundary of gcsched: `load`/`loads` read a file safely and validate
it completely (every problem at once, each ``FILE:LINE:COL: path: message``),
`dump` writes schedules back, `json_schema` describes the file for editors.
"""

from __future__ import annotations

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
