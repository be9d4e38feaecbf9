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

Times are whole microseconds since the POSIX epoch (integers, as
`Expansion.micro_spans` gives them) inside the sweep: comparing and subtracting
them is several times cheaper than datetimes, and exact.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

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
