"""The pair sweep agrees with listing every overlap, and counts fixed pairs only."""

from __future__ import annotations

import random
from array import array
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from domain_factories import schedule, window
from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.domain import check, detect, resolve
from gcsched.domain.expansion import MicroSpans
from gcsched.domain.intervals import find_overlaps, merge
from gcsched.domain.model import Policy, Schedule
from gcsched.domain.pair_sweep import (
    PairTally,
    _two_overlaps,
    fixed_pair_count,
    sweep_list,
)

BASE = int(datetime(2026, 1, 5, tzinfo=UTC).timestamp())


def _schedule_spans(rng: random.Random, count: int) -> list[list[tuple[int, int]]]:
    """Per schedule, disjoint sorted (start, end) seconds (as ints); some touch."""
    out = []
    for _ in range(count):
        spans, cursor = [], BASE + rng.randrange(0, 7200, 600)
        for _ in range(rng.randrange(0, 12)):
            length = rng.randrange(600, 7200, 600)
            spans.append((cursor, cursor + length))
            cursor += length + rng.choice((0, 0, 600, 3600))
        out.append(spans)
    return out


def _expected(
    occurrences: list[list[tuple[int, int]]], group: list[int]
) -> dict[tuple[int, int], tuple[int, int, int, int, list[tuple[int, int]]]]:
    """The old way: every overlap, merged per pair."""
    items = [(i, s, e) for i in group for s, e in occurrences[i]]
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for a, b, s, e in find_overlaps(items):
        spans.setdefault((min(a, b), max(a, b)), []).append((s, e))
    out = {}
    for pair, found in spans.items():
        merged = merge(found)
        total = sum(e - s for s, e in found)
        out[pair] = (merged[0][0], merged[-1][1], len(merged), total, list(merged))
    return out


def test_sweep_matches_every_overlap_merged_per_pair() -> None:
    """Random schedules: first, last, count, total and spans are the old ones."""
    rng = random.Random(20261202)
    for _ in range(60):
        occurrences = _schedule_spans(rng, rng.randrange(2, 9))
        group = list(range(len(occurrences)))
        fixed = [False] * len(group)
        for spans in (False, True):
            tallies: dict[tuple[int, int], PairTally] = {}
            sweep_list("L", group, occurrences, fixed, tallies, spans=spans)
            got = {
                pair: (t.first, t.last, t.count, t.total, t.spans)
                for pair, t in tallies.items()
            }
            want = {
                pair: (*stats[:4], stats[4] if spans else None)
                for pair, stats in _expected(occurrences, group).items()
            }
            assert got == want


def test_fixed_pairs_are_counted_not_tallied() -> None:
    """Pairs of two fixed schedules: in the count, never in the tallies."""
    rng = random.Random(7)
    for _ in range(40):
        occurrences = _schedule_spans(rng, 8)
        group = list(range(8))
        fixed = [rng.random() < 0.6 for _ in group]
        tallies: dict[tuple[int, int], PairTally] = {}
        meets: dict[int, int] = {}
        sweep_list("L", group, occurrences, fixed, tallies, fixed_meets=meets)
        expected = _expected(occurrences, group)
        both = {p for p in expected if fixed[p[0]] and fixed[p[1]]}
        assert set(tallies) == set(expected) - both
        assert fixed_pair_count(meets) == len(both)


def test_a_pair_counts_under_its_first_list_only() -> None:
    """Lists shared by the same pairs: the tally of the first list stays."""
    occurrences = [[(BASE, BASE + 3600)], [(BASE + 1800, BASE + 7200)]]
    tallies: dict[tuple[int, int], PairTally] = {}
    sweep_list("a-list", [0, 1], occurrences, [False, False], tallies)
    sweep_list("b-list", [0, 1], occurrences, [False, False], tallies)
    (tally,) = tallies.values()
    assert (tally.key, tally.count, tally.total) == ("a-list", 1, 1800.0)
    # Three schedules (the sweep, not the two-schedule road) do the same.
    occurrences.append([(BASE + 3000, BASE + 3300)])
    sweep_list("c-list", [0, 1, 2], occurrences, [False] * 3, tallies)
    sweep_list("d-list", [0, 1, 2], occurrences, [False] * 3, tallies)
    assert {pair: t.key for pair, t in tallies.items()} == {
        (0, 1): "a-list",
        (0, 2): "c-list",
        (1, 2): "c-list",
    }


def _weekday(label: str, start: str, end: str, priority: int) -> Schedule:
    """Weekdays of 12 weeks (60 days), UTC, on the list "shared"."""
    return schedule(
        label,
        zone="UTC",
        windows=(window(start, end),),
        from_=date(2026, 1, 5),
        until=date(2026, 3, 27),
        priority=priority,
        audience="shared",
    )


def test_many_schedules_on_one_list_hold_one_entry_per_pair() -> None:
    """30 on one list: 435 pairs of 60 weekdays each, and no overlap list."""
    schedules = [
        _weekday(f"C{n:02d}", ("09:00", "11:00")[n % 2], "17:00", 1 + n % 10)
        for n in range(30)
    ]
    policy = Policy(audience_conflicts="trim")
    result = check(schedules, policy, today=date(2026, 1, 1), spans=False)
    assert len(result.pairs) == 30 * 29 // 2
    assert result.conflicts == ()
    assert {p.count for p in result.pairs} == {60}
    assert {p.minutes for p in result.pairs} == {60 * 360, 60 * 480}
    # Trim resolves the same with or without the spans.
    full = check(schedules, policy, today=date(2026, 1, 1))
    assert full.trimmed == result.trimmed
    assert len(full.conflicts) == 30 * 29 // 2 * 60
    assert set(full.pairs) == set(result.pairs)


def test_detect_once_resolve_with_sizes() -> None:
    """resolve() ranks the detected pairs with the sizes; detection is reused."""
    a = _weekday("A", "09:00", "17:00", 5)
    b = _weekday("B", "09:00", "17:00", 5)
    audiences = {"A": frozenset({"L", "small"}), "B": frozenset({"L", "big"})}
    found = detect([a, b], Policy(), today=date(2026, 1, 1), audiences=audiences)
    assert sorted(found.pair_labels()) == [("A", "B")]
    unsized = resolve(found, Policy())
    sized = resolve(found, Policy(), sizes={"L": 0, "small": 10, "big": 9000})
    assert unsized.pairs[0].winner == "A"  # tie broken by name
    assert sized.pairs[0].winner == "B"  # the bigger list
    assert sized.pairs[0].first == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert sized.pairs[0].last - sized.pairs[0].first > timedelta(days=80)


def test_a_schedule_never_conflicts_with_itself() -> None:
    """Own occurrences that overlap (never after expansion) make no self-pair."""
    occurrences = [
        [(BASE, BASE + 600), (BASE + 300, BASE + 900)],
        [(BASE, BASE + 1200)],
    ]
    tallies: dict[tuple[int, int], PairTally] = {}
    sweep_list("L", [0, 1], occurrences, [False, False], tallies)
    assert set(tallies) == {(0, 1)}
    sweep_list("L", [1, 1], occurrences, [False, False], tallies)
    assert set(tallies) == {(0, 1)}


@st.composite
def _side(draw: st.DrawFn) -> list[tuple[int, int]]:
    """One schedule's occurrences: disjoint, in order, some touching (minutes)."""
    spans, cursor = [], draw(st.integers(0, 30))
    for _ in range(draw(st.integers(0, 25))):
        cursor += draw(st.sampled_from((0, 0, 1, 3, 10)))
        length = draw(st.integers(1, 12))
        spans.append((cursor, cursor + length))
        cursor += length
    return spans


@settings(max_examples=400, deadline=None)
@given(
    _side(),
    _side(),
    st.booleans(),
    st.sampled_from(("none", "first", "second", "both")),
)
def test_two_schedules_on_a_list_match_every_overlap(
    first: list[tuple[int, int]],
    second: list[tuple[int, int]],
    packed: bool,
    pinned: str,
) -> None:
    """The two-schedule road (no sweep) gives the tallies of every overlap.

    Equal starts, nested and touching occurrences, one side empty; read from
    lists or from packed `MicroSpans`; one side fixed, neither, or both (then
    only counted).
    """
    occurrences: list[Sequence[tuple[int, int]]] = [first, second]
    if packed:
        occurrences = [
            MicroSpans(
                array("q", [s for s, _ in side]), array("q", [e for _, e in side])
            )
            for side in (first, second)
        ]
    fixed = [pinned in ("first", "both"), pinned in ("second", "both")]
    for spans in (False, True):
        tallies: dict[tuple[int, int], PairTally] = {}
        meets: dict[int, int] = {}
        sweep_list(
            "L", [1, 0], occurrences, fixed, tallies, spans=spans, fixed_meets=meets
        )
        got = {
            pair: (t.key, t.first, t.last, t.count, t.total, t.spans)
            for pair, t in tallies.items()
        }
        want = {
            pair: ("L", *stats[:4], stats[4] if spans else None)
            for pair, stats in _expected([first, second], [0, 1]).items()
        }
        if pinned == "both":
            assert (got, fixed_pair_count(meets)) == ({}, len(want))
        else:
            assert (got, meets) == (want, {})


def test_two_sides_out_of_order_or_empty_take_the_sweep() -> None:
    """The two-schedule road needs each side in order, disjoint, not empty."""
    ordered = [(0, 10), (10, 20)]
    for bad in ([(10, 20), (0, 10)], [(0, 10), (5, 20)], [(0, 10), (12, 12)]):
        assert _two_overlaps(ordered, bad) is None
        assert _two_overlaps(bad, ordered) is None
        tallies: dict[tuple[int, int], PairTally] = {}
        sweep_list("L", [0, 1], [ordered, bad], [False, False], tallies)
        want = _expected([ordered, [s for s in bad if s[0] < s[1]]], [0, 1])
        assert {p: (t.first, t.last, t.count, t.total) for p, t in tallies.items()} == {
            p: stats[:4] for p, stats in want.items()
        }
    assert _two_overlaps(ordered, []) == ([], [])
