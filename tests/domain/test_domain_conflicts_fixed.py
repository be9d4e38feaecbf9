"""Fixed participants: schedules in the org that this run can never change."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain_factories import schedule, window
from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.domain import check
from gcsched.domain.conflicts import SIZE_UNKNOWN_WARNING
from gcsched.domain.intervals import find_overlaps
from gcsched.domain.model import Policy, Schedule

TODAY = date(2026, 1, 1)
DAY = date(2026, 1, 5)


def _make(ref: str, start: str, end: str, priority: int = 5) -> Schedule:
    return schedule(
        ref,
        zone="UTC",
        windows=(window(start, end),),
        from_=DAY,
        until=DAY,
        audience="list-1",
        priority=priority,
    )


def _at(hour: int) -> datetime:
    return datetime(2026, 1, 5, hour, tzinfo=UTC)


def test_fixed_schedule_wins_under_trim_whatever_the_priority() -> None:
    """trim: the file's schedule (priority 9) loses the overlap to a fixed one (1)."""
    mine = _make("Win-back", "09:00", "13:00", priority=9)
    theirs = _make("Lapsed Survey", "12:00", "17:00", priority=1)
    result = check(
        [mine, theirs],
        Policy(audience_conflicts="trim"),
        today=TODAY,
        fixed={"Lapsed Survey"},
    )
    (conflict,) = result.conflicts
    assert conflict.campaigns == ("Lapsed Survey", "Win-back")
    assert conflict.winner == "Lapsed Survey"
    assert conflict.resolution == "trim"
    assert conflict.reason == (
        "Lapsed Survey is already in the org and this run does not change it"
    )
    assert result.trimmed == {"Win-back": ((_at(9), _at(12)),)}


def test_without_fixed_the_same_pair_ranks_by_priority() -> None:
    """Control: the same two schedules, neither fixed, rank by priority."""
    mine = _make("Win-back", "09:00", "13:00", priority=9)
    theirs = _make("Lapsed Survey", "12:00", "17:00", priority=1)
    result = check([mine, theirs], Policy(audience_conflicts="trim"), today=TODAY)
    assert result.conflicts[0].winner == "Win-back"
    assert set(result.trimmed) == {"Lapsed Survey"}


def test_conflict_with_a_fixed_schedule_is_rejected() -> None:
    """reject: the file would create the clash, so the plan is refused."""
    mine = _make("Win-back", "09:00", "13:00", priority=10)
    theirs = _make("Lapsed Survey", "12:00", "17:00")
    result = check(
        [theirs, mine], Policy(), today=TODAY, fixed=frozenset({"Lapsed Survey"})
    )
    (conflict,) = result.rejected
    assert conflict.winner == "Lapsed Survey"
    assert (conflict.start, conflict.end) == (_at(12), _at(13))
    assert result.trimmed == {}


def test_conflict_with_a_fixed_schedule_is_reported_under_warn() -> None:
    """warn: reported, nothing rejected, nothing trimmed."""
    mine = _make("Win-back", "09:00", "13:00")
    theirs = _make("Lapsed Survey", "12:00", "17:00")
    result = check(
        [mine, theirs],
        Policy(audience_conflicts="warn"),
        today=TODAY,
        fixed=("Lapsed Survey",),
    )
    assert [c.resolution for c in result.conflicts] == ["warn"]
    assert result.rejected == ()
    assert result.trimmed == {}


def test_two_fixed_schedules_are_only_counted_whatever_the_policy() -> None:
    """Neither side can change: not computed, not reported, only counted."""
    a = _make("Alpha", "09:00", "13:00", priority=3)
    b = _make("Beta", "12:00", "17:00", priority=7)
    for mode in ("reject", "trim", "warn"):
        result = check(
            [a, b],
            Policy(audience_conflicts=mode),  # type: ignore[arg-type]
            today=TODAY,
            fixed={"Alpha", "Beta"},
        )
        assert result.conflicts == ()
        assert result.pairs == ()
        assert result.fixed_pairs == 1
        assert result.rejected == ()
        assert result.trimmed == {}


def test_allow_overlap_still_applies_to_a_fixed_pair_by_label() -> None:
    """An acknowledged pair with a fixed schedule is allowed, not rejected."""
    mine = _make("Win-back", "09:00", "13:00")
    theirs = _make("Lapsed Survey", "12:00", "17:00")
    policy = Policy(allow_overlap=frozenset({frozenset({"Win-back", "Lapsed Survey"})}))
    result = check([mine, theirs], policy, today=TODAY, fixed={"Lapsed Survey"})
    assert [c.resolution for c in result.conflicts] == ["allowed"]
    assert result.rejected == ()


def test_trim_chain_starts_from_the_fixed_schedule() -> None:
    """F (fixed) > A > B: A loses F's time, B loses F's and what A keeps."""
    f = _make("F", "09:00", "12:00", priority=1)
    a = _make("A", "10:00", "14:00", priority=9)
    b = _make("B", "11:00", "16:00", priority=8)
    result = check(
        [b, a, f], Policy(audience_conflicts="trim"), today=TODAY, fixed={"F"}
    )
    hours = {k: [(s.hour, e.hour) for s, e in v] for k, v in result.trimmed.items()}
    assert hours == {"A": [(12, 14)], "B": [(14, 16)]}
    winners = {c.campaigns: c.winner for c in result.conflicts}
    assert winners == {("F", "A"): "F", ("F", "B"): "F", ("A", "B"): "A"}


def test_fixed_schedules_do_not_add_warnings_about_themselves() -> None:
    """A fixed schedule's DST notes and unknown sizes are not reported."""
    dst = schedule(
        "Manual",
        zone="America/New_York",
        windows=(window("02:30", "05:00", None),),
        from_=date(2026, 3, 8),
        until=date(2026, 3, 8),
        audience="list-1",
    )
    assert check([dst], Policy(), today=TODAY).warnings
    assert check([dst], Policy(), today=TODAY, fixed={"Manual"}).warnings == ()
    mine = _make("Win-back", "09:00", "13:00")
    theirs = _make("Lapsed Survey", "12:00", "17:00")
    result = check([mine, theirs], Policy(), today=TODAY, fixed={"Lapsed Survey"})
    assert result.conflicts
    assert SIZE_UNKNOWN_WARNING not in result.warnings


def test_result_does_not_depend_on_input_order() -> None:
    """Conflicts and trims are the same whatever order schedules are given in."""
    items = [
        _make("F", "09:00", "12:00"),
        _make("G", "11:00", "15:00"),
        _make("A", "10:00", "14:00", priority=9),
        _make("B", "11:00", "16:00", priority=8),
    ]
    policy = Policy(audience_conflicts="trim")
    first = check(items, policy, today=TODAY, fixed={"F", "G"})
    second = check(items[::-1], policy, today=TODAY, fixed={"G", "F"})
    assert first.conflicts == second.conflicts
    assert first.trimmed == second.trimmed


_HOURS = st.tuples(st.integers(0, 22), st.integers(1, 6)).map(
    lambda p: (p[0], min(p[0] + p[1], 23))
)


@settings(max_examples=60, deadline=None)
@given(
    spans=st.lists(_HOURS, min_size=2, max_size=5),
    priorities=st.lists(st.integers(1, 10), min_size=5, max_size=5),
    fixed_mask=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_trim_never_changes_fixed_and_leaves_no_clash_with_them(
    spans: list[tuple[int, int]], priorities: list[int], fixed_mask: list[bool]
) -> None:
    """Under trim no fixed label is trimmed and no kept time overlaps a fixed one."""
    items = [
        _make(f"S{n}", f"{s:02d}:00", f"{e:02d}:00", priorities[n])
        for n, (s, e) in enumerate(spans)
    ]
    fixed = {s.label for s, pinned in zip(items, fixed_mask, strict=False) if pinned}
    result = check(items, Policy(audience_conflicts="trim"), today=TODAY, fixed=fixed)
    assert not fixed & set(result.trimmed)
    assert all(c.resolution in ("trim", "warn") for c in result.conflicts)
    kept = [
        (label, start, end)
        for label, left in result.trimmed.items()
        for start, end in left
    ] + [
        (e.schedule.label, o.start, o.end)
        for e in result.expansions
        if e.schedule.label not in result.trimmed
        for o in e.occurrences
    ]
    clashes = {frozenset((a, b)) for a, b, _s, _e in find_overlaps(kept)}
    assert all(pair <= fixed for pair in clashes)
