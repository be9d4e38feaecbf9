"""The straightforward expansion: the oracle for `gcsched.domain.expansion.expand`.

This is the algorithm before it was made fast: every pattern date is listed one
by one with `pattern_dates`, the occurrences of all windows are sorted from
scratch, and each merge rebuilds the `Occurrence`. `expand` must give exactly the
same `Expansion` (occurrences, warnings, excluded days).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gcsched.domain.days import day_ordinals, nth_match, pattern_dates
from gcsched.domain.dst import day_base, local_to_utc, zone
from gcsched.domain.effective import effective
from gcsched.domain.expansion import (
    Expansion,
    Occurrence,
    _Collector,
    _day_span,
    _name,
    _since_midnight,
)
from gcsched.domain.intervals import Span, subtract
from gcsched.domain.model import Schedule, TimedRange

_DAY = timedelta(days=1)


def reference_expand(
    schedule: Schedule, *, start: date, end: date, today: date | None = None
) -> Expansion:
    """`expand`, the slow and obvious way."""
    out = _Collector(schedule.label)
    raw: list[tuple[datetime, int, datetime, str, int | None]] = []

    def add(span: Span, zone_name: str, window: int | None) -> None:
        raw.append(
            (span[0], -1 if window is None else window, span[1], zone_name, window)
        )

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
        included = day_ordinals(eff.include, low=first_ord, high=last_ord + 1)
        skip = day_ordinals(eff.except_, low=first_ord, high=last_ord + 1) - included
        excluded.update(o for o in skip if first_ord <= o <= last_ord)
        holes_timed: list[Span] = [
            (
                local_to_utc(a.start, eff.zone, "start")[0],
                local_to_utc(a.end, eff.zone, "end")[0],
            )
            for a in eff.except_
            if isinstance(a, TimedRange)
        ]
        for alteration in eff.include:
            if isinstance(alteration, TimedRange):
                key = (alteration.start, alteration.end, eff.zone)
                if first_ord <= alteration.start.toordinal() <= last_ord:
                    timed_inclusions.setdefault(key, None)
        days = {d.toordinal() for d in pattern_dates(window, low, high, eff.anchor)}
        days.update(o for o in included if first_ord <= o <= last_ord)
        overnight = window.end_of_day or window.end <= window.start
        start_at = _since_midnight(window.start)
        end_at = _since_midnight(window.end)
        for ordinal in sorted(days):
            if ordinal in skip and not overnight:
                continue
            base = day_base(eff.zone, ordinal)
            base_end = day_base(eff.zone, ordinal + 1) if overnight else base
            if base is not None and base_end is not None:
                span: Span | None = (base + start_at, base_end + end_at)
            else:
                span = out.convert(
                    datetime.fromordinal(ordinal) + start_at,
                    datetime.fromordinal(ordinal + (1 if overnight else 0)) + end_at,
                    eff.zone,
                )
            if span is None:
                continue
            holes = list(holes_timed)
            if ordinal in skip:
                holes.append(_day_span(ordinal, eff.zone))
            if overnight and ordinal + 1 in skip:
                holes.append(_day_span(ordinal + 1, eff.zone))
            for piece in subtract(span, holes):
                add(piece, eff.zone, index)
    for start_local, end_local, zone_name in timed_inclusions:
        span = out.convert(start_local, end_local, zone_name)
        if span is not None:
            add(span, zone_name, None)
    for interval in schedule.intervals:
        if first_ord <= interval.start.toordinal() <= last_ord:
            span = out.convert(interval.start, interval.end, schedule.time_zone)
            if span is not None:
                add(span, schedule.time_zone, None)
    rows = sorted(raw, key=lambda r: (r[0], r[1], r[2]))  # start, key, end
    merged: list[Occurrence] = []
    for begin, _key, finish, zone_name, window_index in rows:
        if merged and begin < merged[-1].end:
            last = merged[-1]
            local_day = begin.astimezone(zone(zone_name)).date()
            day = local_day.isoformat()
            if last.window is not None and window_index is not None:
                if last.window != window_index:
                    message = f"windows {last.window} and {window_index} overlap"
                else:
                    message = f"window {window_index} overlaps itself"
                message += f" on {day}"
            else:
                message = (
                    f"{_name(last.window)} and {_name(window_index)} overlap on {day}"
                )
            out.warn("overlap", local_day, message + "; merged")
            if finish > last.end:
                merged[-1] = Occurrence(last.start, finish, last.zone, last.window)
            continue
        merged.append(Occurrence(begin, finish, zone_name, window_index))
    return Expansion(
        schedule=schedule,
        occurrences=tuple(merged),
        warnings=out.warnings,
        excluded=tuple(date.fromordinal(o) for o in sorted(excluded)),
    )
