"""The report as a value: what every output format (JSON, HTML, iCalendar) draws.

A `Report` is built once by `build_report` from schedules and the domain's check,
then rendered; the renderers never expand or resolve anything themselves (the
iCalendar writer only reads the schedule's windows to write RRULEs, and checks
them against the occurrences held here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from gcsched.domain.compliance import ComplianceReport
from gcsched.domain.model import Schedule, TargetKind

__all__ = [
    "AudienceSource",
    "Holiday",
    "Report",
    "ReportConflict",
    "ReportOccurrence",
    "ReportRow",
]

AudienceSource = Literal["org", "file"]


@dataclass(frozen=True, slots=True)
class ReportOccurrence:
    """One delivery interval [start, end) in aware UTC, in the zone that applies.

    `window` is the index into the schedule's `windows` the occurrence comes from,
    None for one-off intervals and for trimmed occurrences.
    """

    start: datetime
    end: datetime
    zone: str
    window: int | None = None

    @property
    def duration(self) -> timedelta:
        """Elapsed (absolute) length of the occurrence."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class ReportConflict:
    """An overlap or audience conflict between two schedules (labels)."""

    type: str
    campaigns: tuple[str, str]
    contact_list: str | None
    start: datetime
    end: datetime
    resolution: str
    winner: str | None = None
    reason: str = ""

    def involves(self, label: str) -> bool:
        """True when `label` is one of the two schedules in conflict."""
        return label in self.campaigns


@dataclass(frozen=True, slots=True)
class Holiday:
    """A named range of whole local days (inclusive) from a calendar or `except`.

    `labels` are the schedules that exclude it (in their `except`, or a window's):
    only their rows are shaded. A calendar no schedule uses has none.
    """

    start: date
    end: date
    name: str | None = None
    calendar: str | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One schedule as the report shows it (one row of the timeline).

    `trimmed` is True when the occurrences are the ones left after `trim` gave
    the overlapping time to a higher-ranked schedule.
    """

    label: str
    kind: TargetKind
    name: str | None
    zone: str
    priority: int
    audience: str | None
    occurrences: tuple[ReportOccurrence, ...]
    excluded: tuple[date, ...] = ()
    warnings: tuple[str, ...] = ()
    trimmed: bool = False
    schedule: Schedule | None = None
    no_call: tuple[tuple[datetime, datetime], ...] = ()
    """UTC spans in which some of the schedule's contacts may not be called
    (the calling-hour check; empty when the file asks for none)."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows, for the inclusive date range [start, end].

    `audiences` says where the conflict check's audiences came from: "org" (the
    contact lists read live, a sequence's being its campaigns' lists) or "file"
    (the schedules' own `audience:` keys, offline). `audience_warning` is the
    loud note every format shows when that is not the org's whole truth.
    """

    start: date
    end: date
    rows: tuple[ReportRow, ...]
    conflicts: tuple[ReportConflict, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    warnings: tuple[str, ...] = ()
    title: str = ""
    source: str = ""
    today: date | None = None
    audiences: AudienceSource = "file"
    audience_warning: str = ""
    compliance: ComplianceReport | None = None
    """The calling-hour findings (None: the file asks for no check)."""

    def conflicts_of(self, label: str) -> tuple[ReportConflict, ...]:
        """The conflicts that involve the schedule `label`, in report order."""
        return tuple(c for c in self.conflicts if c.involves(label))
