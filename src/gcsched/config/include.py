"""Split schedule files: `include: [teams/*.yaml]`.

An including file lists globs, each relative to the directory of the file that
writes it. Every file they match (sorted, each once) is read like the main
file and may hold only `schedules`, `calendars`, `include` and `x-` keys; each
keeps its own `Problems`, so every message names the file, line and column it
is in. A file that includes itself, directly or through others, is an error,
and so is a glob that matches nothing. The run key (`run_key`) hashes the main
file and every file it includes, so an edit to a team file starts a new run.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gcsched.config.problems import Problems
from gcsched.config.values import describe
from gcsched.config.yaml_source import Invalid, Path
from gcsched.domain.model import DayRange, Schedule
from gcsched.errors import ConfigError

__all__ = [
    "INCLUDED_KEYS",
    "Part",
    "check_duplicate_calendars",
    "check_duplicate_targets",
    "collect",
    "run_key",
]

INCLUDED_KEYS = ("schedules", "calendars", "include")
"""The top-level keys an included file may hold (besides `x-` keys)."""

MAX_FILES = 1000
"""Included files read at most for one main file."""


@dataclass(slots=True)
class Part:
    """One included file: its parsed data, its problems, its raw SHA-256."""

    path: str
    data: dict[Any, Any]
    problems: Problems
    digest: str


Reader = Callable[[str], tuple[Any, Problems, str]]
"""Reads a file: its parsed data, its problems (with marks) and raw SHA-256.

Raises `ConfigError` for a file that cannot be read at all (missing, binary,
too large, empty, not YAML)."""


def _globs(data: dict[Any, Any], problems: Problems) -> list[tuple[int, str]]:
    raw = data.get("include")
    if raw is None or isinstance(raw, Invalid):
        return []
    if not isinstance(raw, list):
        problems.add(
            ("include",),
            f"expected a list of file globs, found {describe(raw)}",
            code="wrong_type",
        )
        return []
    found: list[tuple[int, str]] = []
    for index, item in enumerate(raw):
        if isinstance(item, str) and item.strip():
            found.append((index, item.strip()))
        elif not isinstance(item, Invalid):
            problems.add(
                ("include", index),
                f"expected a file glob such as teams/*.yaml, found {describe(item)}",
                code="bad_include",
            )
    return found


def _matches(base: str, pattern: str) -> list[str]:
    """The files `pattern` (relative to `base`) matches, sorted; no folders."""
    joined = os.path.join(base, pattern)
    return sorted(
        os.path.normpath(m)
        for m in glob.glob(joined, recursive=True)
        if not os.path.isdir(m)
    )


def _check_keys(part: Part) -> None:
    for key in part.data:
        if key in INCLUDED_KEYS or (isinstance(key, str) and key.startswith("x-")):
            continue
        part.problems.add(
            (key,),
            f"an included file may hold only schedules and calendars (and include); "
            f"{key!r} belongs in the main file",
            key=True,
            code="include_key",
        )


def collect(
    path: str, data: dict[Any, Any], problems: Problems, read: Reader
) -> tuple[list[Part], list[ConfigError]]:
    """Every file `path` includes, depth first, each once.

    Args:
        path: The main file (its directory is where its globs start).
        data: Its parsed document.
        problems: Its problems (include errors of the main file go there).
        read: How to read one included file.

    Returns:
        The included files in order, and the errors of files that could not be
        read at all (each names its own file).
    """
    parts: list[Part] = []
    failed: list[ConfigError] = []
    seen: set[str] = {os.path.realpath(path)}

    def walk(
        owner: str,
        owner_data: dict[Any, Any],
        owner_problems: Problems,
        chain: list[str],
    ) -> None:
        base = os.path.dirname(owner) or "."
        for index, pattern in _globs(owner_data, owner_problems):
            where: Path = ("include", index)
            matches = _matches(base, pattern)
            if not matches:
                owner_problems.add(
                    where,
                    f"{pattern!r} matches no file (globs are relative to {base})",
                    code="bad_include",
                )
            for name in matches:
                real = os.path.realpath(name)
                if real in chain:
                    loop = " → ".join([*_shown(chain, real), name])
                    owner_problems.add(
                        where, f"include cycle: {loop}", code="include_cycle"
                    )
                    continue
                if real in seen:
                    continue  # included already (through another glob or file)
                seen.add(real)
                if len(parts) >= MAX_FILES:
                    owner_problems.add(
                        where,
                        f"more than {MAX_FILES} included files",
                        code="bad_include",
                    )
                    return
                try:
                    part_data, part_problems, digest = read(name)
                except ConfigError as exc:
                    failed.append(exc)
                    continue
                if not isinstance(part_data, dict):
                    if not isinstance(part_data, Invalid):
                        part_problems.add(
                            (),
                            "an included file must be a mapping with schedules "
                            f"and/or calendars, found {describe(part_data)}",
                            code="wrong_type",
                        )
                    parts.append(Part(name, {}, part_problems, digest))
                    continue
                part = Part(name, part_data, part_problems, digest)
                _check_keys(part)
                parts.append(part)
                walk(name, part_data, part_problems, [*chain, real])

    walk(path, data, problems, [os.path.realpath(path)])
    return parts, failed


def _shown(chain: list[str], real: str) -> list[str]:
    """The part of the include chain that loops back to `real`, as relative paths."""
    start = chain.index(real)
    return [os.path.relpath(p) for p in chain[start:]]


def _place(problems: Problems, where: Path, *, key: bool = False) -> str:
    found = problems.marks.find(where, prefer_key=key) if problems.marks else None
    if found is None:
        return problems.path
    return f"{problems.path}:{found[0] + 1}:{found[1] + 1}"


def check_duplicate_calendars(
    owners: Sequence[tuple[Problems, frozenset[str]]],
) -> None:
    """A calendar name written in two files is an error naming both places."""
    first: dict[str, Problems] = {}
    for problems, names in owners:
        for name in sorted(names):
            earlier = first.get(name)
            if earlier is None:
                first[name] = problems
                continue
            where: Path = ("calendars", name)
            problems.add(
                where,
                f"duplicate calendar {name!r}: also defined at "
                f"{_place(earlier, where, key=True)}",
                key=True,
                code="duplicate_calendar",
            )


def check_duplicate_targets(
    owners: Sequence[tuple[Problems, list[tuple[Path, Schedule]]]],
) -> None:
    """One entry per target across files: a second one in another file is an
    error naming both places (duplicates in one file are `rules`' job)."""
    first: dict[str, tuple[Problems, Path, str]] = {}
    for problems, schedules in owners:
        for where, schedule in schedules:
            ref, kind = schedule.target.ref, schedule.target.kind
            earlier = first.get(ref)
            if earlier is None:
                first[ref] = (problems, where, kind)
                continue
            other, other_where, other_kind = earlier
            if other is problems:
                continue
            place = _place(other, other_where)
            if other_kind == kind:
                message = (
                    f"duplicate: {kind} {ref!r} already has a schedule at {place}; "
                    f"one entry per {kind} across the file and the files it includes"
                )
            else:
                message = (
                    f"{kind} {ref!r} has the same name as the {other_kind} at "
                    f"{place}; conflicts and reports name schedules by it, so use "
                    "the id of one of them"
                )
            problems.add((*where, kind), message, code="duplicate_target")


def merge_calendars(
    into: dict[str, tuple[DayRange, ...]], more: dict[str, tuple[DayRange, ...]]
) -> None:
    """Add `more` to `into`, the first definition of a name winning."""
    for name, ranges in more.items():
        into.setdefault(name, ranges)


def run_key(path: str, main_digest: str, parts: Sequence[Part]) -> str:
    """The SHA-256 a run is keyed by: the main file's alone without includes,
    else of the main file's and every included file's (path relative to the
    main file's directory, and content)."""
    if not parts:
        return main_digest
    base = os.path.dirname(path) or "."
    text = "\n".join(
        [f"gcsched-include-v1 {main_digest}"]
        + [f"{os.path.relpath(p.path, base)} {p.digest}" for p in parts]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
