"""Genesys's contact-local guards: the hours the dialer allows a contact, locally.

A campaign schedule runs in its own zone; Genesys holds contacts to their own
local hours only through two guards (compliance-drift-research.md §1.8):

* **Automatic time-zone mapping (ATZM)**, a contact list flag under org-wide
  windows (``OutboundSettings.automaticTimeZoneMapping.callableWindows``): a
  contact mapped to a zone (NANP only: US and Canada) is dialled in the
  ``mapped`` window of that zone's local time; one that cannot be mapped in
  the ``unmapped`` window of *its* zone (default 14:00-20:00 Eastern). ATZM
  takes the intersection of every zone a record maps to, per record; this
  model is per zone, which is the same for a record in one zone and never
  narrower for one in several. A contact that cannot be mapped may live in
  any zone, so on a list that has some, the unmapped window joins the mapped
  one everywhere. Dialing "stops 1 minute before the end", so a window ends
  one minute early.
* **A callable time set** on the campaign: per callable time (a zone and its
  slots per weekday), matched to a contact by the list's zone column. Its
  value must equal the callable time's ``name`` (terraform-provider-genesyscloud
  #2129); a zone is matched here by the callable time's zone, then its name.

Windows are ``[start, end)`` local wall times on one local date; an end of
`END_OF_DAY` means midnight. Everything here is pure: the engine reads the
JSON, this module only interprets it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "ATZM_STOP_EARLY",
    "DEFAULT_MAPPED",
    "DEFAULT_UNMAPPED",
    "END_OF_DAY",
    "AtzmGuard",
    "ContactLocalGuard",
    "ListZones",
    "TimeSetGuard",
    "Window",
    "atzm_guard",
    "in_zone",
    "list_zones",
    "time_set_guard",
    "zone_columns",
]

Window = tuple[time, time]
"""A contact-local ``[start, end)`` on one date; `END_OF_DAY` ends at midnight."""

END_OF_DAY: Final = time.max
#: "The system stops dialing one minute before the end of the compliant dialing
#: time" (help.mypurecloud.com/articles/automatic-time-zone-mapping-examples).
ATZM_STOP_EARLY: Final = timedelta(minutes=1)
#: Genesys's default ATZM windows (same article): mapped 08:00-21:00 in the
#: contact's zone, unmapped 14:00-20:00 Eastern.
DEFAULT_MAPPED: Final[Window] = (time(8), time(21))
DEFAULT_UNMAPPED: Final = (time(14), time(20), "America/New_York")


class ContactLocalGuard(Protocol):
    """What a guard says, by shape (the compliance check's protocol)."""

    def windows(self, zone: str, day: date) -> tuple[Window, ...] | None:
        """Contact-local windows the dialer allows on `day` in IANA `zone`;
        None when this guard says nothing about that zone."""


def _merge(windows: Iterable[Window]) -> tuple[Window, ...]:
    out: list[Window] = []
    for start, end in sorted(w for w in windows if w[0] < w[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    if at == END_OF_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, at, tzinfo=zone)


def in_zone(
    windows_on: Callable[[date], Sequence[Window]],
    source: str,
    target: str,
    day: date,
) -> tuple[Window, ...]:
    """Windows local to `source` (per its dates), as `target` sees them on `day`.

    A window of the day before or after may reach into `day` in the target's
    wall time; DST on either side counts. Zones that do not exist give nothing.
    """
    if source == target:
        return _merge(windows_on(day))
    src, dst = _zone(source), _zone(target)
    if src is None or dst is None:
        return ()
    day_start = datetime.combine(day, time(0), tzinfo=dst).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=dst)
    day_end_utc = day_end.astimezone(UTC)
    out: list[Window] = []
    for offset in (-1, 0, 1):
        local_day = day + timedelta(days=offset)
        for start, end in windows_on(local_day):
            begin = max(_instant(local_day, start, src).astimezone(UTC), day_start)
            finish = min(_instant(local_day, end, src).astimezone(UTC), day_end_utc)
            if begin >= finish:
                continue
            last = (
                END_OF_DAY if finish == day_end_utc else finish.astimezone(dst).time()
            )
            out.append((begin.astimezone(dst).time(), last))
    return _merge(out)


def _every_day(window: Window) -> Callable[[date], tuple[Window, ...]]:
    def on(_day: date) -> tuple[Window, ...]:
        return (window,)

    return on


def _hhmm(text: Any) -> time | None:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        return None


def _less_a_minute(window: Window) -> Window:
    start, end = window
    if end == END_OF_DAY:
        return start, time(23, 59)
    base = date(2000, 1, 2)
    stop = datetime.combine(base, end) - ATZM_STOP_EARLY
    return (start, stop.time()) if stop.date() == base else (start, start)


@dataclass(frozen=True, slots=True)
class AtzmGuard:
    """Automatic time-zone mapping on a contact list, under the org's windows.

    Attributes:
        mapped: the window of a contact mapped to a zone, in that zone.
        unmapped: (start, end, zone) of contacts that cannot be mapped.
        mappable: the zones ATZM maps contacts to (the supported countries').
        unmapped_contacts: whether the list may hold contacts ATZM cannot map
            (its preview counts some in the default window, or is unknown):
            such a contact may live in any zone, a mappable one too.
    """

    mapped: tuple[Window, ...] = (DEFAULT_MAPPED,)
    unmapped: tuple[tuple[time, time, str], ...] = (DEFAULT_UNMAPPED,)
    mappable: frozenset[str] = frozenset()
    unmapped_contacts: bool = True
    kind: str = field(default="atzm", init=False)

    def windows(self, zone: str, day: date) -> tuple[Window, ...] | None:
        """What the dialer may allow a contact in `zone`: `mapped` in a mappable
        zone, joined by the `unmapped` window seen from `zone` when the list
        has unmapped contacts (the only window outside mappable zones); both
        end a minute early."""
        out: list[Window] = []
        if zone in self.mappable:
            out.extend(_less_a_minute(w) for w in self.mapped)
            if not self.unmapped_contacts:
                return _merge(out)
        for start, end, where in self.unmapped:
            window = _less_a_minute((start, end))
            out.extend(in_zone(_every_day(window), where, zone, day))
        return _merge(out)

    def describe(self) -> str:
        """One line for plan output: the windows as the org sets them."""
        mapped = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.mapped)
        unmapped = ", ".join(f"{s:%H:%M}-{e:%H:%M} {z}" for s, e, z in self.unmapped)
        return (
            f"automatic time-zone mapping: mapped {mapped or 'none'} local, "
            f"unmapped {unmapped or 'none'}"
        )


def atzm_guard(settings: Mapping[str, Any], mappable: frozenset[str]) -> AtzmGuard:
    """The ATZM guard of an org's ``OutboundSettings``.

    Every ``callableWindows`` entry counts (their union: what the dialer may
    allow); an org that sets none gets Genesys's defaults. `mappable` is the
    set of zones of the supported countries (the engine reads tzdata).
    """
    atzm = settings.get("automaticTimeZoneMapping") or {}
    mapped: list[Window] = []
    unmapped: list[tuple[time, time, str]] = []
    for window in atzm.get("callableWindows") or []:
        slot = window.get("mapped") or {}
        start = _hhmm(slot.get("earliestCallableTime"))
        end = _hhmm(slot.get("latestCallableTime"))
        if start is not None and end is not None:
            mapped.append((start, end))
        slot = window.get("unmapped") or {}
        start = _hhmm(slot.get("earliestCallableTime"))
        end = _hhmm(slot.get("latestCallableTime"))
        where = slot.get("timeZoneId")
        if start is not None and end is not None and isinstance(where, str):
            unmapped.append((start, end, where))
    return AtzmGuard(
        mapped=_merge(mapped) if mapped else (DEFAULT_MAPPED,),
        unmapped=tuple(unmapped) if unmapped else (DEFAULT_UNMAPPED,),
        mappable=mappable,
    )


@dataclass(frozen=True, slots=True)
class CallableTime:
    """One callable time of a set: its name, zone and windows per ISO weekday."""

    name: str | None
    zone: str
    slots: Mapping[int, tuple[Window, ...]]

    def on(self, day: date) -> tuple[Window, ...]:
        """The slots of `day`'s ISO weekday, local to `zone`."""
        return self.slots.get(day.isoweekday(), ())


@dataclass(frozen=True, slots=True)
class TimeSetGuard:
    """A campaign's callable time set, matched to contacts by their zone column."""

    name: str
    times: tuple[CallableTime, ...]
    kind: str = field(default="callable_time_set", init=False)

    def windows(self, zone: str, day: date) -> tuple[Window, ...] | None:
        """The slots of the callable time for `zone` (by zone, then by name) on
        `day`'s weekday, in `zone`'s wall time; None when no callable time is
        for that zone (what Genesys then does is not documented)."""
        found = [t for t in self.times if t.zone == zone] or [
            t for t in self.times if t.name == zone
        ]
        if not found:
            return None
        out: list[Window] = []
        for entry in found:
            out.extend(in_zone(entry.on, entry.zone, zone, day))
        return _merge(out)

    def zones(self) -> tuple[str, ...]:
        """The zones the set has slots for."""
        return tuple(dict.fromkeys(t.zone for t in self.times))

    def describe(self) -> str:
        """One line for plan output."""
        return f"callable time set {self.name} ({', '.join(self.zones()) or 'empty'})"


def time_set_guard(time_set: Mapping[str, Any]) -> TimeSetGuard:
    """The guard of a ``CallableTimeSet`` body.

    A slot whose stop is not after its start runs to midnight; slots that do
    not parse are left out (the set says nothing for them).
    """
    times: list[CallableTime] = []
    for entry in time_set.get("callableTimes") or []:
        zone = entry.get("timeZoneId")
        if not isinstance(zone, str):
            continue
        slots: dict[int, list[Window]] = {}
        for slot in entry.get("timeSlots") or []:
            start, stop = _hhmm(slot.get("startTime")), _hhmm(slot.get("stopTime"))
            day = slot.get("day")
            if start is None or stop is None or not isinstance(day, int):
                continue
            slots.setdefault(day, []).append(
                (start, stop if stop > start else END_OF_DAY)
            )
        name = entry.get("name")
        times.append(
            CallableTime(
                name if isinstance(name, str) else None,
                zone,
                {day: _merge(ws) for day, ws in slots.items()},
            )
        )
    return TimeSetGuard(str(time_set.get("name") or time_set.get("id")), tuple(times))


def zone_columns(contact_list: Mapping[str, Any]) -> tuple[str, ...]:
    """The list's zone columns for callable times (phone, email, WhatsApp)."""
    found: list[str] = []
    for key, fields in (
        ("phoneColumns", ("callableTimeColumnName", "callableTimeColumn")),
        ("emailColumns", ("contactableTimeColumnName", "contactableTimeColumn")),
        ("whatsAppColumns", ("contactableTimeColumnName", "contactableTimeColumn")),
    ):
        for column in contact_list.get(key) or []:
            if not isinstance(column, Mapping):
                continue
            found.extend(
                str(column[f]) for f in fields if isinstance(column.get(f), str)
            )
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class ListZones:
    """Which zones a contact list really spans (its time-zone mapping preview).

    Attributes:
        counts: contacts per IANA zone (``contactsPerTimeZone``).
        in_default_window: contacts no zone was found for (``unmapped``).
        size: the list's size as the preview counted it.
    """

    counts: Mapping[str, int]
    in_default_window: int = 0
    size: int = 0

    @property
    def zones(self) -> frozenset[str]:
        """The zones with at least one contact."""
        return frozenset(z for z, n in self.counts.items() if n > 0)


def list_zones(preview: Mapping[str, Any]) -> ListZones:
    """The `ListZones` of a ``TimeZoneMappingPreview`` body."""
    raw = preview.get("contactsPerTimeZone") or {}
    counts = {str(z): int(n) for z, n in raw.items() if isinstance(n, int)}
    default = preview.get("contactsInDefaultWindow")
    size = preview.get("contactListSize")
    return ListZones(
        counts=counts,
        in_default_window=default if isinstance(default, int) else 0,
        size=size if isinstance(size, int) else 0,
    )
