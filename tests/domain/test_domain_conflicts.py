"""Audience conflicts: ranking, ties, reject/trim/warn, allow_overlap, dialers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain_factories import schedule, window

from gcsched.domain import check
from gcsched.domain.conflicts import SIZE_UNKNOWN_WARNING, rank_score
from gcsched.domain.model import Policy

TODAY = date(2026, 1, 1)
DAY = date(2026, 1, 5)


def _pair(mode: str = "reject", **policy: object):  # type: ignore[no-untyped-def]
    a = schedule(
        "Alpha",
        zone="UTC",
        windows=(window("09:00", "13:00"),),
        from_=DAY,
        until=DAY,
        audience="list-1",
        priority=5,
    )
    b = schedule(
        "Beta",
        zone="UTC",
        windows=(window("12:00", "17:00"),),
        from_=DAY,
        until=DAY,
        audience="list-1",
        priority=7,
    )
    return a, b, Policy(audience_conflicts=mode, **policy)  # type: ignore[arg-type]


def test_rank_score_formula() -> None:
    """score = priority x 10 + min(size / 10000, 1) x 5."""
    assert rank_score(7, 0) == 70
    assert rank_score(7, 5000) == 72.5
    assert rank_score(7, 50000) == 75


def test_overlap_on_shared_audience_is_rejected_and_higher_priority_wins() -> None:
    """Priority 7 beats 5; the overlap is 12:00-13:00 UTC; reject refuses it."""
    a, b, policy = _pair()
    result = check([a, b], policy, today=TODAY)
    (conflict,) = result.conflicts
    assert conflict.type == "audience"
    assert conflict.campaigns == ("Beta", "Alpha")
    assert conflict.winner == "Beta"
    assert conflict.contact_list == "list-1"
    assert (conflict.start, conflict.end) == (
        datetime(2026, 1, 5, 12, tzinfo=UTC),
        datetime(2026, 1, 5, 13, tzinfo=UTC),
    )
    assert conflict.resolution == "reject"
    assert conflict.reason == "priority 7 vs 5"
    assert result.rejected == (conflict,)
    assert result.warnings.count(SIZE_UNKNOWN_WARNING) == 1


def test_size_breaks_equal_priorities() -> None:
    """At equal priority the larger contact list ranks higher."""
    a, b, policy = _pair()
    b = schedule(
        "Beta",
        zone="UTC",
        windows=b.windows,
        from_=DAY,
        until=DAY,
        priority=5,
        audience=None,
    )
    audiences = {"Alpha": frozenset({"big"}), "Beta": frozenset({"big", "small"})}
    result = check(
        [a, b],
        policy,
        today=TODAY,
        audiences=audiences,
        sizes={"big": 20000, "small": 10},
    )
    (conflict,) = result.conflicts
    assert conflict.contact_list == "big"
    assert conflict.reason == "tie on score 55, broken by name"
    assert conflict.winner == "Alpha"
    assert SIZE_UNKNOWN_WARNING not in result.warnings
    audiences = {"Alpha": frozenset({"small"}), "Beta": frozenset({"big", "small"})}
    result = check(
        [a, b],
        policy,
        today=TODAY,
        audiences=audiences,
        sizes={"big": 20000, "small": 10},
    )
    (conflict,) = result.conflicts
    assert conflict.winner == "Beta"
    assert conflict.reason == "score 55 vs 50.005 (contact list size)"


def test_tie_is_broken_by_name_and_reported() -> None:
    """Same priority, no sizes: the alphabetically first label wins; tie is named."""
    a, b, policy = _pair()
    b = schedule(
        "Beta",
        zone="UTC",
        windows=b.windows,
        from_=DAY,
        until=DAY,
        audience="list-1",
        priority=5,
    )
    (conflict,) = check([b, a], policy, today=TODAY).conflicts
    assert conflict.winner == "Alpha"
    assert conflict.reason == "tie on score 50, broken by name"


def test_warn_mode_reports_without_rejecting() -> None:
    """warn: the conflict is listed with resolution warn and nothing is rejected."""
    a, b, policy = _pair("warn")
    result = check([a, b], policy, today=TODAY)
    assert [c.resolution for c in result.conflicts] == ["warn"]
    assert result.rejected == ()
    assert result.trimmed == {}


def test_allow_overlap_pairs_are_reported_as_allowed() -> None:
    """A pair in allow_overlap is reported as allowed, never rejected."""
    a, b, policy = _pair(allow_overlap=frozenset({frozenset({"Alpha", "Beta"})}))
    result = check([a, b], policy, today=TODAY)
    assert [c.resolution for c in result.conflicts] == ["allowed"]
    assert result.rejected == ()


def test_trim_removes_the_overlap_from_the_loser() -> None:
    """trim: Alpha (lower) keeps 09:00-12:00; Beta keeps everything."""
    a, b, policy = _pair("trim")
    result = check([a, b], policy, today=TODAY)
    assert [c.resolution for c in result.conflicts] == ["trim"]
    assert result.trimmed == {
        "Alpha": (
            (datetime(2026, 1, 5, 9, tzinfo=UTC), datetime(2026, 1, 5, 12, tzinfo=UTC)),
        )
    }


def test_trim_chain_uses_winners_remaining_time() -> None:
    """A > B > C: C loses only what B still has after losing to A."""
    policy = Policy(audience_conflicts="trim")

    def make(ref: str, start: str, end: str, priority: int):  # type: ignore[no-untyped-def]
        return schedule(
            ref,
            zone="UTC",
            windows=(window(start, end),),
            from_=DAY,
            until=DAY,
            audience="l",
            priority=priority,
        )

    a = make("A", "09:00", "12:00", 9)
    b = make("B", "10:00", "14:00", 8)
    c = make("C", "11:00", "16:00", 7)
    result = check([c, b, a], policy, today=TODAY)
    hours = {k: [(s.hour, e.hour) for s, e in v] for k, v in result.trimmed.items()}
    assert hours == {"B": [(12, 14)], "C": [(14, 16)]}
    assert {c.campaigns for c in result.conflicts} == {
        ("A", "B"),
        ("A", "C"),
        ("B", "C"),
    }


def test_no_conflict_without_shared_audience_or_when_touching() -> None:
    """Different lists, no audience, or back-to-back windows do not conflict."""
    a, b, policy = _pair()
    other = schedule(
        "Beta", zone="UTC", windows=b.windows, from_=DAY, until=DAY, audience="list-2"
    )
    assert check([a, other], policy, today=TODAY).conflicts == ()
    none = schedule("Beta", zone="UTC", windows=b.windows, from_=DAY, until=DAY)
    assert check([a, none], policy, today=TODAY).conflicts == ()
    touching = schedule(
        "Beta",
        zone="UTC",
        windows=(window("13:00", "17:00"),),
        from_=DAY,
        until=DAY,
        audience="list-1",
    )
    result = check([a, touching], policy, today=TODAY)
    assert result.conflicts == ()
    assert SIZE_UNKNOWN_WARNING not in result.warnings


def test_one_conflict_per_contiguous_overlap() -> None:
    """Two weekdays of overlap give two conflicts, sorted by start."""
    a = schedule("Alpha", zone="UTC", from_=DAY, until=date(2026, 1, 6), audience="x")
    b = schedule("Beta", zone="UTC", from_=DAY, until=date(2026, 1, 6), audience="x")
    result = check([a, b], Policy(), today=TODAY)
    assert [c.start.day for c in result.conflicts] == [5, 6]
    assert all(c.end.hour == 17 for c in result.conflicts)


def test_sequence_and_member_campaign_overlap_on_the_same_dialer() -> None:
    """members: a sequence and its campaign running together is an overlap conflict."""
    seq = schedule("Seq", zone="UTC", from_=DAY, until=DAY, audience="x", priority=6)
    camp = schedule("Camp", zone="UTC", from_=DAY, until=DAY, audience="x")
    result = check(
        [seq, camp],
        Policy(),
        today=TODAY,
        members={"Seq": frozenset({"Camp", "Missing"}), "Gone": frozenset()},
    )
    (conflict,) = result.conflicts
    assert conflict.type == "overlap"
    assert conflict.contact_list is None
    assert conflict.campaigns == ("Seq", "Camp")


def test_check_collects_expansion_warnings() -> None:
    """Warnings of every expansion are part of the result, in schedule order."""
    a = schedule(
        "Alpha",
        zone="America/New_York",
        windows=(window("02:30", "05:00"),),
        from_=date(2026, 3, 9),
        until=date(2026, 3, 9),
    )
    b = schedule(
        "Beta",
        zone="America/New_York",
        windows=(window("02:30", "05:00", None),),
        from_=date(2026, 3, 8),
        until=date(2026, 3, 8),
    )
    result = check([a, b], Policy(), today=TODAY)
    assert len(result.expansions) == 2
    assert result.warnings[0].startswith("Beta: 2026-03-08 America/New_York: 02:30")
