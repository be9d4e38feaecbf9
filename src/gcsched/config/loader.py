"""Reading a schedule file: bytes → YAML → models → domain, every problem at once.

This module keeps the order of the pieces: safe reading (`yaml_source`), then the
file's parts in turn (validated and built by `build`, with the cross-field checks
of `rules`), then the rules that span the whole file.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from gcsched.config import build, compliance_rules, rules
from gcsched.config.models import ScheduleModel
from gcsched.config.problems import Problems
from gcsched.config.values import describe
from gcsched.config.yaml_source import Invalid, Path, YamlFatalError, read_document
from gcsched.domain.model import DayRange, Schedule, ScheduleFile, Target
from gcsched.errors import ConfigError, Problem

__all__ = ["MAX_BYTES", "load", "loads", "schedule_from_mapping"]

MAX_BYTES = 5 * 1024 * 1024
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_EMPTY = "the file is empty; a schedule file starts with `version: 1`"


def _file_error(path: str, message: str, code: str) -> ConfigError:
    """A problem with the file as a whole (no line or column)."""
    return ConfigError([Problem(path, None, None, "", message, code)])


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_big(path: str, size: int) -> ConfigError:
    limit = _size_text(MAX_BYTES)
    return _file_error(
        path, f"the file is {_size_text(size)}; the limit is {limit}", "file_too_large"
    )


def load(path: str | os.PathLike[str]) -> ScheduleFile:
    """Read and validate a schedule file.

    Args:
        path: The file to read.

    Returns:
        The validated file, with `sha256` of its raw bytes.

    Raises:
        ConfigError: Every problem found, one `FILE:LINE:COL: path: message` line
            each (`FILE: message` when there is no position).
    """
    name = os.fspath(path)
    try:
        return _load(name)
    except ConfigError:
        raise
    except Exception as exc:  # never a traceback: report it as a file problem
        raise _internal(name, exc) from exc


def _load(name: str) -> ScheduleFile:
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise _file_error(name, "no such file", "file_unreadable") from None
    except OSError as exc:
        raise _file_error(
            name, f"cannot read the file: {exc.strerror}", "file_unreadable"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise _file_error(
            name, "is a directory, not a schedule file", "file_unreadable"
        )
    if info.st_size > MAX_BYTES:
        raise _too_big(name, info.st_size)
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _file_error(
            name, f"cannot read the file: {exc.strerror}", "file_unreadable"
        ) from None
    if len(raw) > MAX_BYTES:
        raise _too_big(name, len(raw))
    return _from_bytes(raw, name)


def loads(text: str, path: str = "<string>") -> ScheduleFile:
    """Validate schedule-file text.

    Args:
        text: The YAML text.
        path: The name to use in messages and `ScheduleFile.path`.

    Returns:
        The validated file (`sha256` of the UTF-8 encoded text).

    Raises:
        ConfigError: Every problem found, as for `load`.
    """
    try:
        return _loads(text, path)
    except ConfigError:
        raise
    except Exception as exc:  # never a traceback: report it as a file problem
        raise _internal(path, exc) from exc


def _loads(text: str, path: str) -> ScheduleFile:
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise _file_error(
            path, "the text holds characters that are not valid Unicode", "encoding"
        ) from None
    if len(raw) > MAX_BYTES:
        raise _too_big(path, len(raw))
    return _from_bytes(raw, path)


def _internal(path: str, exc: BaseException) -> ConfigError:
    return _file_error(
        path,
        f"internal error while reading the file ({type(exc).__name__}); "
        "please report it with the file",
        "internal_error",
    )


def _from_bytes(raw: bytes, path: str) -> ScheduleFile:
    digest = hashlib.sha256(raw).hexdigest()
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise _file_error(
                path, f"the file is {encoding} text; save it as UTF-8", "encoding"
            )
    if b"\x00" in raw:
        raise _file_error(
            path, "a binary file (it contains NUL bytes), not YAML text", "encoding"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _file_error(
            path,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}, "
            f"column {column}); save the file as UTF-8",
            "encoding",
        ) from None
    return _from_text(text, path, digest)


def _from_text(text: str, path: str, digest: str) -> ScheduleFile:
    if not text.strip():
        raise _file_error(path, _EMPTY, "empty_file")
    problems = Problems(path)
    try:
        data, marks, yaml_problems = read_document(text)
    except YamlFatalError as exc:
        problem = exc.problem
        problems.add_at(
            problem.line, problem.column, problem.message, code=problem.code
        )
        raise problems.error() from None
    if data is None:
        raise _file_error(path, _EMPTY, "empty_file")
    problems.marks = marks
    for problem in yaml_problems:
        at = None if problem.line is None else (problem.line, problem.column or 0)
        problems.add(problem.path, problem.message, at=at, code=problem.code)
    result = _schedule_file(data, problems, path=path, sha256=digest)
    if problems or result is None:
        raise problems.error()
    return result


def _schedule_file(
    raw: Any, problems: Problems, *, path: str, sha256: str
) -> ScheduleFile | None:
    """Validate parsed YAML data and build the `ScheduleFile`.

    Args:
        raw: The parsed document.
        problems: Where every problem goes (with marks for positions).
        path: The file name for `ScheduleFile.path`.
        sha256: The hex SHA-256 of the raw bytes.

    Returns:
        The file, or None when problems were recorded.
    """
    if isinstance(raw, Invalid):
        return None  # the YAML reader reported it
    if not isinstance(raw, dict):
        problems.add(
            (),
            "the top level must be a mapping with keys such as version and "
            f"schedules, found {describe(raw)}",
            code="wrong_type",
        )
        return None
    head = build.build_head(raw, problems)
    calendars, known, holidays = build.build_calendars(raw.get("calendars"), problems)
    policy_model = build.policy_model(raw.get("policy"), head)
    policy = build.build_policy(policy_model)
    entries = raw.get("schedules")
    if isinstance(entries, Invalid):
        entries = None  # the YAML reader reported it
    if entries is not None and not isinstance(entries, list):
        problems.add(
            ("schedules",),
            f"expected a list of schedules, found {describe(entries)}",
            code="wrong_type",
        )
        entries = None
    schedules: list[tuple[Path, Schedule]] = []
    for index, entry in enumerate(entries or ()):
        where: Path = ("schedules", index)
        kind = rules.target_kind(entry, problems, where)
        try:
            model = ScheduleModel.model_validate(entry)
        except ValidationError as exc:
            problems.add_validation(exc, ScheduleModel, where)
            rules.salvage(entry, problems, where)
            continue
        if kind is None:
            continue
        schedule = build.build_schedule(
            model,
            Target(kind, getattr(model, kind)),
            calendars=calendars,
            known=known,
            problems=problems,
            where=where,
            holidays=holidays,
        )
        schedules.append((where, schedule))
    webhooks = build.build_webhooks(raw.get("webhooks"), problems)
    rules.check_file_rules(schedules, policy, policy_model, problems)
    compliance_rules.check_policy(policy_model, known, problems)
    if head is not None:
        rules.check_marker_length(schedules, head.project, problems)
    if problems or head is None:
        return None
    return ScheduleFile(
        path=path,
        sha256=sha256,
        schedules=tuple(s for _, s in schedules),
        policy=policy,
        region=head.org.region if head.org else None,
        calendars=holidays.file_calendars(calendars),
        webhooks=webhooks,
        version=head.version,
        project=head.project,
        warnings=tuple(holidays.warnings),
    )


def _plain(value: Any) -> Any:
    """Python-side input as YAML would give it: lists for tuples, dicts for mappings."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def schedule_from_mapping(
    entry: Mapping[str, Any],
    *,
    target: Target,
    calendars: Mapping[str, tuple[DayRange, ...]] | None = None,
    path: str = "<provision>",
) -> Schedule:
    """Validate one `schedules[]` entry given as Python data (for `provision`).

    Args:
        entry: The entry's keys without its target key (campaign, sequence, ...).
        target: What the schedule is for.
        calendars: Calendar names the entry's `except`/`include` may use.
        path: The name to use in messages.

    Returns:
        The schedule.

    Raises:
        ConfigError: Every problem found, each `PATH: field.path: message`.
    """
    try:
        return _schedule_from_mapping(entry, target, calendars or {}, path)
    except ConfigError:
        raise
    except Exception as exc:  # never a traceback
        raise _internal(path, exc) from exc


def _schedule_from_mapping(
    entry: Mapping[str, Any],
    target: Target,
    calendars: Mapping[str, tuple[DayRange, ...]],
    path: str,
) -> Schedule:
    problems = Problems(path)
    if not isinstance(entry, Mapping):
        raise _file_error(
            path, "the schedule must be a mapping of keys to values", "wrong_type"
        )
    data = _plain(entry)
    for key in rules.TARGET_KEYS:
        if key in data:
            problems.add(
                (key,),
                "the target is given separately; remove this key",
                key=True,
                code="target",
            )
            data.pop(key)
    try:
        model = ScheduleModel.model_validate(data)
    except ValidationError as exc:
        problems.add_validation(exc, ScheduleModel)
        raise problems.error() from None
    schedule = build.build_schedule(
        model,
        target,
        calendars=calendars,
        known=frozenset(calendars),
        problems=problems,
        where=(),
    )
    if problems:
        raise problems.error()
    return schedule
