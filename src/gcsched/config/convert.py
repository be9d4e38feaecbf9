"""From validated models to domain value objects, checking cross-field rules.

Every rule that ties several values together is checked here with the data path
of the value to blame, so each message lands on the right line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from gcsched.config.models import (
    CalendarItem,
    FileModel,
    IntervalModel,
    PacingModel,
    PolicyModel,
    ScheduleModel,
    WebhookModel,
    WindowModel,
)
from gcsched.config.problems import Problems
from gcsched.config.values import (
    WEBHOOK_EVENTS,
    day_set,
    describe,
    retry_delay,
    time_value,
)
from gcsched.config.yaml_source import Path
from gcsched.domain.model import (
    DEFAULT_RETRY,
    Alteration,
    DayRange,
    Pacing,
    Policy,
    Schedule,
    ScheduleFile,
    SourceRef,
    Target,
    TargetKind,
    TimedRange,
    WebhookEndpoint,
    Window,
)
from gcsched.domain.webhook_urls import check_url

__all__ = ["TARGET_KEYS", "convert_file", "convert_schedule"]

TARGET_KEYS: tuple[TargetKind, ...] = ("campaign", "sequence", "messaging_campaign")
_CALENDAR = TypeAdapter(list[CalendarItem] | None)
_VOICE_PACING = ("max_calls_per_agent", "outbound_line_count", "abandon_rate")

Calendars = Mapping[str, tuple[DayRange, ...]]


def _source(problems: Problems, where: Path) -> SourceRef | None:
    if problems.marks is None or where not in problems.marks.values:
        return None
    line, column = problems.marks.values[where]
    return SourceRef(problems.path, line + 1, column + 1)


def _alterations(
    items: Sequence[str | DayRange | TimedRange],
    calendars: Calendars,
    known: frozenset[str],
    problems: Problems,
    where: Path,
) -> tuple[Alteration, ...]:
    """Resolve calendar names into their ranges (each keeps its entry name)."""
    result: list[Alteration] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            result.append(item)
        elif item in calendars:
            result.extend(calendars[item])
        elif item not in known:
            names = ", ".join(sorted(known)) or "none (add a calendars: section)"
            problems.add(
                (*where, index),
                f"unknown calendar {item!r}; known calendars: {names}",
            )
    return tuple(result)


def _check_range(
    problems: Problems,
    where: Path,
    start: date | None,
    until: date | None,
    count: int | None,
    *,
    inherited: str = "",
) -> None:
    if start is not None and until is not None and until < start:
        problems.add(
            (*where, "until"), f"until ({until}) is before from ({start}){inherited}"
        )
    if until is not None and count is not None:
        problems.add(
            where,
            "until and count are both set" + inherited + "; a schedule ends by date "
            "(until) or after a number of occurrences (count), not both",
        )


def _window_shape(model: WindowModel, problems: Problems, where: Path) -> None:
    """Checks that need only the window itself."""
    if "daily" in model.days and len(model.days) > 1:
        problems.add((*where, "days"), "daily cannot be combined with day names")
    start, start_eod = time_value(model.start)
    end, end_of_day = time_value(model.end)
    if start_eod:
        problems.add((*where, "start"), '"24:00" is only allowed as an end')
    elif start == end and not end_of_day:
        problems.add(
            (*where, "end"),
            f"end equals start ({model.start}); a window needs a length "
            "(an end before the start runs past midnight)",
        )


def _window(
    model: WindowModel,
    schedule: ScheduleModel,
    *,
    calendars: Calendars,
    known: frozenset[str],
    problems: Problems,
    where: Path,
) -> Window:
    _window_shape(model, problems, where)
    days = None if "daily" in model.days else day_set(model.days)
    start, _ = time_value(model.start)
    end, end_of_day = time_value(model.end)
    overridden = any(v is not None for v in (model.from_, model.until, model.count))
    if overridden:
        _check_range(
            problems,
            where,
            model.from_ if model.from_ is not None else schedule.from_,
            model.until if model.until is not None else schedule.until,
            model.count if model.count is not None else schedule.count,
            inherited=" (with the schedule's own values)",
        )
    return Window(
        start=start,
        end=end,
        days=days,
        every=model.every,
        end_of_day=end_of_day,
        time_zone=model.time_zone,
        from_=model.from_,
        until=model.until,
        count=model.count,
        except_=None
        if model.except_ is None
        else _alterations(
            model.except_, calendars, known, problems, (*where, "except")
        ),
        include=None
        if model.include is None
        else _alterations(
            model.include, calendars, known, problems, (*where, "include")
        ),
        source=_source(problems, where),
    )


def _intervals(
    items: Sequence[IntervalModel], problems: Problems, where: Path
) -> tuple[TimedRange, ...]:
    result: list[TimedRange] = []
    for index, item in enumerate(items):
        _interval_shape(item, problems, (*where, index))
        result.append(TimedRange(item.start, item.end, item.name))
    return tuple(result)


def _interval_shape(item: IntervalModel, problems: Problems, where: Path) -> None:
    if item.end <= item.start:
        problems.add(
            (*where, "end"),
            f"end ({item.end.isoformat()}) must be after start "
            f"({item.start.isoformat()})",
        )


def _salvage(entry: Any, problems: Problems, where: Path) -> None:
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
                _window_shape(model, problems, (*where, key, index))
            else:
                _interval_shape(model, problems, (*where, key, index))


def _pacing(
    model: PacingModel | None, kind: TargetKind, problems: Problems, where: Path
) -> Pacing | None:
    if model is None:
        return None
    if kind == "sequence":
        problems.add(
            where, "a sequence has no pacing of its own; set it on its campaigns"
        )
    for key in _VOICE_PACING:
        if kind == "messaging_campaign" and getattr(model, key) is not None:
            problems.add(
                (*where, key),
                f"{key} is voice pacing; a messaging campaign takes "
                "messages_per_minute",
            )
    if kind == "campaign" and model.messages_per_minute is not None:
        problems.add(
            (*where, "messages_per_minute"),
            "messages_per_minute is for messaging campaigns; a voice campaign takes "
            "max_calls_per_agent, outbound_line_count and abandon_rate",
        )
    return Pacing(
        max_calls_per_agent=model.max_calls_per_agent,
        outbound_line_count=model.outbound_line_count,
        abandon_rate=model.abandon_rate,
        messages_per_minute=model.messages_per_minute,
    )


def convert_schedule(
    model: ScheduleModel,
    target: Target,
    *,
    calendars: Calendars,
    known: frozenset[str],
    problems: Problems,
    where: Path,
) -> Schedule:
    """Build one domain `Schedule`, recording every cross-field problem.

    Args:
        model: The validated entry.
        target: What it schedules (from the entry's key, or given by the caller).
        calendars: Calendar name to its day ranges.
        known: Every calendar name written (also those that failed to validate).
        problems: Where problems go.
        where: The entry's data path, e.g. ``('schedules', 2)``.

    Returns:
        The schedule (meaningful only when no problem was recorded).
    """
    _check_range(problems, where, model.from_, model.until, model.count)
    if not model.windows and not model.intervals:
        problems.add(
            where,
            "the schedule has neither windows nor intervals; add at least one",
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
                )
    windows = tuple(
        _window(
            w,
            model,
            calendars=calendars,
            known=known,
            problems=problems,
            where=(*where, "windows", i),
        )
        for i, w in enumerate(model.windows or ())
    )
    return Schedule(
        target=target,
        time_zone=model.time_zone,
        priority=model.priority,
        windows=windows,
        intervals=_intervals(model.intervals or (), problems, (*where, "intervals")),
        from_=model.from_,
        until=model.until,
        count=model.count,
        except_=_alterations(
            model.except_ or (), calendars, known, problems, (*where, "except")
        ),
        include=_alterations(
            model.include or (), calendars, known, problems, (*where, "include")
        ),
        audience=model.audience,
        name=model.name,
        render=model.render,
        pacing=_pacing(model.pacing, target.kind, problems, (*where, "pacing")),
        source=_source(problems, where),
    )


def _target_kind(entry: Any, problems: Problems, where: Path) -> TargetKind | None:
    """The one target key of a raw entry (its value is checked by the model)."""
    if not isinstance(entry, dict):
        return None
    given = [k for k in TARGET_KEYS if entry.get(k) is not None]
    if len(given) == 1:
        return given[0]
    if not given:
        problems.add(
            where, "give exactly one of campaign, sequence or messaging_campaign"
        )
    else:
        keys = " and ".join(given)
        problems.add(
            (*where, given[1]),
            f"{keys} are both set; one schedule entry targets exactly one of "
            "campaign, sequence or messaging_campaign",
            key=True,
        )
    return None


def _calendars(
    raw: Any, problems: Problems
) -> tuple[dict[str, tuple[DayRange, ...]], frozenset[str]]:
    if raw is None:
        return {}, frozenset()
    if not isinstance(raw, dict):
        problems.add(("calendars",), "expected a mapping of calendar names to dates")
        return {}, frozenset()
    result: dict[str, tuple[DayRange, ...]] = {}
    for name, items in raw.items():
        if not isinstance(name, str):
            problems.add(("calendars", name), "calendar names must be text", key=True)
            continue
        try:
            ranges = _CALENDAR.validate_python(items)
        except ValidationError as exc:
            problems.add_validation(exc, FileModel, ("calendars", name))
            continue
        result[name] = tuple(ranges or ())
    return result, frozenset(k for k in raw if isinstance(k, str))


def _policy(model: PolicyModel | None) -> Policy:
    if model is None:
        return Policy()
    return Policy(
        audience_conflicts=model.audience_conflicts,
        allow_overlap=frozenset(frozenset(pair) for pair in model.allow_overlap or ()),
        horizon_days=model.horizon_days,
        max_change_fraction=model.max_change_fraction,
        min_existing=model.min_existing,
        manage=model.manage,
        map_priority=model.map_priority,
    )


def _webhooks(raw: Any, problems: Problems) -> tuple[WebhookEndpoint, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(
            ("webhooks",), f"expected a list of webhooks, found {describe(raw)}"
        )
        return ()
    result: list[WebhookEndpoint] = []
    for index, entry in enumerate(raw):
        where: Path = ("webhooks", index)
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            allow = entry.get("allow_insecure_loopback") is True
            for problem in check_url(entry["url"], allow_insecure_loopback=allow):
                problems.add((*where, "url"), problem)
        try:
            hook = WebhookModel.model_validate(entry)
        except ValidationError as exc:
            problems.add_validation(exc, WebhookModel, where)
            continue
        result.append(
            WebhookEndpoint(
                url=hook.url.strip(),
                secret_env=hook.secret_env,
                events=frozenset(hook.events or WEBHOOK_EVENTS),
                allow_insecure_loopback=hook.allow_insecure_loopback,
                retry=tuple(retry_delay(r) for r in hook.retry)
                if hook.retry
                else DEFAULT_RETRY,
                source=_source(problems, where),
            )
        )
    return tuple(result)


def _check_file_rules(
    schedules: list[tuple[Path, Schedule]],
    policy: Policy,
    policy_model: PolicyModel | None,
    problems: Problems,
) -> None:
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
            problems.add((*where, kind), message)
        else:
            seen[ref] = (where, kind)
        if policy.audience_conflicts == "trim" and not schedule.finite:
            problems.add(
                where,
                "policy.audience_conflicts is trim, which needs a finite schedule: "
                "give until or count (on the schedule or on every window)",
            )
    pairs = (policy_model.allow_overlap or []) if policy_model else []
    for index, pair in enumerate(pairs):
        if pair[0] == pair[1]:
            problems.add(
                ("policy", "allow_overlap", index),
                "a pair needs two different schedules",
            )


def _label(where: Path) -> str:
    return f"schedules[{where[1]}]" if len(where) > 1 else str(where)


def convert_file(
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
    if not isinstance(raw, dict):
        problems.add(
            (),
            "the top level must be a mapping with keys such as version and "
            f"schedules, found {describe(raw)}",
        )
        return None
    parts = ("schedules", "calendars", "webhooks")
    head = {
        k: v
        for k, v in raw.items()
        if k not in parts and not (isinstance(k, str) and k.startswith("x-"))
    }
    head_model: FileModel | None = None
    try:
        head_model = FileModel.model_validate(head)
    except ValidationError as exc:
        problems.add_validation(exc, FileModel)
    calendars, known = _calendars(raw.get("calendars"), problems)
    policy_model = _policy_model(raw.get("policy"), head_model)
    policy = _policy(policy_model)
    entries = raw.get("schedules")
    if entries is not None and not isinstance(entries, list):
        problems.add(
            ("schedules",), f"expected a list of schedules, found {describe(entries)}"
        )
        entries = None
    schedules: list[tuple[Path, Schedule]] = []
    for index, entry in enumerate(entries or ()):
        where: Path = ("schedules", index)
        kind = _target_kind(entry, problems, where)
        try:
            model = ScheduleModel.model_validate(entry)
        except ValidationError as exc:
            problems.add_validation(exc, ScheduleModel, where)
            _salvage(entry, problems, where)
            continue
        if kind is None:
            continue
        schedule = convert_schedule(
            model,
            Target(kind, getattr(model, kind)),
            calendars=calendars,
            known=known,
            problems=problems,
            where=where,
        )
        schedules.append((where, schedule))
    webhooks = _webhooks(raw.get("webhooks"), problems)
    _check_file_rules(schedules, policy, policy_model, problems)
    if problems or head_model is None:
        return None
    return ScheduleFile(
        path=path,
        sha256=sha256,
        schedules=tuple(s for _, s in schedules),
        policy=policy,
        region=head_model.org.region if head_model.org else None,
        calendars=tuple(calendars.items()),
        webhooks=webhooks,
        version=head_model.version,
    )


def _policy_model(raw: Any, head: FileModel | None) -> PolicyModel | None:
    """The policy, also when another part of the head failed validation."""
    if head is not None:
        return head.policy
    try:
        return PolicyModel.model_validate(raw) if isinstance(raw, dict) else None
    except ValidationError:
        return None
