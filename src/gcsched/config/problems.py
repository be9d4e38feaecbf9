"""Collecting problems as `Problem` records (`FILE:LINE:COL: path: message`).

pydantic reports a `loc` such as ``('schedules', 2, 'windows', 0, 'start')``; the
YAML reader recorded where each such path was written, so every message can
point at the line and column of the offending key or value. Each problem gets a
stable `code` (the list is `CODES`, documented in docs/schedule-file.md).
Collection stops after `MAX_PROBLEMS`; the rest are only counted.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from gcsched.config.values import CODE_INVALID, describe
from gcsched.config.yaml_source import Invalid, Marks, Path
from gcsched.errors import ConfigError, Problem

__all__ = ["CODES", "MAX_PROBLEMS", "Problems", "format_path"]

MAX_PROBLEMS = 200
"""Problems listed at most; beyond it they are counted, not described."""

CODES: dict[str, str] = {
    # reading the file
    "file_unreadable": "the file is missing, a directory, or cannot be read",
    "file_too_large": "the file is over the size limit",
    "encoding": "not UTF-8 text (UTF-16/32, a NUL byte, an invalid byte)",
    "empty_file": "the file has no content",
    "yaml_syntax": "not valid YAML (also tabs in indentation, disallowed characters)",
    "yaml_limit": "nesting, alias or expansion limits (alias bombs, cycles)",
    "yaml_tag": "a tag other than the YAML core ones",
    "yaml_key": "a mapping key that is not a plain value, or a bad merge key",
    "duplicate_key": "the same key twice in one mapping",
    "bad_scalar": "a value YAML cannot read (a number out of range, ...)",
    # values on their own
    "unknown_key": "a key the file format does not have",
    "missing_key": "a required key is missing",
    "wrong_type": "a value of the wrong type (text for a number, ...)",
    "out_of_range": "a number outside its bounds (count, every, priority, ...)",
    "not_allowed": "a value that is not one of the words allowed",
    "wrong_length": "a list with too few or too many items",
    "unsupported_version": "a `version` this gcsched does not read",
    "bad_zone": "not an IANA time zone name",
    "legacy_zone": "a legacy or link zone name without `allow_legacy_zone`",
    "bad_date": "not a date, or outside 1900-01-01..2999-12-31",
    "bad_time": "not a time of day",
    "bad_day": "not a day name or range",
    "bad_name": "an empty, too long or unprintable name",
    "bad_project": "a `project` that is not a slug (lowercase letters, digits, -)",
    CODE_INVALID: "any other value the reader refuses",
    # rules between values
    "bad_range": "until before from, or until and count together",
    "bad_window": "a window's shape (start equals end, daily with day names, ...)",
    "bad_interval": "an interval that ends before it starts",
    "no_windows": "a schedule with neither windows nor intervals",
    "alterations_need_windows": "except/include on a schedule without windows",
    "target": "not exactly one of campaign, sequence, messaging_campaign",
    "duplicate_target": "two entries for one target (or one name)",
    "bad_pacing": "pacing keys that do not fit the target",
    "unknown_region": "a `contacts` region that is not a known ISO 3166 code",
    "unknown_pack": "a `policy.compliance.packs` name that is no shipped pack",
    "trim_needs_end": "`trim` with a schedule that never ends",
    "bad_overlap_pair": "an allow_overlap pair that names one schedule twice",
    "unknown_calendar": "an except/include name that is no calendar",
    "bad_holidays": "a `holidays:` code the holidays package does not know",
    "holiday_years": "bad `years:`, or a holiday calendar whose years are unknown",
    "bad_webhook_url": "a webhook URL that would be refused at send time",
    # split files
    "bad_include": "an `include` glob that matches no file, or is not text",
    "include_key": "a key other than schedules/calendars/include in an included file",
    "include_cycle": "a file that includes itself, directly or through others",
    "duplicate_calendar": "one calendar name defined in two files",
    # environments
    "unknown_environment": "an `envs:` or `--env` name the file's environments lack",
    "bad_environment": "an environment name that is not a slug, or `all`",
    "internal_error": "gcsched failed reading the file (please report it)",
}

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "date_type": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time",
}
_HINTS = {
    "days": " (use `days: daily` for every day)",
    "version": " (write `version: 1` at the top of the file)",
}


def format_path(path: Path) -> str:
    """`('schedules', 2, 'windows', 0, 'start')` as `schedules[2].windows[0].start`."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _unwrap(annotation: Any) -> list[Any]:
    """The classes a field annotation may hold (through Optional, list, dict...)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple, dict):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    return [annotation]


def _model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` below `root`."""
    current: type[BaseModel] = root
    for part in path:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        info = fields.get(part)
        if info is None:
            return None
        models = [
            c
            for c in _unwrap(info.annotation)
            if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        if not models:
            return None
        current = models[0]
    return current


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


@dataclass(slots=True)
class Problems:
    """Every problem found in one file (up to `limit`), with positions."""

    path: str
    marks: Marks | None = None
    items: list[tuple[tuple[int, int], int, Problem]] = field(default_factory=list)
    limit: int = MAX_PROBLEMS
    omitted: int = 0

    @property
    def full(self) -> bool:
        """True once `limit` problems are held; later ones are only counted."""
        return len(self.items) >= self.limit

    def _keep(self, order: tuple[int, int], problem: Problem) -> None:
        if self.full:
            self.omitted += 1
            return
        self.items.append((order, len(self.items), problem))

    def add(
        self,
        where: Path,
        message: str,
        *,
        key: bool = False,
        at: tuple[int, int] | None = None,
        code: str = CODE_INVALID,
    ) -> None:
        """Record a problem at data path `where`.

        `key` points at the key rather than the value; `at` gives the 0-based
        (line, column) explicitly; `code` names the kind of problem (`CODES`).
        """
        if self.full:
            self.omitted += 1
            return
        position = at
        if position is None and self.marks is not None:
            position = self.marks.find(where, prefer_key=key)
        label = format_path(where)
        if position is None:
            self._keep((-1, -1), Problem(self.path, None, None, label, message, code))
        else:
            row, col = position
            record = Problem(self.path, row + 1, col + 1, label, message, code)
            self._keep((row, col), record)

    def add_at(
        self, row: int | None, col: int | None, message: str, *, code: str
    ) -> None:
        """Record a problem at a 0-based position, without a data path."""
        if row is None or col is None:
            self._keep((-1, -1), Problem(self.path, None, None, "", message, code))
        else:
            record = Problem(self.path, row + 1, col + 1, "", message, code)
            self._keep((row, col), record)

    def add_validation(
        self, error: ValidationError, model: type[BaseModel], prefix: Path = ()
    ) -> None:
        """Record each pydantic error of `model` validated at data path `prefix`."""
        for detail in error.errors(include_url=False):
            if isinstance(detail.get("input"), Invalid):
                continue  # the YAML reader already reported this value
            if self.full:  # count the rest without building their messages
                self.omitted += 1
                continue
            loc: Path = tuple(detail["loc"])
            if loc and loc[-1] == "[key]":
                self.add(
                    prefix + loc[:-1],
                    f"keys here must be text, found {describe(detail['input'])}",
                    key=True,
                    code="wrong_type",
                )
                continue
            if detail["type"] == "invalid_key":  # a mapping key YAML read as non-text
                at = (
                    self.marks.find(prefix + loc, prefer_key=True)
                    if self.marks
                    else None
                )
                self.add(
                    prefix + loc[:-1],
                    f"keys must be text, found {describe(detail['input'])} as a key",
                    key=True,
                    at=at,
                    code="wrong_type",
                )
                continue
            message, key, code = self._message(detail, model, loc)
            self.add(prefix + loc, message, key=key, code=code)

    @staticmethod
    def _message(
        detail: Any, model: type[BaseModel], loc: Path
    ) -> tuple[str, bool, str]:
        kind = detail["type"]
        value = detail.get("input")
        ctx = detail.get("ctx") or {}
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            known = _known_keys(owner) if owner else []
            name = str(loc[-1])
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if close:
                hint = f"; did you mean {close[0]!r}?"
            elif known:
                hint = f"; known keys: {', '.join(known)}"
            else:
                hint = ""
            return f"unknown key {name!r}{hint}", True, "unknown_key"
        if kind == "missing":
            return (
                f"missing required key {loc[-1]!r}{_HINTS.get(str(loc[-1]), '')}",
                True,
                "missing_key",
            )
        if kind in _TYPE_WORDS:
            return (
                f"expected {_TYPE_WORDS[kind]}, found {describe(value)}",
                False,
                "wrong_type",
            )
        if kind in ("greater_than_equal", "greater_than"):
            sign = "at least" if kind == "greater_than_equal" else "more than"
            bound = ctx.get("ge", ctx.get("gt"))
            return f"must be {sign} {bound}, found {value!r}", False, "out_of_range"
        if kind in ("less_than_equal", "less_than"):
            sign = "at most" if kind == "less_than_equal" else "less than"
            bound = ctx.get("le", ctx.get("lt"))
            return f"must be {sign} {bound}, found {value!r}", False, "out_of_range"
        if kind == "literal_error" and loc == ("version",):
            return (
                f"unsupported version {value!r}; this gcsched reads version 1",
                False,
                "unsupported_version",
            )
        if kind == "literal_error":
            return (
                f"must be {ctx.get('expected', '')}, found {describe(value)}",
                False,
                "not_allowed",
            )
        if kind == "too_short":
            if not value:
                return "must not be empty", False, "wrong_length"
            wanted = ctx.get("min_length")
            return f"needs {wanted} items, found {len(value)}", False, "wrong_length"
        if kind == "too_long":
            wanted = ctx.get("max_length")
            return (
                f"has {len(value)} items; at most {wanted} are allowed",
                False,
                "wrong_length",
            )
        code = kind if kind in CODES else CODE_INVALID
        return str(detail["msg"]), False, code

    @property
    def records(self) -> list[Problem]:
        """The problems, sorted by position (file-level ones first)."""
        return [problem for _, _, problem in sorted(self.items, key=_order)]

    @property
    def reasons(self) -> list[str]:
        """The problem lines, sorted by position (file-level ones first)."""
        return [problem.text for problem in self.records]

    def error(self) -> ConfigError:
        """The `ConfigError` of every problem held (and the count of the rest)."""
        return ConfigError(self.records, omitted=self.omitted)

    def __bool__(self) -> bool:
        return bool(self.items)


def _order(item: tuple[tuple[int, int], int, Problem]) -> tuple[tuple[int, int], int]:
    return item[0], item[1]
