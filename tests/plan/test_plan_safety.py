"""Plan.raise_if_unsafe(): rejected conflicts, octoDNS-style thresholds, --force."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from plan_factories import change, fake_pair, many, plan

from gcsched.domain.model import Policy
from gcsched.errors import ConflictsRejectedError, RefusedError, UnsafePlanError
from gcsched.plan import MAX_CHANGE_FRACTION, MIN_EXISTING


def test_defaults_are_octodns_figures() -> None:
    """The defaults are 30% and 10 existing, as octoDNS and the Policy say."""
    assert (MAX_CHANGE_FRACTION, MIN_EXISTING) == (0.3, 10)
    assert Policy().max_change_fraction == MAX_CHANGE_FRACTION
    assert Policy().min_existing == MIN_EXISTING


@pytest.mark.parametrize("action", ["update", "delete"])
@pytest.mark.parametrize(
    ("count", "existing", "unsafe"),
    [
        (3, 10, False),  # exactly 30%: allowed
        (4, 10, True),  # 40%
        (6, 20, False),
        (7, 20, True),  # 35%
        (9, 9, False),  # below min_existing: no limit
        (30, 100, False),
        (31, 100, True),
        (0, 0, False),
    ],
)
def test_threshold_boundary(
    action: str, count: int, existing: int, unsafe: bool
) -> None:
    """Updates or deletes above the fraction are refused; at it, allowed."""
    candidate = plan(many(action, count), existing=existing)
    if unsafe:
        with pytest.raises(UnsafePlanError):
            candidate.raise_if_unsafe()
    else:
        candidate.raise_if_unsafe()


def test_message_has_the_figures_and_the_way_out() -> None:
    """The refusal names the counts, the share, the policy and --force."""
    with pytest.raises(UnsafePlanError) as caught:
        plan(many("update", 12), existing=20).raise_if_unsafe()
    assert str(caught.value) == (
        "12 updates of 20 existing schedules (60%) is more than "
        "policy.max_change_fraction 30%; review the plan and re-run with --force"
    )
    assert isinstance(caught.value, RefusedError)
    assert caught.value.exit_code == 3


def test_updates_and_deletes_both_reported() -> None:
    """When both go over, both are named; fractional shares keep one decimal."""
    changes = many("update", 5) + many("delete", 1)
    policy = Policy(max_change_fraction=0.05, min_existing=3)
    with pytest.raises(UnsafePlanError) as caught:
        plan(changes, existing=3, policy=policy).raise_if_unsafe()
    message = str(caught.value)
    assert "5 updates of 3 existing schedules (166.7%)" in message
    assert "1 delete of 3 existing schedules (33.3%)" in message
    assert "policy.max_change_fraction 5%" in message


def test_force_skips_the_check() -> None:
    """--force applies a plan the thresholds would refuse."""
    candidate = plan(many("delete", 20), existing=20)
    with pytest.raises(UnsafePlanError):
        candidate.raise_if_unsafe()
    candidate.raise_if_unsafe(force=True)


def test_creates_and_pacing_do_not_count() -> None:
    """Creates and pacing changes never trip the schedule thresholds."""
    plan(many("create", 50) + many("pacing", 50), existing=10).raise_if_unsafe()


def test_policy_overrides_min_existing() -> None:
    """policy.min_existing: 0 applies the fraction from the first schedule."""
    small = plan(many("update", 1), existing=1, policy=Policy(min_existing=0))
    with pytest.raises(UnsafePlanError, match="1 update of 1 existing schedule "):
        small.raise_if_unsafe()
    plan(many("update", 1), existing=1).raise_if_unsafe()


def test_policy_overrides_fraction() -> None:
    """policy.max_change_fraction: 1.0 allows rewriting everything."""
    plan(many("update", 20), existing=20, policy=Policy(max_change_fraction=1.0))
    plan(
        many("update", 20), existing=20, policy=Policy(max_change_fraction=1.0)
    ).raise_if_unsafe()


def test_min_existing_boundary_is_inclusive() -> None:
    """At exactly min_existing schedules the fraction applies."""
    with pytest.raises(UnsafePlanError):
        plan(many("update", 10), existing=10).raise_if_unsafe()
    plan(many("update", 9), existing=9).raise_if_unsafe()


def test_unsafe_reasons_empty_when_safe() -> None:
    """A safe plan has no reasons."""
    assert plan(many("update", 1), existing=20).unsafe_reasons() == []


CONFLICT_OF_SAFETY = fake_pair(
    type="audience",
    campaigns=("Q4 Renewals", "Win-back"),
    contact_list="list-1",
    start=datetime(2026, 12, 1, 15, tzinfo=UTC),
    end=datetime(2026, 12, 1, 16, tzinfo=UTC),
    resolution="warn",
    winner=None,
    reason="same contact list",
)


def test_rejected_conflicts_are_refused_even_when_forced() -> None:
    """`reject` conflicts are the one refusal --force does not lift."""
    rejected = dataclasses.replace(CONFLICT_OF_SAFETY, resolution="reject")
    risky = plan([change("create", "c1")], conflicts=(rejected,))
    assert risky.rejected == (rejected,)
    for force in (False, True):
        with pytest.raises(ConflictsRejectedError, match="1 audience conflict") as err:
            risky.raise_if_unsafe(force=force)
        assert err.value.conflicts == (rejected,)
    trimmed = dataclasses.replace(rejected, resolution="trim")
    plan([change("create", "c1")], conflicts=(trimmed,)).raise_if_unsafe()
