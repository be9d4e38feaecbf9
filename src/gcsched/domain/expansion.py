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
- Speed: occurrences are computed as whole microseconds since the epoch (one
  integer addition per bound on a day without a DST change) and become
  `Occurrence` objects only when `Expansion.occurrences` is first read; the
  conflict sweep and `Expansion.occurrence_count` never need them.
- Memory: an expansion keeps its merged occurrences packed in arrays (start,
  end, window, zone: about 20 bytes an occurrence, where a row of Python
  objects takes about 150 and an `Occurrence` with its datetimes more), and
  `Expansion.micro_spans` reads them in place (`MicroSpans`): a plan of
  millions of occurrences holds only those arrays.
- Warnings of one kind (overlaps; spring-forward and fall-back shifts of starts,
  and of ends; windows dropped in a gap) are grouped per schedule: the first
  message, with how many there were and the first and last date.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from operator import eq, ge, itemgetter
from typing import Any, cast, overload

from gcsched.domain.days import day_extent, day_ordinals, nth_match, pattern_dates
from gcsched.domain.dst import Shift, day_base, local_to_utc, utc_offset_label, zone
from gcsched.domain.effective import Effective, effective
from gcsched.domain.intervals import Span, from_micros, subtract, to_micros
from gcsched.domain.model import Schedule, TimedRange, Window

__all__ = [
    "MAX_SPAN_DAYS",
    "Expansion",
    "MicroSpans",
    "Occurrence",
    "expand",
    "expansion_range",
]

MAX_SPAN_DAYS = 3660
#: A raw occurrence: (start, window key, end, zone, window), start and end in
#: microseconds since the epoch; the key (-1 for no window) sorts occurrences
#: with one start in window order, then by end.
_Row = tuple[int, int, int, str, int | None]
_DAY = timedelta(days=1)
_MICROSECOND = timedelta(microseconds=1)


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
class _Block:
    """The rows of one window on the days DST does not change, not yet made.

    One row per midnight in `bases` (epoch microseconds, ascending):
    ``(base + start, index, base + end, zone, index)``.
    """

    bases: tuple[int, ...]
    start: int
    end: int
    zone: str
    index: int

    def rows(self) -> list[_Row]:
        start, end, zone_name, index = self.start, self.end, self.zone, self.index
        return [
            (base + start, index, base + end, zone_name, index) for base in self.bases
        ]


class MicroSpans(Sequence[tuple[int, int]]):
    """Occurrences' ``(start, end)`` in microseconds since the epoch.

    A read-only sequence over two arrays of integers (8 bytes a bound): each
    pair is made as it is read, so a sweep over millions of occurrences holds
    the arrays, not a tuple and two integer objects per occurrence. Equal to
    any sequence of the same pairs (a list of tuples included).
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, starts: array[int], ends: array[int]) -> None:
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> MicroSpans: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | MicroSpans:
        if isinstance(index, slice):
            return MicroSpans(self._starts[index], self._ends[index])
        return self._starts[index], self._ends[index]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._starts, self._ends, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MicroSpans):
            return self._starts == other._starts and self._ends == other._ends
        if isinstance(other, Sequence):
            return len(other) == len(self) and all(map(eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists: unhashable too

    def __repr__(self) -> str:
        return f"MicroSpans({list(self)!r})"

    def columns(self) -> tuple[list[int], list[int]]:
        """The starts and the ends as two lists (read from C, no pair made)."""
        return self._starts.tolist(), self._ends.tolist()


def _spans_of(pairs: Sequence[tuple[int, int]]) -> MicroSpans:
    """`MicroSpans` holding `pairs`."""
    return MicroSpans(array("q", map(_FIRST, pairs)), array("q", map(_SECOND, pairs)))


@dataclass(frozen=True, slots=True)
class _Packed:
    """An expansion's merged rows, packed in arrays (see the module doc).

    Row i is ``(starts[i], keys[i], ends[i], zone, window)``, where `zone` is
    ``zones[zone_at[i]]`` (``zones[0]`` when `zone_at` is None: one zone) and
    `window` is ``keys[i]``, or None where the key is -1.
    """

    starts: array[int]
    ends: array[int]
    keys: array[int]
    zones: tuple[str, ...]
    zone_at: array[int] | None

    @classmethod
    def of(cls, rows: Sequence[_Row]) -> _Packed:
        """The rows (sorted, merged) packed."""
        zones = tuple(dict.fromkeys(map(_ZONE, rows)))
        zone_at = None
        if len(zones) > 1:
            number = {name: i for i, name in enumerate(zones)}
            zone_at = array("H", map(number.__getitem__, map(_ZONE, rows)))
        keys = array("i", map(_KEYS, rows))
        if not keys or max(keys) < 128:  # the common case: one byte a key
            keys = array("b", keys)
        return cls(
            array("q", map(_STARTS, rows)),
            array("q", map(_ENDS, rows)),
            keys,
            zones,
            zone_at,
        )

    def __len__(self) -> int:
        return len(self.starts)

    def rows(self) -> Iterator[_Row]:
        """The rows, made one by one."""
        zones = self.zones
        names = (
            itertools.repeat(zones[0] if zones else "")
            if self.zone_at is None
            else map(zones.__getitem__, self.zone_at)
        )
        for start, key, end, zone_name in zip(
            self.starts, self.keys, self.ends, names, strict=False
        ):  # `names` repeats one zone without end
            yield start, key, end, zone_name, None if key < 0 else key


@dataclass(frozen=True, slots=True)
class _Deferred:
    """An expansion's rows that are known to be disjoint, made when first read."""

    blocks: tuple[_Block, ...]
    late: tuple[_Row, ...]

    def __len__(self) -> int:
        return sum(len(block.bases) for block in self.blocks) + len(self.late)

    def rows(self) -> tuple[_Row, ...]:
        if len(self.blocks) == 1 and not self.late:
            return tuple(self.blocks[0].rows())
        rows = [row for block in self.blocks for row in block.rows()]
        rows.extend(self.late)
        rows.sort()  # every row has a window: equal starts, windows, ends are equal
        return tuple(rows)

    def spans(self) -> MicroSpans:
        """Each row's ``(start, end)``, in row order, without making the rows.

        The rows are disjoint and not empty, so sorting their starts and their
        ends apart gives both in the rows' order (sorted integers, no pairs).
        """
        if len(self.blocks) == 1 and not self.late:
            block = self.blocks[0]
            return MicroSpans(
                array("q", map(block.start.__add__, block.bases)),
                array("q", map(block.end.__add__, block.bases)),
            )
        starts = [map(block.start.__add__, block.bases) for block in self.blocks]
        ends = [map(block.end.__add__, block.bases) for block in self.blocks]
        starts.append(map(_STARTS, self.late))
        ends.append(map(_ENDS, self.late))
        return MicroSpans(
            array("q", sorted(itertools.chain.from_iterable(starts))),
            array("q", sorted(itertools.chain.from_iterable(ends))),
        )


#: epoch microseconds → the aware UTC datetime: the schedules of a file start
#: and end on the same instants again and again, and a datetime is immutable,
#: so occurrences share them (made once, read from C by a dict lookup).
_INSTANTS: dict[int, datetime] = {}
_INSTANTS_LIMIT = 1 << 18


def _instant(micros: int) -> datetime:
    """`from_micros(micros)`, kept in `_INSTANTS`."""
    if len(_INSTANTS) >= _INSTANTS_LIMIT:
        _INSTANTS.clear()
    found = _INSTANTS[micros] = from_micros(micros)
    return found


class Expansion:
    """A schedule's occurrences over a date range, with what was adjusted.

    `occurrences` are sorted by start, then window; `excluded` holds the local
    dates of the range that `except` removed. Immutable, and equal to another
    expansion of the same schedule with the same occurrences, warnings and
    excluded dates. `expand` keeps the occurrences as microsecond rows and makes
    the `Occurrence` objects on the first read of `occurrences`.
    """

    __slots__ = ("_occurrences", "_rows", "excluded", "schedule", "warnings")

    schedule: Schedule
    warnings: tuple[str, ...]
    excluded: tuple[date, ...]
    _rows: _Packed | _Deferred | None
    _occurrences: tuple[Occurrence, ...] | None

    def __init__(
        self,
        schedule: Schedule,
        occurrences: tuple[Occurrence, ...] | None = None,
        warnings: tuple[str, ...] = (),
        excluded: tuple[date, ...] = (),
        *,
        rows: _Packed | _Deferred | None = None,
    ) -> None:
        if (occurrences is None) == (rows is None):
            message = "Expansion takes either occurrences or rows"
            raise TypeError(message)
        init = object.__setattr__
        init(self, "schedule", schedule)
        init(self, "warnings", warnings)
        init(self, "excluded", excluded)
        init(self, "_rows", rows)
        init(self, "_occurrences", occurrences)

    def __setattr__(self, name: str, value: object) -> None:
        message = f"Expansion is immutable: cannot set {name}"
        raise AttributeError(message)

    def __delattr__(self, name: str) -> None:
        message = f"Expansion is immutable: cannot delete {name}"
        raise AttributeError(message)

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        """The occurrences, sorted by start then window (made once, then kept)."""
        made = self._occurrences
        if made is None:
            rows = self._rows
            known = _INSTANTS.get
            made = tuple(
                [
                    _occurrence(known(s) or _instant(s), known(e) or _instant(e), z, w)
                    for s, _key, e, z, w in (() if rows is None else rows.rows())
                ]
            )
            object.__setattr__(self, "_occurrences", made)
        return made

    @property
    def occurrence_count(self) -> int:
        """How many occurrences there are (without making them)."""
        if self._rows is not None:
            return len(self._rows)
        return len(self.occurrences)

    def micro_spans(self) -> MicroSpans:
        """Each occurrence's ``(start, end)`` in microseconds since the epoch,
        in order, read from the packed rows (no `Occurrence` is made)."""
        rows = self._rows
        if isinstance(rows, _Deferred):
            return rows.spans()
        if rows is not None:
            return MicroSpans(rows.starts, rows.ends)
        return _spans_of(
            [(to_micros(o.start), to_micros(o.end)) for o in self.occurrences]
        )

    def _key(self) -> tuple[Any, ...]:
        return (self.schedule, self.occurrences, self.warnings, self.excluded)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expansion):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Expansion(schedule={self.schedule!r}, "
            f"occurrences={self.occurrences!r}, warnings={self.warnings!r}, "
            f"excluded={self.excluded!r})"
        )


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
    extras: list[TimedRange] = list(schedule.intervals)
    for window in schedule.windows:
        eff = effective(window, schedule)
        if eff.include:
            extras.extend(a for a in eff.include if isinstance(a, TimedRange))
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
        self.raw.append(
            (to_micros(span[0]), key, to_micros(span[1]), zone_name, window)
        )

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
    late: list[_Row] = []  # rows of DST days, out of their window's order
    blocks: list[_Block] = []  # the rows of each window on the other days
    block_days: list[frozenset[int]] = []
    for index, window in enumerate(schedule.windows):
        eff = effective(window, schedule)
        low = max(start, eff.from_) if eff.from_ else start
        high = min(end, eff.until) if eff.until else end
        if eff.count is not None:
            origin = eff.from_ or today or start
            low = max(low, origin)
            nth = nth_match(window, origin, eff.anchor, eff.count)
            high = min(high, nth) if nth is not None else low - _DAY
        plan = _window_days(window, eff, low, high, first=first_ord, last=last_ord)
        skip = plan.skip
        excluded.update(plan.excluded)
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
        overnight = window.end_of_day or window.end <= window.start
        start_at = _since_midnight(window.start)
        end_at = _since_midnight(window.end)
        start_us = start_at // _MICROSECOND
        end_us = end_at // _MICROSECOND
        end_shift = 1 if overnight else 0
        raw = out.raw
        zone_name = eff.zone
        if not holes_timed and not overnight:
            # Each day not excluded gives exactly its window: one row per day,
            # midnight's UTC instant plus the window's offsets (the instants
            # are kept per day pattern and zone, so schedules that share both
            # share them); a day DST changes is converted on its own and its
            # row sorted in at the end.
            bases, changed = plan.bases_in(zone_name)
            for ordinal in changed:
                row = _converted(
                    out,
                    ordinal,
                    start_at=start_at,
                    end_at=end_at,
                    zone_name=zone_name,
                    index=index,
                )
                if row is not None:  # None: the window lies in the gap
                    late.append(row)
            blocks.append(_Block(bases, start_us, end_us, zone_name, index))
            block_days.append(plan.wanted_set)
            continue
        plain = not holes_timed and not skip
        for ordinal in plan.days:
            if not plain and ordinal in skip and not overnight:
                continue
            whole = plain or (
                not holes_timed and ordinal not in skip and ordinal + 1 not in skip
            )
            base = _base_micros(zone_name, ordinal)
            base_end = _base_micros(zone_name, ordinal + 1) if overnight else base
            if base is not None and base_end is not None:
                if whole:
                    raw.append(
                        (base + start_us, index, base_end + end_us, zone_name, index)
                    )
                    continue
                span: Span | None = (
                    from_micros(base + start_us),
                    from_micros(base_end + end_us),
                )
            else:
                span = out.convert(
                    datetime.fromordinal(ordinal) + start_at,
                    datetime.fromordinal(ordinal + end_shift) + end_at,
                    zone_name,
                )
            if span is None:
                continue
            if whole:
                out.add(span, zone_name, index)
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
    windowed = not timed_inclusions and not schedule.intervals
    kept = tuple(date.fromordinal(o) for o in sorted(excluded))
    if windowed and not out.raw and _apart(blocks, block_days):
        # Nothing can overlap: each row lies inside its local day, and no two
        # windows (of one zone) share a day. The rows are made when read.
        deferred = _Deferred(tuple(blocks), tuple(late))
        return Expansion(schedule, rows=deferred, warnings=out.warnings, excluded=kept)
    for block in blocks:
        out.raw.extend(block.rows())
    out.raw.extend(late)
    presorted = windowed and len(schedule.windows) <= 1 and not late
    merged = _Packed.of(_merge_own(out, presorted=presorted, windowed=windowed))
    return Expansion(schedule, rows=merged, warnings=out.warnings, excluded=kept)


def _apart(blocks: Sequence[_Block], days: Sequence[frozenset[int]]) -> bool:
    """Whether the windows of `blocks` never run on one day in one zone."""
    if len({block.zone for block in blocks}) > 1:
        return False
    return all(a.isdisjoint(b) for a, b in itertools.combinations(days, 2))


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
    if span is None:
        return None
    return (to_micros(span[0]), index, to_micros(span[1]), zone_name, index)


@lru_cache(maxsize=1 << 18)
def _base_micros(zone_name: str, ordinal: int) -> int | None:
    """`day_base` in microseconds since the epoch (None on a DST day)."""
    base = day_base(zone_name, ordinal)
    return None if base is None else to_micros(base)


#: zone → local date ordinal → `_base_micros` (read in C by `_bases`).
_BASES: dict[str, dict[int, int | None]] = {}
_BASES_LIMIT = 1 << 16


def _bases(zone_name: str, ordinals: Sequence[int]) -> list[int | None]:
    """`_base_micros` of each ordinal, from a per-zone table (filled as needed)."""
    table = _BASES.get(zone_name)
    if table is None or len(table) > _BASES_LIMIT:
        table = _BASES[zone_name] = {}
    try:
        return list(map(table.__getitem__, ordinals))
    except KeyError:
        for ordinal in ordinals:
            if ordinal not in table:
                table[ordinal] = _base_micros(zone_name, ordinal)
        return list(map(table.__getitem__, ordinals))


@lru_cache(maxsize=4096)
def _since_midnight(clock: time) -> timedelta:
    return timedelta(hours=clock.hour, minutes=clock.minute, seconds=clock.second)


def _name(window: int | None) -> str:
    return "a one-off interval" if window is None else f"window {window}"


@dataclass(frozen=True, slots=True)
class _Days:
    """The days one window runs on over an expansion's range (local ordinals).

    `days`: the pattern's days and the included ones, sorted; `skip`: the
    excluded days not also included (the range and the day after it, for
    overnight windows); `excluded`: those of `skip` inside the range;
    `wanted`: `days` without `skip`; `by_zone`: what `bases_in` found, per zone.
    """

    days: tuple[int, ...]
    wanted: tuple[int, ...]
    skip: frozenset[int]
    excluded: frozenset[int]
    wanted_set: frozenset[int]
    by_zone: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def bases_in(self, zone_name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The `_base_micros` of the `wanted` days that DST does not change in
        a zone, and the days it does change, both in order.

        Kept per zone: the schedules of a file mostly share their patterns and
        zones, and the tuples are never changed (each `_Block` shares them).
        """
        found = self.by_zone.get(zone_name)
        if found is None:
            bases = _bases(zone_name, self.wanted)
            if None in bases:
                pairs = zip(self.wanted, bases, strict=True)
                changed = tuple(o for o, b in pairs if b is None)
                bases = [b for b in bases if b is not None]
            else:
                changed = ()
            found = self.by_zone[zone_name] = (
                tuple(cast("list[int]", bases)),
                changed,
            )
        return found


_DAYS: dict[tuple[Any, ...], _Days] = {}
_DAYS_LIMIT = 4096


def _window_days(
    window: Window, eff: Effective, low: date, high: date, *, first: int, last: int
) -> _Days:
    """The `_Days` of a window between `low` and `high`, in a range first..last.

    Schedules of one file mostly share their day patterns and calendars, so
    the result is kept per pattern (days, every), bounds, anchor and
    alterations: everything it is computed from.
    """
    key = (
        window.days,
        window.every,
        low,
        high,
        eff.anchor,
        eff.except_,
        eff.include,
        first,
        last,
    )
    found = _DAYS.get(key)
    if found is not None:
        return found
    # Clipped to the range (and the day after it, for overnight windows).
    included = day_ordinals(eff.include, low=first, high=last + 1)
    skip = day_ordinals(eff.except_, low=first, high=last + 1) - included
    days = _pattern_ordinals(window, low, high, eff.anchor)
    days.update(o for o in included if first <= o <= last)
    ordered = tuple(sorted(days))
    wanted = tuple(o for o in ordered if o not in skip)
    found = _Days(
        days=ordered,
        wanted=wanted,
        wanted_set=frozenset(wanted),
        skip=frozenset(skip),
        excluded=frozenset(o for o in skip if first <= o <= last),
    )
    if len(_DAYS) >= _DAYS_LIMIT:
        _DAYS.clear()
    _DAYS[key] = found
    return found


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
_STARTS = itemgetter(0)
_KEYS = itemgetter(1)
_ENDS = itemgetter(2)
_ZONE = itemgetter(3)
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _merge_own(out: _Collector, *, presorted: bool, windowed: bool) -> Sequence[_Row]:
    """Sort one schedule's rows and merge those that overlap (warning).

    Each window's rows come in start order, so the sort only interleaves
    already sorted runs (linear for Python's sort); rows that are already
    disjoint (the common case, checked in C) are kept as they are. When every
    row belongs to a window (`windowed`), rows equal in start, window and end
    are equal in zone too, so the rows sort as they are, without a key.
    """
    raw = out.raw
    if not raw:
        return ()
    if not presorted:
        if windowed:
            raw.sort()
        else:
            raw.sort(key=_RAW_ORDER)
    if all(map(ge, map(_STARTS, itertools.islice(raw, 1, None)), map(_ENDS, raw))):
        return raw
    merged: list[_Row] = []
    append = merged.append
    cur_start, cur_key, cur_end, cur_zone, cur_window = raw[0]
    for start, key, end, zone_name, window in itertools.islice(raw, 1, None):
        if start < cur_end:
            local_day = from_micros(start).astimezone(zone(zone_name)).date()
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
        append((cur_start, cur_key, cur_end, cur_zone, cur_window))
        cur_start, cur_key, cur_end, cur_zone, cur_window = (
            start,
            key,
            end,
            zone_name,
            window,
        )
    append((cur_start, cur_key, cur_end, cur_zone, cur_window))
    return merged
