"""The YAML layer: no sexagesimal surprises, limits, tags, duplicates, anchors."""

from __future__ import annotations

from datetime import time

import pytest

from gcsched.config import loads
from gcsched.config.yaml_source import MAX_ALIASES, MAX_DEPTH, read_document
from gcsched.errors import ConfigError

HEAD = "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml")
    return list(caught.value.reasons)


def test_unquoted_times_stay_text() -> None:
    """`17:00` unquoted is the time 17:00, not the YAML 1.1 integer 1020."""
    data, _, _ = read_document("a: 17:00\nb: 9:30\nc: 1:30:00\nd: 190:20:30.15\n")
    assert data == {"a": "17:00", "b": "9:30", "c": "1:30:00", "d": "190:20:30.15"}
    loaded = loads(HEAD + "    windows: [{days: daily, start: 9:00, end: 17:00}]\n")
    window = loaded.schedules[0].windows[0]
    assert (window.start, window.end) == (time(9), time(17))


def test_ordinary_numbers_still_resolve() -> None:
    """Plain integers and floats are still numbers."""
    data, _, _ = read_document("a: 12\nb: 0.5\nc: -3\nd: 0x1f\ne: .inf\n")
    assert data == {"a": 12, "b": 0.5, "c": -3, "d": 31, "e": float("inf")}


def test_too_many_aliases() -> None:
    """More than the alias limit is refused at the alias that crosses it."""
    body = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    (reason,) = problems(body)
    assert reason.startswith("f.yaml:2:")
    assert f"more than {MAX_ALIASES} aliases" in reason


def test_too_deep() -> None:
    """Nesting deeper than the limit is refused with its position."""
    body = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    (reason,) = problems(body)
    assert reason.startswith("f.yaml:1:")
    assert f"nested deeper than {MAX_DEPTH} levels" in reason


def test_a_value_one_level_too_deep() -> None:
    """The limit counts the innermost value too: a list at the limit may be empty."""
    depth = MAX_DEPTH - 1  # the mapping and its key are the first two levels
    read_document("a: " + "[" * depth + "]" * depth + "\n")
    (reason,) = problems("a: " + "[" * depth + "1" + "]" * depth + "\n")
    assert reason.startswith("f.yaml:1:")
    assert f"nested deeper than {MAX_DEPTH} levels" in reason


def test_very_deep_nesting_is_no_recursion_error() -> None:
    """Ten thousand brackets give a clean message, not a RecursionError."""
    (reason,) = problems("[" * 10_000 + "]" * 10_000)
    assert "nested deeper than" in reason


def test_deep_through_aliases() -> None:
    """Aliases cannot be used to build nesting deeper than the limit."""
    lines = ["l0: &l0 [1]"]
    for i in range(1, 30):
        lines.append(f"l{i}: &l{i} [[[*l{i - 1}]]]")
    (reason,) = problems("\n".join(lines) + "\n")
    assert "nested deeper than 50 levels (through aliases)" in reason


def test_recursive_alias() -> None:
    """A self-referencing alias is refused, not followed forever."""
    (reason,) = problems("a: &a [1, *a]\n")
    assert reason == "f.yaml:1:4: an alias refers to itself (a cycle)"


def test_merge_keys_work_and_explicit_keys_win() -> None:
    """`<<: *anchor` merges a mapping; keys written beside it override it."""
    text = (
        "version: 1\nx-office: &office {start: '09:00', end: '17:00', every: 2}\n"
        "schedules:\n  - campaign: A\n    time_zone: UTC\n    windows:\n"
        "      - {<<: *office, days: daily, every: 1}\n"
    )
    window = loads(text).schedules[0].windows[0]
    assert (window.start, window.end, window.every) == (time(9), time(17), 1)


def test_merge_of_a_non_mapping() -> None:
    """Merging a list is reported at its position."""
    text = "version: 1\nschedules: []\nx-y: {<<: [1]}\n"
    assert problems(text) == ["f.yaml:3:12: x-y: a merge key (<<) needs a mapping"]


def test_merge_of_a_mapping_with_a_non_scalar_key() -> None:
    """A merged `[k]: 1` is reported where it was written, not a crash."""
    text = "version: 1\nschedules: []\nx-a: &a {[k]: 1}\nx-b: {<<: *a, k: 2}\n"
    assert problems(text) == [
        "f.yaml:3:10: x-a: mapping keys must be plain values",
        "f.yaml:3:10: x-b: mapping keys must be plain values",
    ]


def test_custom_tags_and_sets_are_refused() -> None:
    """Local tags, !!set and !!binary are not plain data."""
    text = (
        "version: 1\nschedules: []\n"
        "x-a: !secret abc\nx-b: !!set {a}\nx-c: !!binary aGk=\n"
    )
    assert problems(text) == [
        "f.yaml:3:6: x-a: the YAML tag !secret is not allowed; "
        "a schedule file holds plain data only",
        "f.yaml:4:6: x-b: the YAML tag !!set is not allowed; "
        "a schedule file holds plain data only",
        "f.yaml:5:6: x-c: the YAML tag !!binary is not allowed; "
        "a schedule file holds plain data only",
    ]


def test_complex_keys_are_refused() -> None:
    """A list used as a mapping key is reported, not crashed on."""
    text = "version: 1\nschedules: []\n? [a, b]\n: 1\n"
    assert problems(text) == ["f.yaml:3:3: mapping keys must be plain values"]


def test_huge_integer_is_reported_where_written() -> None:
    """An integer too long to convert is a positioned message."""
    text = HEAD + "    priority: " + "9" * 5000 + "\n"
    (reason,) = problems(text)
    assert reason.startswith("f.yaml:5:15: schedules[0].priority: cannot read '999")
    assert "as an integer: Exceeds the limit (4300 digits) for integer string" in reason


def test_multiple_documents_are_refused() -> None:
    """A stream of several documents is not one schedule file."""
    (reason,) = problems("version: 1\n---\nversion: 1\n")
    assert reason.startswith("f.yaml:2:1: not valid YAML: expected a single document")


def test_control_characters() -> None:
    """Characters YAML forbids are reported without a traceback."""
    (reason,) = problems("version: 1\x07\n")
    assert reason == (
        "f.yaml:1:11: the file contains a character YAML does not allow (U+0007)"
    )


def test_non_string_keys_in_calendars() -> None:
    """A calendar named by a number is reported at its key."""
    text = "version: 1\ncalendars:\n  2026: [2026-01-01]\n"
    assert problems(text) == [
        "f.yaml:3:3: calendars[2026]: calendar names must be text"
    ]


def test_top_level_list() -> None:
    """A list at the top level is named as such."""
    assert problems("- a\n- b\n") == [
        "f.yaml:1:1: the top level must be a mapping with keys such as version and "
        "schedules, found a list"
    ]
