"""The JSON Schema accepts every valid file and rejects schema-level mistakes.

Files are read the way an editor (yaml-language-server) reads them: dates and
times stay text. Validation runs with format checking on, so `format: date` is
really checked; local wall times carry a `pattern`, never `format: date-time`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from gcsched.cli.app import app
from gcsched.config import json_schema, loads
from gcsched.errors import ConfigError

ROOT = Path(__file__).parents[2]
SCHEMA_FILE = ROOT / "schema" / "gcsched.schema.json"
GOOD = sorted((ROOT / "tests" / "fixtures" / "config" / "good").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


class EditorLoader(yaml.SafeLoader):
    """SafeLoader reading YAML as editors (YAML 1.2, JSON data) do.

    Dates and date-times stay text (no timestamp resolver), and so do YAML 1.1
    base-60 numbers: `end: 17:00` is the text "17:00", not the number 1020.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and _SEXAGESIMAL.fullmatch(value):
            return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP]
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def editor_read(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)


def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors_of(data: Any) -> list[str]:
    return [e.message for e in validator().iter_errors(data)]


def doc_files() -> list[tuple[str, str]]:
    """Every fenced ```yaml block of README.md and docs/*.md that is a whole file."""
    found: list[tuple[str, str]] = []
    for path in DOCS:
        blocks = re.findall(r"^```yaml\n(.*?)^```", path.read_text(), re.M | re.S)
        for index, block in enumerate(blocks):
            data = editor_read(block)
            if isinstance(data, dict) and "version" in data:
                found.append((f"{path.name}[{index}]", block))
    return found


DOC_FILES = doc_files()
VALID = [(p.relative_to(ROOT).as_posix(), p.read_text()) for p in GOOD + EXAMPLES]
VALID += DOC_FILES


def test_there_is_something_to_validate() -> None:
    """The lists are not empty by accident (a moved folder would skip everything)."""
    assert len(GOOD) >= 2
    assert EXAMPLES
    assert len(DOC_FILES) >= 2


@pytest.mark.parametrize(("name", "text"), VALID, ids=[n for n, _ in VALID])
def test_every_valid_file_passes_the_schema(name: str, text: str) -> None:
    """A file gcsched loads passes the schema with format checking on."""
    loads(text, name)  # valid for gcsched itself
    assert errors_of(editor_read(text)) == []


BASE = """\
version: 1
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    priority: {priority}
    windows:
      - days: {days}
        start: "{start}"
        end: "17:00"
        except:
          - {except_}
          - {{from: 2026-12-24T13:00, to: 2026-12-26T08:00}}
    intervals:
      - {{start: 2026-12-27T09:00, end: "2026-12-27 12:00:30"}}
"""
GOOD_VALUES = {
    "priority": "5",
    "days": "daily",
    "start": "09:00",
    "except_": "2026-12-25",
}


def entry_file(**changes: str) -> str:
    return BASE.format(**(GOOD_VALUES | changes))


def test_the_base_file_is_valid() -> None:
    """The file the mistakes below start from passes (so each mistake is the cause)."""
    text = entry_file()
    loads(text)
    assert errors_of(editor_read(text)) == []


@pytest.mark.parametrize(
    ("change", "mistake"),
    [
        ({"priority": "11"}, "priority 11"),
        ({"days": "[mon, funday]"}, "a bad day name"),
        ({"days": "mon-"}, "a half range"),
        ({"start": "9am"}, "a time like 9am"),
        ({"start": "25:00"}, "hour 25"),
        ({"except_": "2026-13-45"}, "a date only format checking catches"),
        ({"except_": "{from: 2026-12-24T13:00, to: 2026-12-26}"}, "mixed bounds"),
        ({"except_": "2026-12-24T13:00"}, "a single date-time"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_schema_level_mistakes_are_rejected(
    change: dict[str, str], mistake: str
) -> None:
    """The schema refuses what the loader refuses, field by field."""
    text = entry_file(**change)
    with pytest.raises(ConfigError):
        loads(text)
    assert errors_of(editor_read(text)), mistake


def test_unknown_key_is_rejected() -> None:
    """A misspelt key fails the schema (every object is closed)."""
    data = editor_read(entry_file().replace("priority:", "prority:"))
    assert any("prority" in message for message in errors_of(data))


def test_x_keys_at_the_top_are_allowed() -> None:
    """Top-level `x-` keys are ignored by the loader, so the schema allows them."""
    data = editor_read("version: 1\nx-defaults: {time_zone: UTC}\n")
    assert errors_of(data) == []


def test_one_target_per_entry() -> None:
    """Two target keys in one entry fail the schema as they fail the loader."""
    text = entry_file().replace(
        "- campaign: Q4 Renewals", "- campaign: Q4 Renewals\n    sequence: Nightly"
    )
    with pytest.raises(ConfigError):
        loads(text)
    assert errors_of(editor_read(text))


def test_format_checking_is_really_on() -> None:
    """2026-13-45 has the shape of a date: only the `date` format check refuses it."""
    schema = validator().schema
    window = schema["$defs"]["WindowModel"]["properties"]["from"]
    assert any(
        part.get("format") == "date" and part.get("type") == "string"
        for part in window["anyOf"]
    )
    assert errors_of({"version": 1, "calendars": {"x": ["2026-13-45"]}})
    assert not errors_of({"version": 1, "calendars": {"x": ["2026-12-25"]}})
    unchecked = jsonschema.Draft202012Validator(schema)  # no format checker
    assert not list(
        unchecked.iter_errors({"version": 1, "calendars": {"x": ["2026-13-45"]}})
    )


def test_dates_outside_the_schedulable_years_are_refused_by_the_schema() -> None:
    """The schema's date pattern holds the loader's FIRST_DATE..LAST_DATE."""
    assert not errors_of({"version": 1, "calendars": {"x": ["2999-12-31"]}})
    assert errors_of({"version": 1, "calendars": {"x": ["9999-12-30"]}})
    assert errors_of({"version": 1, "calendars": {"x": ["0001-01-01"]}})


def test_local_wall_times_are_patterns_not_date_time() -> None:
    """RFC 3339 date-time needs an offset; local wall times must not claim it."""
    text = json.dumps(json_schema())
    assert '"date-time"' not in text
    for wall_time in ("2026-12-24T13:00", "2026-12-24 13:00:30", "2026-12-24T24:00"):
        data = {
            "version": 1,
            "schedules": [
                {
                    "campaign": "x",
                    "time_zone": "UTC",
                    "intervals": [{"start": wall_time, "end": "2026-12-31T00:00"}],
                }
            ],
        }
        assert errors_of(data) == [], wall_time
    data["schedules"][0]["intervals"][0]["start"] = "2026-12-24T13:00+01:00"
    assert errors_of(data)


def test_committed_schema_is_what_gcsched_schema_prints() -> None:
    """schema/gcsched.schema.json is byte-equal to `gcsched schema` (regenerate it)."""
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert SCHEMA_FILE.read_text(encoding="utf-8") == result.output, (
        "run: gcsched schema > schema/gcsched.schema.json"
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_point_editors_at_the_schema(path: Path) -> None:
    """Each example's first line names the committed schema by a working path."""
    first = path.read_text().splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve() == SCHEMA_FILE.resolve()
