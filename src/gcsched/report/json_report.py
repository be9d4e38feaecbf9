"""`report --format json`: the report as one JSON-able dict (design.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from gcsched.plan import conflict_data
from gcsched.report.model import Report, ReportConflict, ReportOccurrence, ReportRow

__all__ = ["FORMAT_VERSION", "iso_local", "iso_utc", "to_json"]

FORMAT_VERSION = 1


def iso_utc(moment: datetime) -> str:
    """ISO-8601 of an aware instant in UTC, with a trailing ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_local(moment: datetime, zone: str) -> str:
    """ISO-8601 of an aware instant as wall time in `zone`, with its UTC offset."""
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _occurrence(occ: ReportOccurrence, row_zone: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "start": iso_local(occ.start, occ.zone),
        "end": iso_local(occ.end, occ.zone),
        "start_utc": iso_utc(occ.start),
        "end_utc": iso_utc(occ.end),
    }
    if occ.zone != row_zone:
        data["time_zone"] = occ.zone
    return data


def _conflict(conflict: ReportConflict) -> dict[str, Any]:
    """`plan --json`'s conflict object, plus the reason."""
    return {**conflict_data(conflict), "reason": conflict.reason}


def _row(report: Report, row: ReportRow) -> dict[str, Any]:
    return {
        "label": row.label,
        "kind": row.kind,
        "name": row.name,
        "time_zone": row.zone,
        "priority": row.priority,
        "audience": row.audience,
        "trimmed": row.trimmed,
        "occurrences": [_occurrence(o, row.zone) for o in row.occurrences],
        "excluded_dates": [d.isoformat() for d in row.excluded],
        "conflicts": [_conflict(c) for c in report.conflicts_of(row.label)],
        "warnings": list(row.warnings),
        **(
            {}
            if report.compliance is None
            else {
                "compliance": [
                    f.data()
                    for f in report.compliance.findings
                    if f.schedule == row.label
                ]
            }
        ),
    }


def _warnings(report: Report) -> list[str]:
    """The audience warning first (the loudest), then the check's warnings."""
    first = [report.audience_warning] if report.audience_warning else []
    return [*first, *report.warnings]


def to_json(report: Report) -> dict[str, Any]:
    """Render a report as design.md's `report --format json` object.

    Occurrences carry `start`/`end` as ISO-8601 wall time with the UTC offset of
    the zone that applies (the schedule's, or the window's override, then named in
    `time_zone`), plus `start_utc`/`end_utc`; conflicts are listed once at the top
    level and again under each schedule they involve. `audiences` says where the
    conflict check's audiences came from ("org" or "file"); when they may miss
    conflicts, `warnings` starts with the report's audience warning.

    Args:
        report: the report to render.

    Returns:
        A dict of plain JSON types (`json.dumps` it as is).
    """
    return {
        "format_version": FORMAT_VERSION,
        "title": report.title,
        "source": report.source,
        "audiences": report.audiences,
        "range": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "schedules": [_row(report, row) for row in report.rows],
        "conflicts": [_conflict(c) for c in report.conflicts],
        "holidays": [
            {
                "start": h.start.isoformat(),
                "end": h.end.isoformat(),
                "name": h.name,
                "calendar": h.calendar,
                "schedules": list(h.labels),
            }
            for h in report.holidays
        ],
        "warnings": _warnings(report),
        **(
            {}
            if report.compliance is None
            else {
                "compliance": report.compliance.data(),
                "compliance_mode": report.compliance.mode,
            }
        ),
    }
