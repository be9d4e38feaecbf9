"""Pair statistics of overlapping schedules, by one sweep over their occurrences.

`sweep_list` walks the occurrences of the schedules on one contact list in
start order, keeping the schedules that are running at that moment; each new
occurrence overlaps exactly the running ones, and each such overlap is added to
its pair's `PairTally` (first start, last end, count of merged overlaps, total
time). Nothing holds every overlap: memory is the occurrences plus one tally
per pair (the spans too only when asked, for the offline report).

Two fixed schedules (neither changed by this run) are never tallied: a bit mask
of the fixed schedules running says which fixed ones a fixed occurrence meets,
so such pairs are only counted (`fixed_meets`), at the cost of an integer OR.

Two schedules on a list (most lists that are shared at all are shared by
two) take a shorter road, `_two_overlaps`: each side's occurrences being
disjoint, an occurrence can only meet the other side's last one to start
before it, found by bisection; the loops over the occurrences then run in C
(`map`, `compress`) instead of one Python step per occurrence.

Times are whole microseconds since the POSIX epoch (integers, as
`Expansion.micro_spans` gives them) inside the sweep: comparing and subtracting
them is several times cheaper than datetimes, and exact.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain, compress, islice, repeat
from operator import eq, itemgetter, le, lt, not_
from typing import Any

from gcsched.domain.expansion import MicroSpans

__all__ = ["PairTally", "fixed_pair_count", "sweep_list"]

Pair = tuple[int, int]


@dataclass(slots=True)
class PairTally:
    """What one pair's overlaps add up to (times in epoch microseconds).

    `count` counts overlaps merged where they touch (as `intervals.merge`
    does), `total` is their summed length in microseconds, `key` the contact list
    (or None for a sequence and its campaign) the pair is counted under, and
    `spans` the merged overlaps when they were asked for.
    """

    key: str | None
    first: int
    last: int
    count: int
    total: int
    spans: list[tuple[int, int]] | None = None

    @property
    def length(self) -> timedelta:
        """The total overlap."""
        return timedelta(microseconds=self.total)


def sweep_list(
    key: str | None,
    group: Sequence[int],
    occurrences: Sequence[Sequence[tuple[int, int]]],
    fixed: Sequence[bool],
    tallies: MutableMapping[Pair, PairTally],
    *,
    spans: bool = False,
    fixed_meets: MutableMapping[int, int] | None = None,
) -> None:
    """Tally every overlap between the schedules of `group` on one list.

    Args:
        key: the contact list (stored in new tallies).
        group: indices of the schedules on the list.
        occurrences: per schedule index, its ``(start, end)`` epoch microseconds,
            disjoint (each schedule's own overlaps are merged already).
        fixed: per schedule index, whether this run leaves it alone.
        tallies: (low index, high index) → tally; a pair already tallied (under
            an earlier list) is left as it is: it counts under its first list.
        spans: also keep each pair's merged overlaps.
        fixed_meets: fixed index → bit mask of the fixed indices running when
            one of its occurrences starts; pairs of two fixed schedules are
            only recorded there (see `fixed_pair_count`).
    """
    if (
        len(group) == 2
        and group[0] != group[1]
        and not (fixed[group[0]] and fixed[group[1]])
    ):
        a, b = sorted(group)
        if (a, b) in tallies:
            return  # counted under an earlier list; nothing for `fixed_meets`
        found_two = _two_overlaps(occurrences[a], occurrences[b])
        if found_two is not None:
            if found_two[0]:
                tallies[a, b] = _tally_of(key, *found_two, spans=spans)
            return
    events = sorted(
        (start, end, i) for i in group for start, end in occurrences[i] if start < end
    )
    n = len(occurrences)
    # low × n + high → [first, last, count, total, spans]: an int key and a
    # list are the cheapest things to touch once per overlap.
    found: dict[int, list[Any]] = {}

    def meet(i: int, j: int, start: int, stop: int) -> None:
        """Add the overlap [start, stop) of schedules i and j to their tally."""
        code = i * n + j if i < j else j * n + i
        tally = found.get(code)
        if tally is None:
            found[code] = [
                start,
                stop,
                1,
                stop - start,
                [(start, stop)] if spans else None,
            ]
            return
        if start > tally[1]:
            tally[2] += 1
            if spans:
                tally[4].append((start, stop))
        elif spans:
            tally[4][-1] = (tally[4][-1][0], max(tally[4][-1][1], stop))
        # A pair's overlaps arrive in start order and are disjoint (each
        # schedule's own occurrences are): this one ends last.
        tally[1] = stop
        tally[3] += stop - start

    # The schedules running, by index → the end of their occurrence. Those
    # this run may change are dropped when the scan that finds their overlaps
    # sees they have ended (no heap: each entry is dropped once); the fixed
    # ones leave by a heap of ends, so the mask of those running stays exact
    # without visiting them.
    running: dict[int, int] = {}
    pinned: dict[int, int] = {}
    pinned_ends: list[tuple[int, int]] = []
    pinned_mask = 0
    for start, end, i in events:
        while pinned_ends and pinned_ends[0][0] <= start:
            stop, j = heapq.heappop(pinned_ends)
            if pinned.get(j) == stop:
                del pinned[j]
                pinned_mask &= ~(1 << j)
        if running:
            gone = []
            for j, other_end in running.items():
                if other_end <= start:
                    gone.append(j)
                elif j != i:
                    meet(i, j, start, other_end if other_end < end else end)
            for j in gone:
                del running[j]
        if fixed[i]:
            met = pinned_mask & ~(1 << i)
            if fixed_meets is not None and met:
                fixed_meets[i] = fixed_meets.get(i, 0) | met
            pinned[i] = end
            pinned_mask |= 1 << i
            heapq.heappush(pinned_ends, (end, i))
        else:
            for j, other_end in pinned.items():
                meet(i, j, start, other_end if other_end < end else end)
            running[i] = end
    for code, (first, last, count, total, kept) in found.items():
        pair = divmod(code, n)
        if pair not in tallies:
            tallies[pair] = PairTally(key, first, last, count, total, kept)


_START = itemgetter(0)
_END = itemgetter(1)


def _columns(spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]] | None:
    """The starts and the ends of `spans`, or None unless they are in order,
    not empty and disjoint (what `_two_overlaps` relies on)."""
    if isinstance(spans, MicroSpans):
        starts, ends = spans.columns()
    else:
        starts = list(map(_START, spans))
        ends = list(map(_END, spans))
    if all(map(lt, starts, ends)) and all(map(le, ends, islice(starts, 1, None))):
        return starts, ends
    return None


def _met(
    starts: list[int],
    ends: list[int],
    other: tuple[list[int], list[int]],
    find: Callable[[list[int], int], int],
) -> tuple[Iterator[int], Iterator[int]]:
    """The overlaps of one side's occurrences (`starts`, `ends`) with the
    other side's last one to start before each: their starts (in order) and
    their ends (in no particular order).

    `find` counts the other side's starts before a start: `bisect_right` (an
    equal start counts) for one side, `bisect_left` for the other, so that
    two occurrences with one start meet once.
    """
    # reach[n]: the end of the other side's n-th occurrence; reach[0] (none
    # started yet) is no later than any start here, so it meets nothing.
    reach = [starts[0], *other[1]]
    ends_met = list(map(reach.__getitem__, map(find, repeat(other[0]), starts)))
    hits = list(map(lt, starts, ends_met))
    own_ends = list(compress(ends, hits))
    other_ends = list(compress(ends_met, hits))
    nearer = list(map(lt, own_ends, other_ends))
    # Each overlap ends at the nearer end; the ends are sorted afterwards, so
    # those of either kind are listed apart (cheaper than `min` per overlap).
    return compress(starts, hits), chain(
        compress(own_ends, nearer), compress(other_ends, map(not_, nearer))
    )


def _two_overlaps(
    first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]
) -> tuple[list[int], list[int]] | None:
    """The overlaps of two schedules' occurrences: their starts and ends, in order.

    None when either side's occurrences are not in order, not empty and
    disjoint (the sweep then handles them). Otherwise an occurrence can only
    meet the other side's last one to start before it (or with it: a tie is
    found from the first side), the earlier ones having ended before that one
    started: from its start to the nearer of the two ends. Overlaps of
    disjoint sides are disjoint, so their starts and ends sort apart.
    """
    a = _columns(first)
    b = _columns(second)
    if a is None or b is None:
        return None
    if not a[0] or not b[0]:
        return [], []
    a_starts, a_ends = _met(*a, b, bisect_right)
    b_starts, b_ends = _met(*b, a, bisect_left)
    return sorted(chain(a_starts, b_starts)), sorted(chain(a_ends, b_ends))


def _tally_of(
    key: str | None, starts: list[int], ends: list[int], *, spans: bool
) -> PairTally:
    """The tally of one pair's overlaps (disjoint, in order; at least one)."""
    touching = sum(map(eq, islice(starts, 1, None), ends))
    kept: list[tuple[int, int]] | None = None
    if spans:
        kept = []
        for start, end in zip(starts, ends, strict=True):
            if kept and kept[-1][1] == start:
                kept[-1] = (kept[-1][0], end)
            else:
                kept.append((start, end))
    return PairTally(
        key,
        starts[0],
        ends[-1],
        len(starts) - touching,
        sum(ends) - sum(starts),
        kept,
    )


def fixed_pair_count(fixed_meets: Mapping[int, int]) -> int:
    """How many pairs of fixed schedules overlap (each pair once).

    `fixed_meets[i]` holds the fixed schedules running when one of i's
    occurrences started; a pair may be in either row or both, so the rows are
    made symmetric first (a pass over the pairs found, never over all pairs).
    """
    rows = dict(fixed_meets)
    for i, met in fixed_meets.items():
        left = met
        while left:
            low = left & -left
            j = low.bit_length() - 1
            rows[j] = rows.get(j, 0) | (1 << i)
            left ^= low
    return sum(mask.bit_count() for mask in rows.values()) // 2
