"""Cross-field rules of the schedule file: checks that tie several values together.

Pure functions over validated models (or, for `target_kind` and `salvage`, the raw
entry) and `Problems`. Each records its problem at the data path of the value to
blame, so the message lands on the right line; none builds anything.
"""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from pydantic import ValidationError

from gcsched.config.models import (
    IntervalModel,
    PacingModel,
    PolicyModel,
    ScheduleModel,
    WindowModel,
)
from gcsched.config.problems import Problems
from gcsched.config.values import DAILY
from gcsched.config.yaml_source import Path
from gcsched.config.zones import legacy_zone_hint
from gcsched.domain.genesys import marker
from gcsched.domain.model import DEFAULT_PROJECT, Policy, Schedule, TargetKind

__all__ = [
    "TARGET_KEYS",
    "check_file_rules",
    "check_marker_length",
    "check_pacing",
    "check_range",
    "check_schedule",
    "check_window",
    "check_zone",
    "interval_shape",
    "salvage",
    "target_kind",
    "window_shape",
]

TARGET_KEYS: tuple[TargetKind, ...] = get_args(TargetKind)
_VOICE_PACING = ("max_calls_per_agent", "outbound_line_count", "abandon_rate")


def check_range(
    problems: Problems,
    where: Path,
    start: date | None,
    until: date | None,
    count: int | None,
    *,
    inherited: str = "",
) -> None:
    """`until` not before `from`, and not both `until` and `count`."""
    if start is not None and until is not None and until < start:
        problems.add(
            (*where, "until"),
            f"until ({until}) is before from ({start}){inherited}",
            code="bad_range",
        )
    if until is not None and count is not None:
        problems.add(
            where,
            "until and count are both set" + inherited + "; a schedule ends by date "
            "(until) or after a number of occurrences (count), not both",
            code="bad_range",
        )


def check_zone(
    zone_name: str | None, allowed: bool, problems: Problems, where: Path
) -> None:
    """A legacy zone name (EST, US/Eastern, Etc/GMT+5) needs `allow_legacy_zone`."""
    if zone_name is None or allowed:
        return
    hint = legacy_zone_hint(zone_name)
    if hint is not None:
        problems.add(
            (*where, "time_zone"),
            f"{hint}, or set allow_legacy_zone: true to keep it",
            code="legacy_zone",
        )


def window_shape(model: WindowModel, problems: Problems, where: Path) -> None:
    """Checks that need only the window itself."""
    if DAILY in model.days and len(model.days) > 1:
        problems.add(
            (*where, "days"),
            "daily cannot be combined with day names",
            code="bad_window",
        )
    if model.start.end_of_day:
        problems.add(
            (*where, "start"), '"24:00" is only allowed as an end', code="bad_window"
        )
    elif model.start.clock == model.end.clock and not model.end.end_of_day:
        problems.add(
            (*where, "end"),
            f"end equals start ({model.start}); a window needs a length "
            "(an end before the start runs past midnight)",
            code="bad_window",
        )


def check_window(
    model: WindowModel, schedule: ScheduleModel, problems: Problems, where: Path
) -> None:
    """The window's own shape, zone, and date range with the schedule's filled in."""
    window_shape(model, problems, where)
    allowed = (
        model.allow_legacy_zone
        if model.allow_legacy_zone is not None
        else schedule.allow_legacy_zone
    )
    check_zone(model.time_zone, allowed, problems, where)
    if any(v is not None for v in (model.from_, model.until, model.count)):
        check_range(
            problems,
            where,
            model.from_ if model.from_ is not None else schedule.from_,
            model.until if model.until is not None else schedule.until,
            model.count if model.count is not None else schedule.count,
            inherited=" (with the schedule's own values)",
        )


def interval_shape(item: IntervalModel, problems: Problems, where: Path) -> None:
    """An interval ends after it starts."""
    if item.end <= item.start:
        problems.add(
            (*where, "end"),
            f"end ({item.end.isoformat()}) must be after start "
            f"({item.start.isoformat()})",
            code="bad_interval",
        )


def check_schedule(model: ScheduleModel, problems: Problems, where: Path) -> None:
    """The entry's zone and range, and windows or intervals for except/include."""
    check_zone(model.time_zone, model.allow_legacy_zone, problems, where)
    check_range(problems, where, model.from_, model.until, model.count)
    if not model.windows and not model.intervals:
        problems.add(
            where,
            "the schedule has neither windows nor intervals; add at least one",
            code="no_windows",
        )
    elif not model.windows:
        for key, items in (("except", model.except_), ("include", model.include)):
            if items:
                problems.add(
                    (*where, key),
                    f"{key} applies to windows and this schedule has only "
                    "intervals (Genesys would ignore it); add a window or change "
                    "the intervals themselves",
                    key=True,
                    code="alterations_need_windows",
                )


def check_pacing(
    model: PacingModel, kind: TargetKind, problems: Problems, where: Path
) -> None:
    """Pacing keys that fit the target: voice keys for campaigns, and so on."""
    if kind == "sequence":
        problems.add(
            where,
            "a sequence has no pacing of its own; set it on its campaigns",
            code="bad_pacing",
        )
    for key in _VOICE_PACING:
        if kind == "messaging_campaign" and getattr(model, key) is not None:
            problems.add(
                (*where, key),
                f"{key} is voice pacing; a messaging campaign takes "
                "messages_per_minute",
                code="bad_pacing",
            )
    if kind == "campaign" and model.messages_per_minute is not None:
        problems.add(
            (*where, "messages_per_minute"),
            "messages_per_minute is for messaging campaigns; a voice campaign takes "
            "max_calls_per_agent, outbound_line_count and abandon_rate",
            code="bad_pacing",
        )


def salvage(entry: Any, problems: Problems, where: Path) -> None:
    """Window and interval checks for an entry that failed validation elsewhere."""
    if not isinstance(entry, dict):
        return
    parts: tuple[tuple[str, type[WindowModel] | type[IntervalModel]], ...] = (
        ("windows", WindowModel),
        ("intervals", IntervalModel),
    )
    for key, model_class in parts:
        items = entry.get(key)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            try:
                model = model_class.model_validate(item)
            except ValidationError:
                continue  # already reported
            if isinstance(model, WindowModel):
                window_shape(model, problems, (*where, key, index))
            else:
                interval_shape(model, problems, (*where, key, index))


def target_kind(entry: Any, problems: Problems, where: Path) -> TargetKind | None:
    """The one target key of a raw entry (its value is checked by the model)."""
    if not isinstance(entry, dict):
        return None
    given = [k for k in TARGET_KEYS if entry.get(k) is not None]
    if len(given) == 1:
        return given[0]
    if not given:
        problems.add(
            where,
            "give exactly one of campaign, sequence or messaging_campaign",
            code="target",
        )
    else:
        keys = " and ".join(given)
        problems.add(
            (*where, given[1]),
            f"{keys} are both set; one schedule entry targets exactly one of "
            "campaign, sequence or messaging_campaign",
            key=True,
            code="target",
        )
    return None


#: The longest schedule name Genesys takes.
GENESYS_NAME_MAX = 64


def check_marker_length(
    schedules: list[tuple[Path, Schedule]], project: str, problems: Problems
) -> None:
    """Every name, once marked with a project (`marker`), fits Genesys's 64.

    The default project's marker is the 9-character one `NAME_MAX` allows for.
    """
    if project == DEFAULT_PROJECT:
        return
    for where, schedule in schedules:
        label = schedule.name or schedule.target.ref
        size = len(marker(project, label))
        if size > GENESYS_NAME_MAX:
            key = "name" if schedule.name else schedule.target.kind
            problems.add(
                (*where, key),
                f"with project {project!r} the schedule's name would be {size} "
                f"characters ({marker(project, label)!r}); Genesys allows "
                f"{GENESYS_NAME_MAX}, so give a shorter `name` or project",
                code="bad_name",
            )


def check_file_rules(
    schedules: list[tuple[Path, Schedule]],
    policy: Policy,
    policy_model: PolicyModel | None,
    problems: Problems,
) -> None:
    """One entry per target, finite schedules under `trim` and for
    `render: intervals`, real overlap pairs."""
    seen: dict[str, tuple[Path, str]] = {}
    for where, schedule in schedules:
        ref, kind = schedule.target.ref, schedule.target.kind
        if ref in seen:
            first_where, first_kind = seen[ref]
            first = problems.marks.find(first_where) if problems.marks else None
            at = f" (line {first[0] + 1})" if first else ""
            if first_kind == kind:
                message = (
                    f"duplicate: {kind} {ref!r} already has a schedule at "
                    f"{_label(first_where)}{at}; one entry per {kind}"
                )
            else:
                message = (
                    f"{kind} {ref!r} has the same name as the {first_kind} at "
                    f"{_label(first_where)}{at}; conflicts and reports name schedules "
                    "by it, so use the id of one of them"
                )
            problems.add((*where, kind), message, code="duplicate_target")
        else:
            seen[ref] = (where, kind)
        if policy.audience_conflicts == "trim" and not schedule.finite:
            problems.add(
                where,
                "policy.audience_conflicts is trim, which needs a finite schedule: "
                "give until or count (on the schedule or on every window)",
                code="trim_needs_end",
            )
        if schedule.render == "intervals" and not schedule.finite:
            problems.add(
                (*where, "render"),
                "render: intervals needs a finite schedule (explicit intervals "
                "cannot run forever, and an open-ended list would change every "
                "day): give until or count (on the schedule or on every window)",
            )
    pairs = (policy_model.allow_overlap or []) if policy_model else []
    for index, pair in enumerate(pairs):
        if pair[0] == pair[1]:
            problems.add(
                ("policy", "allow_overlap", index),
                "a pair needs two different schedules",
                code="bad_overlap_pair",
            )


def _label(where: Path) -> str:
    return f"schedules[{where[1]}]" if len(where) > 1 else str(where)
