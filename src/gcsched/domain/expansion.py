"""Expansion of a schedule into occurrences, by design.md's Time rules.

Decisions (also in docs):

- Windows expand in local wall time of their effective zone; occurrences are
  half-open ``[start, end)`` in UTC. DST boundaries follow `gcsched.domain.dst`.
- `count` counts *pattern* occurrences from `from` (without one, from `today`, where
  the rendered recurrence starts; from the first expanded day when no `today` is
  given), as a Genesys Numbered range counts recurrence occurrences: an excluded
  day still uses up one of them, and included days do not count. The expanded
  range only clips those occurrences, it never moves them.
- An excluded day removes every instant of that local day from every window,
  clipping overnight windows at midnight; timed exclusions remove their own range.
  A day that is both excluded and included runs (Genesys: inclusion wins).
- An included day adds the windows that start on it, even outside from/until;
  a timed inclusion is an occurrence of its own (window None).
- One-off `intervals` are occurrences (window None); alterations do not touch them
  (in Genesys, alterations belong to recurrences).
- Occurrences of one schedule that overlap are merged, with a warning.
- Warnings of one kind (overlaps; spring-forward and fall-back shifts of starts,
  and of ends; windows dropped in a gap) are grouped per schedule: the first
  message, with how many there were and the first and last date.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import cast

from gcsched.domain.days import day_extent, day_ordinals, nth_match, pattern_dates
from gcsched.domain.dst import Shift, day_base, local_to_utc, utc_offset_label, zone
from gcsched.domain.effective import effective
from gcsched.domain.intervals import Span, subtract
from gcsched.domain.model import Schedule, TimedRange, Window

__all__ = ["MAX_SPAN_DAYS", "Expansion", "Occurrence", "expand", "expansion_range"]

MAX_SPAN_DAYS = 3660
#: A raw occurrence: (start, window key, end, zone, window); the key (-1 for no
#: window) sorts occurrences with one start in window order, then by end.
_Row = tuple[datetime, int, datetime, str, int | None]
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One run of a schedule: ``[start, end)`` in UTC.

    `zone` is the zone its wall times were read in; `window` the index into
    `schedule.windows`, or None for one-off intervals and timed inclusions.
    """

    start: datetime
    end: datetime
    zone: str
    window: int | None

    @property
    def local_start(self) -> datetime:
        """The start as an aware datetime in `zone`."""
        return self.start.astimezone(zone(self.zone))

    @property
    def local_end(self) -> datetime:
        """The end as an aware datetime in `zone`."""
        return self.end.astimezone(zone(self.zone))


_new_object = object.__new__
_SET_START, _SET_END, _SET_ZONE, _SET_WINDOW = (
    vars(Occurrence)[name].__set__ for name in ("start", "end", "zone", "window")
)


def _occurrence(
    start: datetime, end: datetime, zone_name: str, window: int | None
) -> Occurrence:
    """`Occurrence(start, end, zone_name, window)`, about twice as fast.

    A frozen dataclass sets each field through `object.__setattr__`; writing
    the slots directly gives the same object (a test compares them), which
    matters when a year of 1,000 schedules makes 300,000 of them.
    """
    occurrence = _new_object(Occurrence)
    _SET_START(occurrence, start)
    _SET_END(occurrence, end)
    _SET_ZONE(occurrence, zone_name)
    _SET_WINDOW(occurrence, window)
    return occurrence


@dataclass(frozen=True, slots=True)
class Expansion:
    """A schedule's occurrences over a date range, with what was adjusted.

    `occurrences` are sorted by start, then window; `excluded` holds the local
    dates of the range that `except` removed.
    """

    schedule: Schedule
    occurrences: tuple[Occurrence, ...]
    warnings: tuple[str, ...]
    excluded: tuple[date, ...]


def expansion_range(
    schedule: Schedule, *, today: date, horizon_days: int
) -> tuple[date, date]:
    """The inclusive local dates to expand a schedule over.

    Open-ended windows run `horizon_days` from max(`from`, today); finite ones from
    `from` (today without one) to `until`, or to the `count`-th occurrence. One-off
    intervals and inclusions extend the range. At most 3660 days.

    Args:
        schedule: the schedule.
        today: the current local date (passed in, never read).
        horizon_days: how far open-ended windows are expanded.

    Returns:
        ``(first, last)`` dates, inclusive.
    """
    lows: list[date] = []
    highs: list[date] = []
    for window in schedule.windows:
        eff = effective(window, schedule)
        if eff.finite:
            first = eff.from_ or today
            last = eff.until
            if eff.count is not None:
                nth = nth_match(window, first, eff.anchor, eff.count) or first
                last = nth if last is None else min(last, nth)
            assert last is not None  # finite: until or count
            lows.append(first)
            highs.append(max(first, last))
        else:
            first = max(eff.from_, today) if eff.from_ else today
            lows.append(first)
            highs.append(first + timedelta(days=max(horizon_days, 1) - 1))
        extent = day_extent(eff.include)
        if extent is not None:
            highs.append(extent[1])
            if eff.finite:
                lows.append(extent[0])
    extras = list(schedule.intervals) + [
        a
        for w in schedule.windows
        for a in effective(w, schedule).include
        if isinstance(a, TimedRange)
    ]
    for item in extras:
        highs.append(item.start.date())
        if schedule.finite:
            lows.append(item.start.date())
    if not lows:
        return today, today
    low = min(lows)
    high = max(highs)
    return low, min(high, low + timedelta(days=MAX_SPAN_DAYS))


class _Collector:
    """Raw occurrences and ordered, grouped warnings of one expansion.

    A warning of a kind that repeats day after day (overlaps, DST shifts) is
    kept once per kind: the first message, how many distinct ones there were and
    the first and last date they name.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.raw: list[_Row] = []
        self._groups: dict[str, _Group] = {}

    def warn(self, kind: str, day: date, message: str) -> None:
        group = self._groups.get(kind)
        if group is None:
            self._groups[kind] = _Group(message, {message}, day, day)
            return
        if message in group.seen:
            return
        group.seen.add(message)
        if day < group.first:
            group.message, group.first = message, day
        group.last = max(group.last, day)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"{self.label}: {g.text}" for g in self._groups.values())

    def shift(self, shift: Shift, zone_name: str) -> None:
        local_day = shift.local.date()
        day = local_day.isoformat()
        asked = shift.local.strftime("%H:%M")
        verb = "starts" if shift.edge == "start" else "ends"
        if shift.kind == "gap":
            now = shift.utc.astimezone(zone(zone_name)).strftime("%H:%M")
            self.warn(
                f"gap {shift.edge}",
                local_day,
                f"{day} {zone_name}: {asked} does not exist (spring forward); "
                f"the window {verb} at {now}",
            )
        else:
            which = "first" if shift.edge == "start" else "second"
            offset = utc_offset_label(shift.utc, zone_name)
            self.warn(
                f"fold {shift.edge}",
                local_day,
                f"{day} {zone_name}: {asked} occurs twice (fall back); "
                f"the window {verb} at the {which} {asked} ({offset})",
            )

    def add(self, span: Span, zone_name: str, window: int | None) -> None:
        key = -1 if window is None else window
        self.raw.append((span[0], key, span[1], zone_name, window))

    def convert(self, start: datetime, end: datetime, zone_name: str) -> Span | None:
        """Local [start, end) to UTC with warnings; None when nothing is left."""
        utc_start, first = local_to_utc(start, zone_name, "start")
        utc_end, second = local_to_utc(end, zone_name, "end")
        if utc_end <= utc_start:
            self.warn(
                "dropped",
                start.date(),
                f"{start.date().isoformat()} {zone_name}: the window "
                f"{start:%H:%M}–{end:%H:%M} lies inside the spring-forward gap; "
                "dropped that day",
            )
            return None
        if first is not None:
            self.shift(first, zone_name)
        if second is not None:
            self.shift(second, zone_name)
        return utc_start, utc_end


@dataclass(slots=True)
class _Group:
    """One kind of warning: its first message, every distinct one, their dates."""

    message: str
    seen: set[str]
    first: date
    last: date

    @property
    def text(self) -> str:
        count = len(self.seen)
        if count == 1:
            return self.message
        if self.first == self.last:
            return f"{self.message} ({count:,} times on {self.first.isoformat()})"
        return (
            f"{self.message} ({count:,} times, "
            f"{self.first.isoformat()} to {self.last.isoformat()})"
        )


def _day_span(ordinal: int, zone_name: str) -> Span:
    midnight = datetime.fromordinal(ordinal)
    return (
        local_to_utc(midnight, zone_name, "start")[0],
        local_to_utc(midnight + _DAY, zone_name, "end")[0],
    )


def expand(
    schedule: Schedule, *, start: date, end: date, today: date | None = None
) -> Expansion:
    """Expand a schedule into the occurrences whose local start date is in range.

    Args:
        schedule: the schedule.
        start: first local date (inclusive).
        end: last local date (inclusive).
        today: where `count` starts counting for a window without `from` (as the
            rendered body does); None counts from `start`.

    Returns:
        The `Expansion`: occurrences sorted by start then window, warnings (DST
        adjustments, merged overlaps) and the excluded dates of the range.
    """
    out = _Collector(schedule.label)
    first_ord, last_ord = start.toordinal(), end.toordinal()
    excluded: set[int] = set()
    timed_inclusions: dict[tuple[datetime, datetime, str], None] = {}
    for index, window in enumerate(schedule.windows):
        eff = effective(window, schedule)
        low = max(start, eff.from_) if eff.from_ else start
        high = min(end, eff.until) if eff.until else end
        if eff.count is not None:
            origin = eff.from_ or today or start
            low = max(low, origin)
            nth = nth_match(window, origin, eff.anchor, eff.count)
            high = min(high, nth) if nth is not None else low - _DAY
        # Clipped to the range (and the day after it, for overnight windows).
        included = day_ordinals(eff.include, low=first_ord, high=last_ord + 1)
        skip = day_ordinals(eff.except_, low=first_ord, high=last_ord + 1) - included
        excluded.update(o for o in skip if first_ord <= o <= last_ord)
        holes_timed: list[Span] = []
        for alteration in eff.except_:
            if isinstance(alteration, TimedRange):
                holes_timed.append(
                    (
                        local_to_utc(alteration.start, eff.zone, "start")[0],
                        local_to_utc(alteration.end, eff.zone, "end")[0],
                    )
                )
        for alteration in eff.include:
            if isinstance(alteration, TimedRange):
                key = (alteration.start, alteration.end, eff.zone)
                if first_ord <= alteration.start.toordinal() <= last_ord:
                    timed_inclusions.setdefault(key, None)
        days = _pattern_ordinals(window, low, high, eff.anchor)
        days.update(o for o in included if first_ord <= o <= last_ord)
        overnight = window.end_of_day or window.end <= window.start
        start_at = _since_midnight(window.start)
        end_at = _since_midnight(window.end)
        end_shift = 1 if overnight else 0
        raw = out.raw
        zone_name = eff.zone
        if not holes_timed and not overnight:
            # Each day not excluded gives exactly its window: one row per day,
            # by midnight's UTC instant (cached per zone and day) where DST
            # does not change that day.
            wanted = [o for o in sorted(days) if o not in skip]
            bases = [day_base(zone_name, o) for o in wanted]
            rows = [
                (base + start_at, index, base + end_at, zone_name, index)
                if base is not None
                else _converted(
                    out,
                    ordinal,
                    start_at=start_at,
                    end_at=end_at,
                    zone_name=zone_name,
                    index=index,
                )
                for ordinal, base in zip(wanted, bases, strict=True)
            ]
            if None in bases:  # a DST day: its row may be None (in the gap)
                raw.extend([row for row in rows if row is not None])
            else:
                raw.extend(cast("list[_Row]", rows))
            continue
        plain = not holes_timed and not skip
        for ordinal in sorted(days):
            if not plain and ordinal in skip and not overnight:
                continue
            base = day_base(zone_name, ordinal)
            base_end = day_base(zone_name, ordinal + 1) if overnight else base
            if base is not None and base_end is not None:
                span: Span | None = (base + start_at, base_end + end_at)
            else:
                span = out.convert(
                    datetime.fromordinal(ordinal) + start_at,
                    datetime.fromordinal(ordinal + end_shift) + end_at,
                    zone_name,
                )
            if span is None:
                continue
            if plain or (
                not holes_timed and ordinal not in skip and ordinal + 1 not in skip
            ):
                raw.append((span[0], index, span[1], zone_name, index))
                continue
            holes = list(holes_timed)
            if ordinal in skip:
                holes.append(_day_span(ordinal, eff.zone))
            if overnight and ordinal + 1 in skip:
                holes.append(_day_span(ordinal + 1, eff.zone))
            for piece in subtract(span, holes) if holes else (span,):
                out.add(piece, eff.zone, index)
    for start_local, end_local, zone_name in timed_inclusions:
        span = out.convert(start_local, end_local, zone_name)
        if span is not None:
            out.add(span, zone_name, None)
    for interval in schedule.intervals:
        if first_ord <= interval.start.toordinal() <= last_ord:
            span = out.convert(interval.start, interval.end, schedule.time_zone)
            if span is not None:
                out.add(span, schedule.time_zone, None)
    presorted = (
        len(schedule.windows) <= 1 and not timed_inclusions and not schedule.intervals
    )
    occurrences = _merge_own(out, presorted=presorted)
    return Expansion(
        schedule=schedule,
        occurrences=occurrences,
        warnings=out.warnings,
        excluded=tuple(date.fromordinal(o) for o in sorted(excluded)),
    )


def _converted(
    out: _Collector,
    ordinal: int,
    *,
    start_at: timedelta,
    end_at: timedelta,
    zone_name: str,
    index: int,
) -> _Row | None:
    """The row of a same-day window on a day DST changes (None: in the gap)."""
    midnight = datetime.fromordinal(ordinal)
    span = out.convert(midnight + start_at, midnight + end_at, zone_name)
    return None if span is None else (span[0], index, span[1], zone_name, index)


def _since_midnight(clock: time) -> timedelta:
    return timedelta(hours=clock.hour, minutes=clock.minute, seconds=clock.second)


def _name(window: int | None) -> str:
    return "a one-off interval" if window is None else f"window {window}"


def _pattern_ordinals(window: Window, low: date, high: date, anchor: date) -> set[int]:
    """The ordinals of `pattern_dates(window, low, high, anchor)`, computed fast.

    A pattern repeats every `every` days (daily) or `every` weeks (weekly), so the
    dates of its first period are found by `pattern_dates` and shifted by whole
    periods; a test checks this equals listing every date.
    """
    if low > high:
        return set()
    period = max(window.every, 1) * (1 if window.days is None else 7)
    last = high.toordinal()
    head_end = min(high, low + timedelta(days=period - 1))
    days: set[int] = set()
    for day in pattern_dates(window, low, head_end, anchor):
        days.update(range(day.toordinal(), last + 1, period))
    return days


#: Occurrences of one expansion sort by start, window key, then end.
_RAW_ORDER = itemgetter(0, 1, 2)


def _merge_own(out: _Collector, *, presorted: bool) -> tuple[Occurrence, ...]:
    """Sort one schedule's occurrences and merge those that overlap (warning).

    Each window's occurrences come in start order, so the sort only interleaves
    already sorted runs (linear for Python's sort); merging keeps the open
    occurrence in locals and builds each `Occurrence` once.
    """
    raw = out.raw
    if not raw:
        return ()
    if not presorted:
        raw.sort(key=_RAW_ORDER)
    if all(b[0] >= a[2] for a, b in itertools.pairwise(raw)):
        return tuple([_occurrence(s, e, z, w) for s, _key, e, z, w in raw])
    merged: list[Occurrence] = []
    append = merged.append
    cur_start, _key, cur_end, cur_zone, cur_window = raw[0]
    for start, _key, end, zone_name, window in itertools.islice(raw, 1, None):
        if start < cur_end:
            local_day = start.astimezone(zone(zone_name)).date()
            day = local_day.isoformat()
            if cur_window is not None and window is not None:
                if cur_window != window:
                    message = f"windows {cur_window} and {window} overlap on {day}"
                else:
                    message = f"window {window} overlaps itself on {day}"
            else:
                message = f"{_name(cur_window)} and {_name(window)} overlap on {day}"
            out.warn("overlap", local_day, message + "; merged")
            cur_end = max(cur_end, end)
            continue
        append(_occurrence(cur_start, cur_end, cur_zone, cur_window))
        cur_start, cur_end, cur_zone, cur_window = start, end, zone_name, window
    append(_occurrence(cur_start, cur_end, cur_zone, cur_window))
    return tuple(merged)
