"""The data the HTML timeline embeds: epoch milliseconds the page's script draws.

Every instant is given twice: as UTC epoch milliseconds (placed on an absolute axis
in UTC, the viewer's or any zone) and as "wall" milliseconds (the local time in the
zone that applies, read as if it were UTC) so rows in different zones can be
aligned by their own wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gcsched.report.model import Holiday, Report, ReportConflict, ReportRow
from gcsched.report.offset_changes import offset_changes

__all__ = ["color", "opacity", "payload"]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _wall_ms(moment: datetime, zone: str) -> int:
    local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=UTC)
    return _ms(local)


def _day_ms(day: date, zone: str) -> tuple[int, int]:
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    wall = datetime.combine(day, time(0), tzinfo=UTC)
    return _ms(start), _ms(wall)


def color(index: int) -> str:
    """The colour of the row at `index` (golden-angle hues, distinct neighbours)."""
    hue = (index * 137.508 + 210) % 360
    return f"hsl({hue:.0f} 62% 46%)"


def opacity(priority: int) -> float:
    """Fill opacity for a priority 1..10: low priorities are paler."""
    return round(0.3 + 0.7 * (max(1, min(priority, 10)) - 1) / 9, 2)


def _day_span(first: date, last: date, zone: str) -> list[int]:
    """[start_utc, end_utc, start_wall, end_wall] of local days first..last."""
    u0, w0 = _day_ms(first, zone)
    u1, w1 = _day_ms(last + timedelta(days=1), zone)
    return [u0, u1, w0, w1]


def _row_holidays(row: ReportRow, holidays: tuple[Holiday, ...]) -> list[list[int]]:
    """The holidays this row's schedule excludes, in its own zone, with their index."""
    return [
        [*_day_span(h.start, h.end, row.zone), i]
        for i, h in enumerate(holidays)
        if row.label in h.labels
    ]


def _row_data(index: int, row: ReportRow, report: Report) -> dict[str, Any]:
    zones = [row.zone]
    occ: list[list[int]] = []
    for o in row.occurrences:
        if o.zone not in zones:
            zones.append(o.zone)
        occ.append(
            [
                _ms(o.start),
                _ms(o.end),
                _wall_ms(o.start, o.zone),
                _wall_ms(o.end, o.zone),
                zones.index(o.zone),
            ]
        )
    occ.sort()
    excluded = [_day_span(day, day, row.zone) for day in row.excluded]
    return {
        "label": row.label,
        "kind": row.kind,
        "name": row.name,
        "zone": row.zone,
        "occZones": zones,
        "priority": row.priority,
        "audience": row.audience,
        "trimmed": row.trimmed,
        "color": color(index),
        "opacity": opacity(row.priority),
        "occ": occ,
        "ex": excluded,
        "hol": _row_holidays(row, report.holidays),
        "nc": [
            [_ms(a), _ms(b), _wall_ms(a, row.zone), _wall_ms(b, row.zone)]
            for a, b in row.no_call
        ],
    }


def _aria(c: ReportConflict) -> str:
    winner = f", winner {c.winner}" if c.winner else ""
    audience = f", audience {c.contact_list}" if c.contact_list else ""
    return (
        f"Conflict ({c.type}) between {c.campaigns[0]} and {c.campaigns[1]}"
        f"{audience}, resolution {c.resolution}{winner}"
    )


def _conflict_data(
    c: ReportConflict, index: dict[str, int], rows: tuple[ReportRow, ...]
) -> dict[str, Any]:
    positions = [index.get(label, -1) for label in c.campaigns]
    wall = []
    for pos in positions:
        zone = rows[pos].zone if pos >= 0 else "UTC"
        wall.append([_wall_ms(c.start, zone), _wall_ms(c.end, zone)])
    return {
        "type": c.type,
        "campaigns": list(c.campaigns),
        "rows": positions,
        "contact_list": c.contact_list,
        "utc": [_ms(c.start), _ms(c.end)],
        "wall": wall,
        "resolution": c.resolution,
        "winner": c.winner,
        "reason": c.reason,
        "aria": _aria(c),
    }


def _dst(report: Report) -> dict[str, list[list[Any]]]:
    """Zone → its offset changes in the range: [at_utc, at_wall, text, forward]."""
    out: dict[str, list[list[Any]]] = {}
    for zone in sorted({row.zone for row in report.rows}):
        changes = offset_changes(zone, report.start, report.end)
        if changes:
            out[zone] = [
                [_ms(c.at), _ms(c.wall.replace(tzinfo=UTC)), c.describe(), c.forward]
                for c in changes
            ]
    return out


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def open_on(report: Report) -> str:
    """The day the page opens on: the first window from today's week on.

    When today is in the range, the first window that runs on or after the
    Monday of today's week; else (or when none does) the first window of the
    range; the range's first day when there is no window at all. Days are the
    windows' local dates in their own zone.
    """
    today = report.today
    monday = None
    if today is not None and report.start <= today <= report.end:
        monday = today - timedelta(days=today.weekday())
    firsts: list[date] = []
    later: list[date] = []
    for row in report.rows:
        if not row.occurrences:
            continue
        first = row.occurrences[0]
        firsts.append(_local_day(first.start, first.zone))
        if monday is not None:
            for o in row.occurrences:
                if _local_day(o.end, o.zone) >= monday:
                    later.append(max(_local_day(o.start, o.zone), monday))
                    break
    chosen = min(later or firsts, default=report.start)
    return max(chosen, report.start).isoformat()


def payload(report: Report) -> dict[str, Any]:
    """The data the page's script draws (also handy for tests).

    Args:
        report: the report to draw.

    Returns:
        A JSON-able dict: range, rows with occurrences as epoch milliseconds
        ``[start_utc, end_utc, start_wall, end_wall, zone_index]`` (wall = the
        local time read as if it were UTC), the holidays each row excludes
        (``hol``: day spans with the holiday's index), conflicts, holidays, the
        zones' offset changes (``dst``) and the day the page opens on.
    """
    index = {row.label: i for i, row in enumerate(report.rows)}
    days = (report.end - report.start).days + 1
    return {
        "title": report.title,
        "source": report.source,
        "range": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "today": report.today.isoformat() if report.today else None,
        "default_view": "month" if days > 35 else "week" if days <= 7 else "range",
        "open_on": open_on(report),
        "rows": [_row_data(i, row, report) for i, row in enumerate(report.rows)],
        "dst": _dst(report),
        "audience_warning": report.audience_warning,
        "conflicts": [_conflict_data(c, index, report.rows) for c in report.conflicts],
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
    }
