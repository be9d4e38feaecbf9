"""From validated models to the domain value objects of a schedule file.

The models already hold domain values (times, weekdays, delays, ranges); building
puts them together, resolves calendar names, and runs the cross-field rules of
`gcsched.config.rules` on the way. Each builder also validates its own raw part
of the file (the head, calendars, webhooks), recording what fails in `Problems`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from gcsched.config import compliance_rules, rules
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
from gcsched.config.values import DAILY, describe
from gcsched.config.yaml_source import Invalid, Path
from gcsched.domain.model import (
    DEFAULT_RETRY,
    Alteration,
    DayRange,
    Pacing,
    Policy,
    Schedule,
    SourceRef,
    Target,
    TargetKind,
    TimedRange,
    WebhookEndpoint,
    Weekday,
    Window,
)
from gcsched.domain.webhook_events import WEBHOOK_EVENTS
from gcsched.domain.webhook_urls import check_url

__all__ = [
    "Calendars",
    "build_calendars",
    "build_head",
    "build_policy",
    "build_schedule",
    "build_webhooks",
    "policy_model",
]

_CALENDAR = TypeAdapter(list[CalendarItem] | None)

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
                code="unknown_calendar",
            )
    return tuple(result)


def _window(
    model: WindowModel,
    schedule: ScheduleModel,
    *,
    calendars: Calendars,
    known: frozenset[str],
    problems: Problems,
    where: Path,
) -> Window:
    rules.check_window(model, schedule, problems, where)
    spans = [d for d in model.days if not isinstance(d, str)]
    days = None if DAILY in model.days else frozenset[Weekday]().union(*spans)
    return Window(
        start=model.start.clock,
        end=model.end.clock,
        days=days,
        every=model.every,
        end_of_day=model.end.end_of_day,
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
        rules.interval_shape(item, problems, (*where, index))
        result.append(TimedRange(item.start, item.end, item.name))
    return tuple(result)


def _pacing(
    model: PacingModel | None, kind: TargetKind, problems: Problems, where: Path
) -> Pacing | None:
    if model is None:
        return None
    rules.check_pacing(model, kind, problems, where)
    return Pacing(
        max_calls_per_agent=model.max_calls_per_agent,
        outbound_line_count=model.outbound_line_count,
        abandon_rate=model.abandon_rate,
        messages_per_minute=model.messages_per_minute,
    )


def build_schedule(
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
    rules.check_schedule(model, problems, where)
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
        purpose=model.purpose,
        contacts=compliance_rules.contacts(model.contacts, problems, where),
        guarded_by=model.guarded_by,
        source=_source(problems, where),
    )


def build_head(raw: Mapping[Any, Any], problems: Problems) -> FileModel | None:
    """Validate the file's head: every top-level key but the parts and `x-` keys."""
    parts = ("schedules", "calendars", "webhooks")
    head = {
        k: v
        for k, v in raw.items()
        if k not in parts and not (isinstance(k, str) and k.startswith("x-"))
    }
    try:
        return FileModel.model_validate(head)
    except ValidationError as exc:
        problems.add_validation(exc, FileModel)
        return None


def build_calendars(
    raw: Any, problems: Problems
) -> tuple[dict[str, tuple[DayRange, ...]], frozenset[str]]:
    """Calendar name to its day ranges, and every name written (valid or not)."""
    if raw is None or isinstance(raw, Invalid):  # Invalid: reported already
        return {}, frozenset()
    if not isinstance(raw, dict):
        problems.add(
            ("calendars",),
            "expected a mapping of calendar names to dates",
            code="wrong_type",
        )
        return {}, frozenset()
    result: dict[str, tuple[DayRange, ...]] = {}
    for name, items in raw.items():
        if not isinstance(name, str):
            problems.add(
                ("calendars", name),
                "calendar names must be text",
                key=True,
                code="wrong_type",
            )
            continue
        try:
            ranges = _CALENDAR.validate_python(items)
        except ValidationError as exc:
            problems.add_validation(exc, FileModel, ("calendars", name))
            continue
        result[name] = tuple(ranges or ())
    return result, frozenset(k for k in raw if isinstance(k, str))


def policy_model(raw: Any, head: FileModel | None) -> PolicyModel | None:
    """The policy, also when another part of the head failed validation."""
    if head is not None:
        return head.policy
    try:
        return PolicyModel.model_validate(raw) if isinstance(raw, dict) else None
    except ValidationError:
        return None


def build_policy(model: PolicyModel | None) -> Policy:
    """The domain `Policy` (the defaults when the file has none)."""
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
        purpose=model.purpose,
        contacts=None if model.contacts is None else tuple(model.contacts),
        compliance=compliance_rules.compliance_policy(model.compliance),
    )


def build_webhooks(raw: Any, problems: Problems) -> tuple[WebhookEndpoint, ...]:
    """The `webhooks:` endpoints, each URL checked offline first."""
    if raw is None or isinstance(raw, Invalid):  # Invalid: reported already
        return ()
    if not isinstance(raw, list):
        problems.add(
            ("webhooks",),
            f"expected a list of webhooks, found {describe(raw)}",
            code="wrong_type",
        )
        return ()
    result: list[WebhookEndpoint] = []
    for index, entry in enumerate(raw):
        where: Path = ("webhooks", index)
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            allow = entry.get("allow_insecure_loopback") is True
            for problem in check_url(entry["url"], allow_insecure_loopback=allow):
                problems.add((*where, "url"), problem, code="bad_webhook_url")
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
                retry=tuple(hook.retry) if hook.retry else DEFAULT_RETRY,
                source=_source(problems, where),
            )
        )
    return tuple(result)
