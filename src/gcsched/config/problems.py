"""Collecting problems and turning them into `FILE:LINE:COL: path: message` lines.

pydantic reports a `loc` such as ``('schedules', 2, 'windows', 0, 'start')``; the
YAML reader recorded where each such path was written, so every message can
point at the line and column of the offending key or value.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from gcsched.config.values import describe
from gcsched.config.yaml_source import Invalid, Marks, Path

__all__ = ["Problems", "format_path"]

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
    """Every problem found in one file, with positions, in reading order."""

    path: str
    marks: Marks | None = None
    items: list[tuple[tuple[int, int], int, str]] = field(default_factory=list)

    def add(
        self,
        where: Path,
        message: str,
        *,
        key: bool = False,
        at: tuple[int, int] | None = None,
    ) -> None:
        """Record a problem at data path `where`.

        `key` points at the key rather than the value; `at` gives the 0-based
        (line, column) explicitly.
        """
        position = at
        if position is None and self.marks is not None:
            position = self.marks.find(where, prefer_key=key)
        label = format_path(where)
        body = f"{label}: {message}" if label else message
        if position is None:
            line, order = f"{self.path}: {body}", (-1, -1)
        else:
            row, col = position
            line, order = f"{self.path}:{row + 1}:{col + 1}: {body}", (row, col)
        self.items.append((order, len(self.items), line))

    def add_at(self, row: int | None, col: int | None, message: str) -> None:
        """Record a problem at a 0-based position, without a data path."""
        if row is None or col is None:
            self.items.append(((-1, -1), len(self.items), f"{self.path}: {message}"))
        else:
            line = f"{self.path}:{row + 1}:{col + 1}: {message}"
            self.items.append(((row, col), len(self.items), line))

    def add_validation(
        self, error: ValidationError, model: type[BaseModel], prefix: Path = ()
    ) -> None:
        """Record each pydantic error of `model` validated at data path `prefix`."""
        for detail in error.errors(include_url=False):
            if isinstance(detail.get("input"), Invalid):
                continue  # the YAML reader already reported this value
            loc: Path = tuple(detail["loc"])
            if loc and loc[-1] == "[key]":
                self.add(
                    prefix + loc[:-1],
                    f"keys here must be text, found {describe(detail['input'])}",
                    key=True,
                )
                continue
            message, key = self._message(detail, model, loc)
            self.add(prefix + loc, message, key=key)

    @staticmethod
    def _message(detail: Any, model: type[BaseModel], loc: Path) -> tuple[str, bool]:
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
            return f"unknown key {name!r}{hint}", True
        if kind == "missing":
            return (
                f"missing required key {loc[-1]!r}{_HINTS.get(str(loc[-1]), '')}",
                True,
            )
        if kind in _TYPE_WORDS:
            return f"expected {_TYPE_WORDS[kind]}, found {describe(value)}", False
        if kind in ("greater_than_equal", "greater_than"):
            sign = "at least" if kind == "greater_than_equal" else "more than"
            bound = ctx.get("ge", ctx.get("gt"))
            return f"must be {sign} {bound}, found {value!r}", False
        if kind in ("less_than_equal", "less_than"):
            sign = "at most" if kind == "less_than_equal" else "less than"
            bound = ctx.get("le", ctx.get("lt"))
            return f"must be {sign} {bound}, found {value!r}", False
        if kind == "literal_error" and loc == ("version",):
            return f"unsupported version {value!r}; this gcsched reads version 1", False
        if kind == "literal_error":
            return f"must be {ctx.get('expected', '')}, found {describe(value)}", False
        if kind == "too_short":
            if not value:
                return "must not be empty", False
            wanted = ctx.get("min_length")
            return f"needs {wanted} items, found {len(value)}", False
        if kind == "too_long":
            wanted = ctx.get("max_length")
            return f"has {len(value)} items; at most {wanted} are allowed", False
        return str(detail["msg"]), False

    @property
    def reasons(self) -> list[str]:
        """The problem lines, sorted by position (file-level ones first)."""
        return [line for _, _, line in sorted(self.items)]

    def __bool__(self) -> bool:
        return bool(self.items)
