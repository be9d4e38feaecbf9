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
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from gcsched.config import build, compliance_rules, environments, include, rules
from gcsched.config.models import FileModel, PolicyModel, ScheduleModel
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


def load(path: str | os.PathLike[str], *, env: str | None = None) -> ScheduleFile:
    """Read and validate a schedule file.

    Args:
        path: The file to read.
        env: The environment to read it for (`environments:`); without one,
            a file with environments is checked for every one of them.

    Returns:
        The validated file, with `sha256` of its raw bytes (and of every file
        it includes, and the environment's name).

    Raises:
        ConfigError: Every problem found, one `FILE:LINE:COL: path: message` line
            each (`FILE: message` when there is no position).
    """
    name = os.fspath(path)
    try:
        return _load(name, env)
    except ConfigError:
        raise
    except Exception as exc:  # never a traceback: report it as a file problem
        raise _internal(name, exc) from exc


def _load(name: str, env: str | None) -> ScheduleFile:
    raw = _read_raw(name)
    return _from_bytes(raw, name, env)


def _read_raw(name: str) -> bytes:
    """The file's bytes, after the checks that need no content."""
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
    return raw


def loads(text: str, path: str = "<string>", *, env: str | None = None) -> ScheduleFile:
    """Validate schedule-file text.

    Args:
        text: The YAML text.
        path: The name to use in messages and `ScheduleFile.path` (its
            directory is where `include:` globs start).
        env: The environment to read it for, as for `load`.

    Returns:
        The validated file (`sha256` of the UTF-8 encoded text).

    Raises:
        ConfigError: Every problem found, as for `load`.
    """
    try:
        return _loads(text, path, env)
    except ConfigError:
        raise
    except Exception as exc:  # never a traceback: report it as a file problem
        raise _internal(path, exc) from exc


def _loads(text: str, path: str, env: str | None) -> ScheduleFile:
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise _file_error(
            path, "the text holds characters that are not valid Unicode", "encoding"
        ) from None
    if len(raw) > MAX_BYTES:
        raise _too_big(path, len(raw))
    return _from_bytes(raw, path, env)


def _internal(path: str, exc: BaseException) -> ConfigError:
    return _file_error(
        path,
        f"internal error while reading the file ({type(exc).__name__}); "
        "please report it with the file",
        "internal_error",
    )


def _from_bytes(raw: bytes, path: str, env: str | None) -> ScheduleFile:
    digest = hashlib.sha256(raw).hexdigest()
    return _from_text(_decode(raw, path), path, digest, env)


def _decode(raw: bytes, path: str) -> str:
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
        return raw.decode("utf-8-sig")
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


def _parse(text: str, path: str) -> tuple[Any, Problems]:
    """The parsed document and its problems so far (with marks)."""
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
    return data, problems


def _read_part(name: str) -> tuple[Any, Problems, str]:
    """An included file: parsed, with its problems and the SHA-256 of its bytes."""
    raw = _read_raw(name)
    data, problems = _parse(_decode(raw, name), name)
    return data, problems, hashlib.sha256(raw).hexdigest()


def _from_text(text: str, path: str, digest: str, env: str | None) -> ScheduleFile:
    data, problems = _parse(text, path)
    names = environments.env_names(data) if isinstance(data, dict) else ()
    if env is not None or not names:
        return _schedule_file(data, problems, path=path, sha256=digest, env=env)
    base = _schedule_file(data, problems, path=path, sha256=digest, env=None)
    found: list[Problem] = []
    for name in names:  # each environment's overrides must hold too
        fresh = Problems(path, marks=problems.marks)
        try:
            _schedule_file(data, fresh, path=path, sha256=digest, env=name)
        except ConfigError as exc:
            found.extend(
                replace(p, message=f"{p.message} (in environment {name})")
                for p in exc.problems
            )
    if found:
        raise ConfigError(found)
    return base


def _fail(
    problems: Problems, parts: list[include.Part], failed: list[ConfigError]
) -> ConfigError:
    """One error of every file's problems: the main file's, then each included."""
    if not parts and not failed:
        return problems.error()
    records = list(problems.records)
    omitted = problems.omitted
    for part in parts:
        records.extend(part.problems.records)
        omitted += part.problems.omitted
    for error in failed:
        records.extend(error.problems)
        omitted += error.omitted
    return ConfigError(records, omitted=omitted)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every file's schedules are built against."""

    calendars: dict[str, tuple[DayRange, ...]]
    known: frozenset[str]
    holidays: build.HolidayUse
    env_names: tuple[str, ...]
    selected: environments.Selected | None


def _entries(
    raw: Any, problems: Problems, context: _Context
) -> list[tuple[Path, Schedule]]:
    """The `schedules:` entries of one file, built (for the selected environment)."""
    selected = context.selected
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
    for index, written in enumerate(entries or ()):
        where: Path = ("schedules", index)
        entry = written if selected is None else selected.entry(written)
        kind = rules.target_kind(entry, problems, where)
        try:
            model = ScheduleModel.model_validate(entry)
        except ValidationError as exc:
            problems.add_validation(exc, ScheduleModel, where)
            rules.salvage(entry, problems, where)
            continue
        environments.check_envs(model.envs, context.env_names, problems, where)
        if kind is None or (selected is not None and not selected.applies(model.envs)):
            continue
        schedule = build.build_schedule(
            model,
            Target(kind, getattr(model, kind)),
            calendars=context.calendars,
            known=context.known,
            problems=problems,
            where=where,
            holidays=context.holidays,
        )
        schedules.append((where, schedule))
    return schedules


def _schedule_file(
    raw: Any, problems: Problems, *, path: str, sha256: str, env: str | None
) -> ScheduleFile:
    """Validate parsed YAML data and build the `ScheduleFile`.

    Args:
        raw: The parsed document.
        problems: Where every problem goes (with marks for positions).
        path: The file name for `ScheduleFile.path`.
        sha256: The hex SHA-256 of the raw bytes.
        env: The environment selected (None: none).

    Returns:
        The file.

    Raises:
        ConfigError: Every problem of the file and of every file it includes.
    """
    if isinstance(raw, Invalid):
        raise problems.error()  # the YAML reader reported it
    if not isinstance(raw, dict):
        problems.add(
            (),
            "the top level must be a mapping with keys such as version and "
            f"schedules, found {describe(raw)}",
            code="wrong_type",
        )
        raise problems.error()
    head = build.build_head(raw, problems)
    parts, failed = include.collect(path, raw, problems, _read_part)
    calendars, known, holidays = build.build_calendars(raw.get("calendars"), problems)
    owners = [(problems, known)]
    for part in parts:
        more, names, more_holidays = build.build_calendars(
            part.data.get("calendars"), part.problems
        )
        owners.append((part.problems, names))
        include.merge_calendars(calendars, more)
        known |= names
        holidays = build.HolidayUse(
            calendars={**more_holidays.calendars, **holidays.calendars}
        )
    include.check_duplicate_calendars(owners)
    environments.check_names(raw, problems)
    selected = None if env is None else environments.select(raw, env, problems)
    policy_model = _policy_model(raw, head, selected, problems)
    policy = build.build_policy(policy_model)
    context = _Context(
        calendars, known, holidays, environments.env_names(raw), selected
    )
    schedules = _entries(raw, problems, context)
    files = [(problems, schedules)]
    for part in parts:
        files.append((part.problems, _entries(part.data, part.problems, context)))
    webhooks = build.build_webhooks(raw.get("webhooks"), problems)
    rules.check_file_rules(schedules, policy, policy_model, problems)
    for part_problems, part_schedules in files[1:]:
        rules.check_file_rules(part_schedules, policy, None, part_problems)
    include.check_duplicate_targets(files)
    compliance_rules.check_policy(policy_model, known, problems)
    if head is not None:
        for part_problems, part_schedules in files:
            rules.check_marker_length(part_schedules, head.project, part_problems)
    broken = failed or any(part.problems for part in parts)
    if problems or broken or head is None:
        raise _fail(problems, parts, failed)
    region = head.org.region if head.org else None
    return ScheduleFile(
        path=path,
        sha256=environments.run_key(include.run_key(path, sha256, parts), selected),
        schedules=tuple(s for _, group in files for _, s in group),
        policy=policy,
        region=(selected.text("region") if selected else None) or region,
        calendars=holidays.file_calendars(calendars),
        webhooks=webhooks,
        version=head.version,
        project=head.project,
        warnings=tuple(holidays.warnings),
        includes=tuple(part.path for part in parts),
        environment=None if selected is None else selected.name,
        environments=context.env_names,
        org_id=None if selected is None else selected.text("org_id"),
        api_url=None if selected is None else selected.text("api_url"),
    )


def _policy_model(
    raw: Mapping[Any, Any],
    head: FileModel | None,
    selected: environments.Selected | None,
    problems: Problems,
) -> PolicyModel | None:
    """The file's policy, with the selected environment's keys over it."""
    merged = environments.merged_policy(raw, selected)
    if selected is None or merged is raw.get("policy"):
        return build.policy_model(raw.get("policy"), head)
    try:
        return PolicyModel.model_validate(merged)
    except ValidationError as exc:
        where: Path = ("environments", selected.name, "policy")
        problems.add_validation(exc, PolicyModel, where)
        return None


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
