"""The data the HTML timeline embeds: epoch milliseconds the page's script draws.

Every instant is given twice: as UTC epoch milliseconds (placed on an absolute axis
in UTC, the viewer's or any zone) and as "wall" milliseconds (the local time in the
zone that applies, read as if it were UTC) so rows in different zones can be
aligned by their own wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from gcsched.report.model import Report, ReportConflict, ReportRow

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


def _row_data(index: int, row: ReportRow) -> dict[str, Any]:
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
    excluded = []
    for day in row.excluded:
        u0, w0 = _day_ms(day, row.zone)
        u1, w1 = _day_ms(date.fromordinal(day.toordinal() + 1), row.zone)
        excluded.append([u0, u1, w0, w1])
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


def payload(report: Report) -> dict[str, Any]:
    """The data the page's script draws (also handy for tests).

    Args:
        report: the report to draw.

    Returns:
        A JSON-able dict: range, rows with occurrences as epoch milliseconds
        ``[start_utc, end_utc, start_wall, end_wall, zone_index]`` (wall = the
        local time read as if it were UTC), conflicts, holidays.
    """
    index = {row.label: i for i, row in enumerate(report.rows)}
    days = (report.end - report.start).days + 1
    return {
        "title": report.title,
        "source": report.source,
        "range": {"start": report.start.isoformat(), "end": report.end.isoformat()},
        "today": report.today.isoformat() if report.today else None,
        "default_view": "month" if days > 35 else "week" if days <= 7 else "range",
        "rows": [_row_data(i, row) for i, row in enumerate(report.rows)],
        "conflicts": [_conflict_data(c, index, report.rows) for c in report.conflicts],
        "holidays": [
            {
                "start": h.start.isoformat(),
                "end": h.end.isoformat(),
                "name": h.name,
                "calendar": h.calendar,
            }
            for h in report.holidays
        ],
    }
