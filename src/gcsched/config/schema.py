"""The JSON Schema of the schedule file, for `gcsched schema`, editors and CI.

Generated from the same models the loader validates with, so it cannot drift; the
few file-level facts the models do not carry (top-level `x-` keys are ignored, an
entry names exactly one target) are added here. The committed copy is
`schema/gcsched.schema.json`. A file the loader accepts always passes it, with
format checking on and YAML dates read as text, the way editors read them.
"""

from __future__ import annotations

from typing import Any

from gcsched.config.models import FileModel
from gcsched.config.rules import TARGET_KEYS

__all__ = ["SCHEMA_ID", "json_schema"]

SCHEMA_ID = "https://gcsched.dev/schema/schedule-file-v1.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the schedule file, for `gcsched schema` and editors.

    Returns:
        A JSON Schema (draft 2020-12) document as a dict.
    """
    schema = FileModel.model_json_schema(by_alias=True)
    schema["patternProperties"] = {"^x-": {}}
    entry = schema["$defs"]["ScheduleModel"]
    entry["oneOf"] = [
        {"required": [key], "properties": {key: {"type": "string"}}}
        for key in TARGET_KEYS
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
