"""Render a schedule into a Genesys Cloud schedule body (plain dicts).

The body is what `PUT /api/v2/outbound/schedules/{family}/{id}` takes, WITHOUT the
reference field (`campaign`, `sequence`, ...), `id` and `version`: the engine adds
those. See genesys-api.md §1.2 for the model.

GUESS (genesys-api.md §1.3, one place to change): explicit `intervals` are local
wall times in the schedule's `timeZone`, sent as ``YYYY-MM-DDTHH:MM:SS.000``
without a ``Z``. Recurrence `start`/`end` are the local wall times of the first
occurrence, ``YYYY-MM-DDTHH:MM:SS``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from gcsched.domain.days import GENESYS_DAY_NAMES, first_match
from gcsched.domain.dst import local_to_utc, zone
from gcsched.domain.effective import effective
from gcsched.domain.expansion import expand, expansion_range
from gcsched.domain.model import (
    DEFAULT_PROJECT,
    Alteration,
    DayRange,
    Schedule,
    Window,
)

__all__ = [
    "DEFAULT_PROJECT",
    "INTERVAL_FORMAT",
    "LOCAL_FORMAT",
    "OWNER_PREFIX",
    "PROJECT_PATTERN",
    "marker",
    "marker_label",
    "marker_project",
    "owned",
    "render_body",
]

OWNER_PREFIX = "gcsched:"
#: A project slug: lowercase letters, digits and inner hyphens, 1 to 20 characters.
PROJECT_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$"
_MARKED = re.compile(r"([a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?): ")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M:%S"
#: GUESS: interval strings are local wall time in `timeZone`, milliseconds, no `Z`.
INTERVAL_FORMAT = "%Y-%m-%dT%H:%M:%S.000"
#: The same as a UTC instant, for an org whose doctor fact is ``interval_time=utc``.
UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"
_DAY = timedelta(days=1)


def marker(project: str, label: str) -> str:
    """The `name` gcsched writes: ``gcsched:`` + project + label.

    The default project keeps the form written before projects existed
    (``gcsched: <label>``), so upgrading changes no body; any other project is
    ``gcsched:<project>: <label>``.
    """
    if project == DEFAULT_PROJECT:
        return f"{OWNER_PREFIX} {label}"
    return f"{OWNER_PREFIX}{project}: {label}"


def _split(name: object) -> tuple[str, str] | None:
    """(project, label) of a marked name, None when `name` carries no marker."""
    if not isinstance(name, str) or not name.startswith(OWNER_PREFIX):
        return None
    rest = name[len(OWNER_PREFIX) :]
    found = _MARKED.match(rest)
    if found is None:  # the old form "gcsched: label" (or "gcsched:label")
        return DEFAULT_PROJECT, rest.strip()
    return found.group(1), rest[found.end() :].strip()


def marker_project(name: object) -> str | None:
    """The project a schedule name's marker names (None: no marker).

    Markers written before projects existed count as `DEFAULT_PROJECT`.
    """
    split = _split(name)
    return None if split is None else split[0]


def marker_label(name: str) -> str:
    """The label of a name: without the marker (and its project) when it has one."""
    split = _split(name)
    return name if split is None else split[1]


def owned(body: Mapping[str, Any], project: str | None = None) -> bool:
    """True when the body's name marker says gcsched wrote it (for `project`).

    Only the marker: the engine's ownership decision also weighs the state
    store's ownership records (`gcsched.engine.ownership`).

    Args:
        body: a Genesys schedule body.
        project: the project the marker must name; None accepts any project.

    Returns:
        Whether `name` carries the marker (of `project`, when given).
    """
    found = marker_project(body.get("name"))
    return found is not None and (project is None or found == project)


def _interval(
    start: datetime, end: datetime, tz: tzinfo, interval_time: str
) -> dict[str, str]:
    """One interval from wall times in `tz`: as wall time, or (``utc``, an org's
    doctor fact) as the UTC instant with a ``Z``."""
    if interval_time == "utc":
        return {
            "start": start.replace(tzinfo=tz).astimezone(UTC).strftime(UTC_FORMAT),
            "end": end.replace(tzinfo=tz).astimezone(UTC).strftime(UTC_FORMAT),
        }
    return {
        "start": start.strftime(INTERVAL_FORMAT),
        "end": end.strftime(INTERVAL_FORMAT),
    }


def _one_off(
    start: datetime,
    end: datetime,
    zone_name: str,
    interval_time: str = "wall",
) -> dict[str, str] | None:
    """A one-off interval as expansion reads it (design.md Time rules).

    A boundary in a spring-forward gap is sent as the first instant after the gap
    (the wall time the warning and the report show), not as a time that does not
    exist; an interval wholly inside the gap is dropped, as expansion drops it.
    (An org that refuses starts in the past gets the body rendered again for the
    instant it is sent: `gcsched.domain.past`.)
    """
    utc_start = local_to_utc(start, zone_name, "start")[0]
    utc_end = local_to_utc(end, zone_name, "end")[0]
    if utc_end <= utc_start:
        return None
    tz = zone(zone_name)
    return _interval(
        utc_start.astimezone(tz).replace(tzinfo=None),
        utc_end.astimezone(tz).replace(tzinfo=None),
        tz,
        interval_time,
    )


def _alteration(kind: str, item: Alteration) -> dict[str, str]:
    if isinstance(item, DayRange):
        start = datetime.combine(item.start, datetime.min.time())
        end = datetime.combine(item.end + _DAY, datetime.min.time())
    else:
        start, end = item.start, item.end
    return {
        "type": kind,
        "start": start.strftime(LOCAL_FORMAT),
        "end": end.strftime(LOCAL_FORMAT),
    }


def _first_day(
    window: Window,
    schedule: Schedule,
    index: int,
    today: date,
    anchors: Mapping[int, date],
) -> date:
    eff = effective(window, schedule)
    base = eff.from_ or anchors.get(index) or today
    return first_match(window, base, eff.anchor) or base


def _recurrence(
    window: Window,
    schedule: Schedule,
    index: int,
    today: date,
    anchors: Mapping[int, date],
) -> dict[str, Any]:
    eff = effective(window, schedule)
    day = _first_day(window, schedule, index, today, anchors)
    overnight = window.end_of_day or window.end <= window.start
    start = datetime.combine(day, window.start)
    end = datetime.combine(day + _DAY if overnight else day, window.end)
    rec: dict[str, Any] = {
        "start": start.strftime(LOCAL_FORMAT),
        "end": end.strftime(LOCAL_FORMAT),
    }
    if eff.zone != schedule.time_zone:
        rec["timeZone"] = eff.zone
    if window.days is None:
        rec["pattern"] = {"type": "Daily", "interval": window.every}
    else:
        rec["pattern"] = {
            "type": "Weekly",
            "interval": window.every,
            "daysOfWeek": [GENESYS_DAY_NAMES[d] for d in sorted(window.days)],
        }
    if eff.count is not None:
        rec["range"] = {"type": "Numbered", "numberOfOccurrences": eff.count}
    elif eff.until is not None:
        rec["range"] = {"type": "EndDate", "end": f"{eff.until.isoformat()}T23:59:59"}
    else:
        rec["range"] = {"type": "NoEnd"}
    alterations = [_alteration("Exclusion", a) for a in eff.except_]
    alterations += [_alteration("Inclusion", a) for a in eff.include]
    if alterations:
        rec["alterations"] = alterations
    return rec


def render_body(
    schedule: Schedule,
    *,
    today: date,
    anchors: Mapping[int, date] | None = None,
    intervals_override: Sequence[tuple[datetime, datetime]] | None = None,
    horizon_days: int = 90,
    project: str = DEFAULT_PROJECT,
    interval_time: str = "wall",
) -> dict[str, Any]:
    """The Genesys schedule body of a schedule (no reference field, id or version).

    Args:
        schedule: the schedule.
        today: the current date; first occurrence of windows without `from`.
        anchors: window index → first-occurrence date taken from the existing
            schedule, so that a body without `from` stays the same day to day.
        intervals_override: UTC ranges to send as explicit intervals instead (a
            trimmed loser); no recurrences then.
        horizon_days: how far `render: intervals` expands an open-ended schedule.
        project: the file's project, named in the `name` marker (`marker`).
        interval_time: ``wall`` (default) or ``utc``: how interval times are
            written (the org's doctor fact).

    Returns:
        ``{"name", "timeZone", "intervals", "recurrences"}`` as plain dicts.
    """
    body: dict[str, Any] = {
        "name": marker(project, schedule.name or schedule.target.ref),
        "timeZone": schedule.time_zone,
    }
    tz = zone(schedule.time_zone)
    if intervals_override is not None or schedule.render == "intervals":
        if intervals_override is None:
            first, last = expansion_range(
                schedule, today=today, horizon_days=horizon_days
            )
            spans = [
                (o.start, o.end)
                for o in expand(
                    schedule, start=first, end=last, today=today
                ).occurrences
            ]
        else:
            spans = sorted(intervals_override)
        body["intervals"] = [
            _interval(
                s.astimezone(tz).replace(tzinfo=None),
                e.astimezone(tz).replace(tzinfo=None),
                tz,
                interval_time,
            )
            for s, e in spans
        ]
        body["recurrences"] = []
        return body
    body["intervals"] = [
        sent
        for i in schedule.intervals
        if (sent := _one_off(i.start, i.end, schedule.time_zone, interval_time))
        is not None
    ]
    body["recurrences"] = [
        _recurrence(w, schedule, i, today, anchors or {})
        for i, w in enumerate(schedule.windows)
    ]
    return body
