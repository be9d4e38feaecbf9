"""The value objects of a schedule file, as the pure domain sees them.

The config layer builds these from YAML (with every name already checked);
everything below works on them. All are frozen and slotted; "local" datetimes are
naive wall-clock times in the zone that applies (window override, then the
schedule's `time_zone`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from typing import Literal

from gcsched.genesys import TargetKind

__all__ = [
    "MAX_CHANGE_FRACTION",
    "MIN_EXISTING",
    "Alteration",
    "AudienceConflictMode",
    "ComplianceMode",
    "CompliancePolicy",
    "DayRange",
    "Manage",
    "Pacing",
    "Policy",
    "RenderMode",
    "Schedule",
    "ScheduleFile",
    "SourceRef",
    "Target",
    "TargetKind",
    "TimeOfDay",
    "TimedRange",
    "WebhookEndpoint",
    "Weekday",
    "Window",
]

RenderMode = Literal["recurrences", "intervals"]
AudienceConflictMode = Literal["reject", "trim", "warn"]
Manage = Literal["owned", "all"]
#: The project of a file without `project:` (and of pre-project name markers).
DEFAULT_PROJECT = "default"

MAX_CHANGE_FRACTION = 0.3
"""Largest share of existing schedules one plan may update (or delete) unforced."""

MIN_EXISTING = 10
"""The fraction applies only once this many schedules exist (octoDNS's figure)."""


class Weekday(IntEnum):
    """ISO weekday numbers (Monday = 1), as `date.isoweekday()` returns them."""

    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was written: for messages naming file:line."""

    path: str
    line: int  # 1-based
    column: int = 1  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class DayRange:
    """Whole local days, `start` to `end` inclusive (a single day has start == end)."""

    start: date
    end: date
    name: str | None = None


@dataclass(frozen=True, slots=True)
class TimedRange:
    """A local wall-time range [start, end) (naive datetimes in the schedule zone)."""

    start: datetime
    end: datetime
    name: str | None = None


Alteration = DayRange | TimedRange


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A clock time as a window's `start` or `end` gives it.

    `end_of_day` marks "24:00", the end of the day (then `clock` is `time(0)`).
    `str()` is the canonical text: "HH:MM", "HH:MM:SS" when the seconds are not
    zero, or "24:00".
    """

    clock: time
    end_of_day: bool = False

    def __str__(self) -> str:
        if self.end_of_day:
            return "24:00"
        return self.clock.isoformat(
            timespec="seconds" if self.clock.second else "minutes"
        )


@dataclass(frozen=True, slots=True)
class Window:
    """A recurring delivery window.

    `days` is None for `daily` (every `every` days); otherwise the weekdays it runs
    on, every `every` weeks. `end <= start` (by clock) means the window runs past
    midnight; `end == start` is rejected by config. `end_of_day` marks an `end` of
    "24:00" (then `end` is `time(0)`).

    The optional fields override the schedule's own value when not None.
    """

    start: time
    end: time
    days: frozenset[Weekday] | None = None
    every: int = 1
    end_of_day: bool = False
    time_zone: str | None = None
    from_: date | None = None
    until: date | None = None
    count: int | None = None
    except_: tuple[Alteration, ...] | None = None
    include: tuple[Alteration, ...] | None = None
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def duration(self) -> timedelta:
        """Wall-clock length of one occurrence (ignoring DST)."""
        start = datetime.combine(date(2000, 1, 3), self.start)
        end = datetime.combine(date(2000, 1, 3), self.end)
        if self.end_of_day or end <= start:
            end += timedelta(days=1)
        return end - start


@dataclass(frozen=True, slots=True)
class Pacing:
    """Campaign pacing; voice fields go by PATCH, messaging by PUT with version."""

    max_calls_per_agent: float | None = None
    outbound_line_count: int | None = None
    abandon_rate: float | None = None
    messages_per_minute: int | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """What a schedule is for: a campaign, sequence or messaging campaign."""

    kind: TargetKind
    ref: str


@dataclass(frozen=True, slots=True)
class Schedule:
    """One `schedules[]` entry, with calendars already expanded into ranges."""

    target: Target
    time_zone: str
    priority: int = 5
    windows: tuple[Window, ...] = ()
    intervals: tuple[TimedRange, ...] = ()
    from_: date | None = None
    until: date | None = None
    count: int | None = None
    except_: tuple[Alteration, ...] = ()
    include: tuple[Alteration, ...] = ()
    audience: str | None = None
    name: str | None = None
    render: RenderMode = "recurrences"
    pacing: Pacing | None = None
    purpose: str | None = None
    """Why its contacts are called (`gcsched.domain.legal_hours.PURPOSES`)."""
    contacts: tuple[str, ...] | None = None
    """ISO 3166 regions its contacts are in (None: not said)."""
    guarded_by: str | None = None
    """``genesys``: the org's contact-local guards hold contacts back."""
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """How messages name this schedule: the target reference."""
        return self.target.ref

    @property
    def finite(self) -> bool:
        """True when every window ends (until or count) or there are only intervals."""
        if not self.windows:
            return True
        return all(
            (w.until or self.until) is not None or (w.count or self.count) is not None
            for w in self.windows
        )


ComplianceMode = Literal["enforce", "warn", "off"]


@dataclass(frozen=True, slots=True)
class CompliancePolicy:
    """`policy.compliance`: how calling-hour findings count (docs/compliance.md)."""

    mode: ComplianceMode = "warn"
    packs: tuple[str, ...] | None = None
    freeze: tuple[str, ...] = ()
    written: bool = False
    """True when the file has a `policy.compliance` block."""


@dataclass(frozen=True, slots=True)
class Policy:
    """The file's `policy:` block."""

    audience_conflicts: AudienceConflictMode = "reject"
    allow_overlap: frozenset[frozenset[str]] = frozenset()
    horizon_days: int = 90
    max_change_fraction: float = MAX_CHANGE_FRACTION
    min_existing: int = MIN_EXISTING
    manage: Manage = "owned"
    map_priority: bool = False
    purpose: str | None = None
    contacts: tuple[str, ...] | None = None
    compliance: CompliancePolicy = CompliancePolicy()

    def allows(self, a: str, b: str) -> bool:
        """True when the pair (a, b) is acknowledged in `allow_overlap`."""
        return frozenset((a, b)) in self.allow_overlap


DEFAULT_RETRY: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """A `webhooks[]` entry (the secret itself is read from `secret_env` later)."""

    url: str
    secret_env: str
    events: frozenset[str]
    allow_insecure_loopback: bool = False
    retry: tuple[timedelta, ...] = DEFAULT_RETRY
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ScheduleFile:
    """A whole validated schedule file."""

    path: str
    sha256: str
    schedules: tuple[Schedule, ...]
    policy: Policy = Policy()
    region: str | None = None
    calendars: tuple[tuple[str, tuple[DayRange, ...]], ...] = ()
    webhooks: tuple[WebhookEndpoint, ...] = ()
    version: int = 1
    project: str = DEFAULT_PROJECT
    """The file's `project:`: whose schedules the file creates, updates, deletes."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """What loading found worth saying (a holiday calendar asked for years its
    package does not cover); `validate` and `plan` show them."""
    includes: tuple[str, ...] = ()
    """The files its `include:` globs matched, in order (`sha256` then hashes
    this file and all of them)."""
    environment: str | None = None
    """The environment it was read for (`--env NAME`); None: none selected."""
    environments: tuple[str, ...] = ()
    """Every environment the file names (`environments:`), in order."""
    org_id: str | None = None
    """The selected environment's `org_id`: plans refuse any other org."""
    api_url: str | None = None
    """The selected environment's `api_url`."""
