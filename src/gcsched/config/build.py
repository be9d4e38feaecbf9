"""From validated models to the domain value objects of a schedule file.

The models already hold domain values (times, weekdays, delays, ranges); building
puts them together, resolves calendar names, and runs the cross-field rules of
`gcsched.config.rules` on the way. Each builder also validates its own raw part
of the file (the head, calendars, webhooks), recording what fails in `Problems`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from gcsched.config import compliance_rules, rules
from gcsched.config.models import (
    CalendarItem,
    FileModel,
    HolidayCalendarModel,
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
    "HolidayCalendar",
    "HolidayUse",
    "build_calendars",
    "build_head",
    "build_policy",
    "build_schedule",
    "build_webhooks",
    "policy_model",
]

# Built on first use, like the models (`defer_build`): most commands never need it.
_CALENDAR = TypeAdapter(list[CalendarItem] | None, config=ConfigDict(defer_build=True))

Calendars = Mapping[str, tuple[DayRange, ...]]


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """A `{holidays: CODE, years?, dates?}` calendar, resolved per schedule."""

    code: str
    years: tuple[int, int] | None
    dates: tuple[DayRange, ...] = ()

    def ranges(self, first: int, last: int) -> tuple[DayRange, ...]:
        """The public holidays of `first`..`last`, then the listed dates."""
        from gcsched.config.public_holidays import holiday_ranges

        found = holiday_ranges(self.code, first, last)
        days = {(r.start, r.end) for r in found}
        return (*found, *(d for d in self.dates if (d.start, d.end) not in days))


@dataclass
class HolidayUse:
    """The file's holiday calendars, the years its schedules took from each,
    and what is worth a warning (years past what the package covers)."""

    calendars: Mapping[str, HolidayCalendar] = field(default_factory=dict)
    years: dict[str, set[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def resolve(
        self,
        name: str,
        span: tuple[date, date] | None,
        label: str,
        problems: Problems,
        where: Path,
    ) -> tuple[DayRange, ...]:
        """The days of holiday calendar `name` that a schedule running from
        `span[0]` to `span[1]` meets (its calendar's `years`, else the years of
        `span`; an error when neither is known)."""
        from gcsched.config.public_holidays import covered_years

        calendar = self.calendars[name]
        years = calendar.years or (
            (span[0].year, span[1].year) if span is not None else None
        )
        if years is None:
            problems.add(
                where,
                f"holiday calendar {name!r} needs `years:` (such as years: "
                "2026-2027): this schedule has no from and until to take them from",
                code="holiday_years",
            )
            return ()
        first, last = years
        self.years.setdefault(name, set()).update(range(first, last + 1))
        low, high = covered_years(calendar.code)
        # What the package covers is its own: see `covered_years`.
        if first < low or last > high:
            self._warn(
                f"{label}: holiday calendar {name!r} ({calendar.code}) is asked "
                f"for {first}–{last}, but the holidays package covers "
                f"{calendar.code} only in {low}–{high}; no holiday is excluded "
                "outside those years"
            )
        if calendar.years is not None and (span is None or span[1].year > last):
            self._warn(
                f"{label}: the schedule runs past {last}, the last year of holiday "
                f"calendar {name!r}; later holidays are not excluded (widen its "
                "years)"
            )
        days = calendar.ranges(first, last)
        if span is None:
            return days
        # Only the days the schedule can meet: a smaller body, the same windows.
        return tuple(d for d in days if d.end >= span[0] and d.start <= span[1])

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def file_calendars(
        self, listed: Mapping[str, tuple[DayRange, ...]]
    ) -> tuple[tuple[str, tuple[DayRange, ...]], ...]:
        """Every calendar as ranges: a holiday calendar over its own `years`,
        else over the years its schedules took (none when unused)."""
        out = dict(listed)
        for name, calendar in self.calendars.items():
            used = self.years.get(name)
            if calendar.years is not None:
                out[name] = calendar.ranges(*calendar.years)
            elif used:
                out[name] = calendar.ranges(min(used), max(used))
            else:
                out[name] = calendar.dates
        return tuple(out.items())


def _source(problems: Problems, where: Path) -> SourceRef | None:
    found = None if problems.marks is None else problems.marks.at(where)
    if found is None:
        return None
    return SourceRef(problems.path, found[0] + 1, found[1] + 1)


@dataclass(frozen=True, slots=True)
class _Names:
    """What calendar names resolve against, for one schedule."""

    calendars: Calendars
    known: frozenset[str]
    holidays: HolidayUse | None
    span: tuple[date, date] | None
    label: str


def _span(model: ScheduleModel) -> tuple[date, date] | None:
    """The first and last day a schedule runs, when the file says both.

    None when a window starts on no written date (then it starts on the day it
    is applied) or has no written last day (`count`, or no end).
    """
    firsts: list[date] = []
    lasts: list[date] = []
    for window in model.windows or ():
        first = window.from_ or model.from_
        last = window.until or model.until
        if first is None or last is None or (window.count or model.count):
            return None
        firsts.append(first)
        lasts.append(last + timedelta(days=1))  # an overnight window's last end
    for interval in model.intervals or ():
        firsts.append(interval.start.date())
        lasts.append(interval.end.date())
    return (min(firsts), max(lasts)) if firsts else None


def _alterations(
    items: Sequence[str | DayRange | TimedRange],
    names: _Names,
    problems: Problems,
    where: Path,
) -> tuple[Alteration, ...]:
    """Resolve calendar names into their ranges (each keeps its entry name)."""
    result: list[Alteration] = []
    calendars, known, holidays = names.calendars, names.known, names.holidays
    for index, item in enumerate(items):
        if not isinstance(item, str):
            result.append(item)
        elif item in calendars:
            result.extend(calendars[item])
        elif holidays is not None and item in holidays.calendars:
            result.extend(
                holidays.resolve(
                    item, names.span, names.label, problems, (*where, index)
                )
            )
        elif item not in known:
            listed = ", ".join(sorted(known)) or "none (add a calendars: section)"
            problems.add(
                (*where, index),
                f"unknown calendar {item!r}; known calendars: {listed}",
                code="unknown_calendar",
            )
    return tuple(result)


def _window(
    model: WindowModel,
    schedule: ScheduleModel,
    *,
    names: _Names,
    problems: Problems,
    where: Path,
) -> Window:
    rules.check_window(model, schedule, problems, where)
    spans = [d for d in model.days if not isinstance(d, str)]
    if DAILY in model.days:
        days = None
    elif len(spans) == 1:  # most windows: the token's own (immutable) set
        days = spans[0]
    else:
        days = frozenset[Weekday]().union(*spans)
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
        else _alterations(model.except_, names, problems, (*where, "except")),
        include=None
        if model.include is None
        else _alterations(model.include, names, problems, (*where, "include")),
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
    model: PacingModel, kind: TargetKind, problems: Problems, where: Path
) -> Pacing:
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
    holidays: HolidayUse | None = None,
) -> Schedule:
    """Build one domain `Schedule`, recording every cross-field problem.

    Args:
        model: The validated entry.
        target: What it schedules (from the entry's key, or given by the caller).
        calendars: Calendar name to its day ranges.
        known: Every calendar name written (also those that failed to validate).
        problems: Where problems go.
        where: The entry's data path, e.g. ``('schedules', 2)``.
        holidays: The file's public holiday calendars (resolved over the
            years this schedule runs).

    Returns:
        The schedule (meaningful only when no problem was recorded).
    """
    rules.check_schedule(model, problems, where)
    # The span only serves holiday calendars: without any, it is never read.
    span = _span(model) if holidays is not None and holidays.calendars else None
    names = _Names(calendars, known, holidays, span, target.ref)
    windows = tuple(
        [
            _window(
                w, model, names=names, problems=problems, where=(*where, "windows", i)
            )
            for i, w in enumerate(model.windows or ())
        ]
    )
    return Schedule(
        target=target,
        time_zone=model.time_zone,
        priority=model.priority,
        windows=windows,
        intervals=()
        if not model.intervals
        else _intervals(model.intervals, problems, (*where, "intervals")),
        from_=model.from_,
        until=model.until,
        count=model.count,
        except_=()
        if not model.except_
        else _alterations(model.except_, names, problems, (*where, "except")),
        include=()
        if not model.include
        else _alterations(model.include, names, problems, (*where, "include")),
        audience=model.audience,
        name=model.name,
        render=model.render,
        pacing=None
        if model.pacing is None
        else _pacing(model.pacing, target.kind, problems, (*where, "pacing")),
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
) -> tuple[dict[str, tuple[DayRange, ...]], frozenset[str], HolidayUse]:
    """Calendar name to its day ranges, every name written (valid or not), and
    the public holiday calendars (`{holidays: US-FL}`), resolved per schedule."""
    holidays = HolidayUse(calendars={})
    if raw is None or isinstance(raw, Invalid):  # Invalid: reported already
        return {}, frozenset(), holidays
    if not isinstance(raw, dict):
        problems.add(
            ("calendars",),
            "expected a mapping of calendar names to dates",
            code="wrong_type",
        )
        return {}, frozenset(), holidays
    result: dict[str, tuple[DayRange, ...]] = {}
    found: dict[str, HolidayCalendar] = {}
    for name, items in raw.items():
        if not isinstance(name, str):
            problems.add(
                ("calendars", name),
                "calendar names must be text",
                key=True,
                code="wrong_type",
            )
            continue
        if isinstance(items, dict):
            try:
                model = HolidayCalendarModel.model_validate(items)
            except ValidationError as exc:
                problems.add_validation(exc, HolidayCalendarModel, ("calendars", name))
                continue
            found[name] = HolidayCalendar(
                model.holidays, model.years, tuple(model.dates or ())
            )
            continue
        try:
            ranges = _CALENDAR.validate_python(items)
        except ValidationError as exc:
            problems.add_validation(exc, FileModel, ("calendars", name))
            continue
        result[name] = tuple(ranges or ())
    holidays = HolidayUse(calendars=found)
    return result, frozenset(k for k in raw if isinstance(k, str)), holidays


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
