"""Half-open time intervals: overlap detection by sort-and-sweep, merge, subtract.

Every interval is ``[start, end)``: two intervals that only touch do not overlap.
Where many instants are compared (expansion, the conflict sweep) they are whole
microseconds since the POSIX epoch (`to_micros`, `from_micros`): integers are far
cheaper to make and compare than datetimes, and exact.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

__all__ = [
    "Span",
    "find_overlaps",
    "from_micros",
    "merge",
    "subtract",
    "subtract_all",
    "to_micros",
]

K = TypeVar("K", bound=Hashable)
Span = tuple[datetime, datetime]


def find_overlaps(
    items: Sequence[tuple[K, datetime, datetime]],
) -> tuple[tuple[K, K, datetime, datetime], ...]:
    """Every pair of overlapping intervals with different keys, by sort-and-sweep.

    Items are sorted by start; a heap keyed by end holds the intervals still open.
    Each new interval overlaps exactly the open ones whose end lies after its start,
    so the cost is O(n log n + k) for k overlapping pairs.

    Args:
        items: ``(key, start, end)`` triples; empty or inverted intervals are ignored.

    Returns:
        ``(key_a, key_b, overlap_start, overlap_end)`` once per overlapping pair of
        items with different keys, `key_a` being the item that sorts first (by start,
        end, then input position); ordered by overlap start, end and input positions.
    """
    order = sorted(
        (i for i in range(len(items)) if items[i][1] < items[i][2]),
        key=lambda i: (items[i][1], items[i][2], i),
    )
    active: list[tuple[datetime, int]] = []
    found: list[tuple[datetime, datetime, int, int]] = []
    for index in order:
        key, start, end = items[index]
        while active and active[0][0] <= start:
            heapq.heappop(active)
        for other_end, other in active:
            if items[other][0] != key:
                found.append((start, min(end, other_end), other, index))
        heapq.heappush(active, (end, index))
    found.sort(key=lambda f: (f[0], f[1], f[2], f[3]))
    return tuple((items[a][0], items[b][0], s, e) for s, e, a, b in found)


def merge(spans: Iterable[Span], *, touching: bool = True) -> tuple[Span, ...]:
    """Merge overlapping (and, by default, touching) intervals.

    Args:
        spans: ``(start, end)`` pairs in any order; empty ones are dropped.
        touching: also merge intervals where one ends exactly where the next starts.

    Returns:
        Disjoint intervals sorted by start.
    """
    merged: list[list[datetime]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and (start < merged[-1][1] or (touching and start == merged[-1][1])):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def subtract(span: Span, holes: Sequence[Span]) -> tuple[Span, ...]:
    """What is left of `span` once every interval of `holes` is removed.

    Args:
        span: the interval to cut.
        holes: intervals to remove, in any order (they may overlap each other).

    Returns:
        The remaining non-empty pieces, sorted by start.
    """
    pieces: list[Span] = []
    cursor, end = span
    for hole_start, hole_end in sorted(holes):
        if hole_end <= cursor or hole_start >= hole_end:
            continue
        if hole_start >= end:
            break
        if hole_start > cursor:
            pieces.append((cursor, hole_start))
        cursor = max(cursor, hole_end)
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    return tuple(pieces)


def subtract_all(spans: Sequence[Span], holes: Sequence[Span]) -> tuple[Span, ...]:
    """What is left of many intervals once `holes` are removed, in linear time.

    Args:
        spans: disjoint intervals sorted by start.
        holes: disjoint intervals sorted by start (e.g. the output of `merge`).

    Returns:
        The remaining non-empty pieces, sorted by start.
    """
    pieces: list[Span] = []
    first = 0
    for span in spans:
        while first < len(holes) and holes[first][1] <= span[0]:
            first += 1
        last = first
        while last < len(holes) and holes[last][0] < span[1]:
            last += 1
        pieces.extend(subtract(span, holes[first:last]) if last > first else (span,))
    return tuple(pieces)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_micros(instant: datetime) -> int:
    """An aware instant as whole microseconds since the POSIX epoch (exact)."""
    return (instant - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    """Microseconds since the POSIX epoch as an aware UTC datetime (exact)."""
    return _EPOCH + timedelta(0, 0, micros)
