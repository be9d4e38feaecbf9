"""diff(): the ownership table of design.md, creates, updates, deletes."""

from __future__ import annotations

from typing import Any

import pytest
from plan_factories import body, canonical, is_owned, read_back

from gcsched.errors import InputError, ResolveError
from gcsched.plan import Desired, DiffResult, Existing, diff

MANUAL = {"name": "Manual survey schedule", "campaign": {"id": "c1"}, "intervals": []}


def run(
    desired: list[Desired], existing: list[Existing], manage: Any = "owned"
) -> DiffResult:
    return diff(
        desired, existing, manage=manage, canonical=canonical, is_owned=is_owned
    )


def want(target_id: str = "c1", name: str = "Lapsed Survey", **kw: Any) -> Desired:
    return Desired("campaigns", target_id, name, body(target_id, **kw))


def have(target_body: dict[str, Any], target_id: str = "c1") -> Existing:
    return Existing("campaigns", target_id, "Lapsed Survey", target_body)


OWNED_OTHER = read_back(body("c1", days=["Monday"]), version=4)
NOT_OWNED = read_back(MANUAL, version=7)


@pytest.mark.parametrize(
    ("existing", "listed", "manage", "expected"),
    [
        (None, True, "owned", "create"),
        (None, True, "all", "create"),
        (OWNED_OTHER, True, "owned", "update"),
        (OWNED_OTHER, True, "all", "update"),
        (NOT_OWNED, True, "owned", "not_managed"),
        (NOT_OWNED, True, "all", "update"),
        (OWNED_OTHER, False, "owned", "delete"),
        (OWNED_OTHER, False, "all", "delete"),
        (NOT_OWNED, False, "owned", "untouched"),
        (NOT_OWNED, False, "all", "untouched"),
    ],
)
def test_ownership_table(
    existing: dict[str, Any] | None, listed: bool, manage: str, expected: str
) -> None:
    """Each (existing, listed, manage) cell gives the action design.md names."""
    result = run(
        [want()] if listed else [],
        [have(existing)] if existing is not None else [],
        manage,
    )
    actions = [c.action for c in result.changes]
    if expected in ("create", "update", "delete"):
        assert actions == [expected]
        assert result.not_managed == ()
    elif expected == "not_managed":
        assert actions == []
        assert len(result.not_managed) == 1
    else:
        assert actions == []
        assert result.not_managed == ()
    assert result.unchanged == 0


def test_not_managed_note_names_both_and_the_way_out() -> None:
    """The note names the target, the foreign schedule and policy.manage: all."""
    result = run([want()], [have(NOT_OWNED)])
    assert result.not_managed == (
        "Lapsed Survey: existing schedule 'Manual survey schedule' is not managed "
        "by gcsched; left alone (use policy.manage: all to adopt it)",
    )


def test_not_managed_unnamed_schedule() -> None:
    """A foreign schedule without a name reads as (unnamed)."""
    result = run([want()], [have({"campaign": {"id": "c1"}, "version": 1})])
    assert "existing schedule (unnamed) is not managed" in result.not_managed[0]


def test_adoption_marks_the_schedule() -> None:
    """manage: all adopts a foreign schedule: the update's after carries the marker."""
    result = run([want()], [have(NOT_OWNED)], "all")
    (update,) = result.changes
    assert update.after is not None
    assert update.after["name"].startswith("gcsched:")
    assert update.version_seen == 7


def test_read_only_fields_do_not_make_an_update() -> None:
    """An owned schedule equal but for id, version and timestamps is unchanged."""
    desired = want()
    result = run([desired], [have(read_back(desired.body, version=9))])
    assert result.changes == ()
    assert result.unchanged == 1


def test_update_carries_version_before_and_after() -> None:
    """An update keeps the version seen, a canonical before with version, the after."""
    desired = want(days=["Monday", "Tuesday"])
    result = run([desired], [have(OWNED_OTHER)])
    (update,) = result.changes
    assert update.version_seen == 4
    assert update.before is not None
    assert update.before["version"] == 4
    assert "dateModified" not in update.before
    assert update.after == desired.body
    assert update.target_name == "Lapsed Survey"


def test_create_has_no_version_and_no_before() -> None:
    """A create carries version_seen None, before None and the full desired body."""
    desired = want()
    (create,) = run([desired], []).changes
    assert (create.version_seen, create.before) == (None, None)
    assert create.after == desired.body


def test_delete_keeps_version_and_the_existing_body() -> None:
    """An owned schedule no longer listed is deleted with the version seen."""
    (delete,) = run([], [have(OWNED_OTHER)]).changes
    assert delete.version_seen == 4
    assert delete.after is None
    assert delete.before is not None
    assert delete.before["name"] == OWNED_OTHER["name"]


def test_existing_count_counts_every_schedule() -> None:
    """existing_count includes unlisted and foreign schedules."""
    existing = [
        have(OWNED_OTHER, "c1"),
        have(read_back(MANUAL), "c2"),
        have(read_back(body("c3")), "c3"),
    ]
    result = run([want("c3")], existing)
    assert result.existing_count == 3
    assert result.unchanged == 1
    assert [c.action for c in result.changes] == ["delete"]


def test_same_id_in_another_family_is_another_target() -> None:
    """A sequence schedule does not match a campaign schedule with the same id."""
    existing = Existing("sequences", "c1", "Seq", read_back(body("c1")))
    result = run([want()], [existing])
    assert sorted(c.action for c in result.changes) == ["create", "delete"]


def test_version_missing_or_odd_is_none() -> None:
    """A body without an int version gives version_seen None."""
    odd = {**body("c1", days=["Sunday"]), "version": "3"}
    (update,) = run([want()], [have(odd)]).changes
    assert update.version_seen is None
    assert update.before is not None
    assert "version" not in update.before


def test_target_listed_twice_is_input_error() -> None:
    """Every target given twice is named at once, in one ResolveError."""
    with pytest.raises(
        ResolveError, match=r"Lapsed Survey \(campaigns c1\).*once"
    ) as err:
        run([want(), want(), want()], [])
    assert isinstance(err.value, InputError)
    assert len(err.value.reasons) == 2


def test_org_with_two_schedules_for_one_target_is_an_error() -> None:
    """Two existing schedules for one target stop the diff instead of guessing."""
    with pytest.raises(ResolveError, match="two campaigns schedules"):
        run([], [have(OWNED_OTHER), have(OWNED_OTHER)])


def test_desired_body_is_copied() -> None:
    """Mutating the desired body afterwards does not change the plan's after."""
    desired = want()
    (create,) = run([desired], []).changes
    desired.body["name"] = "changed"  # type: ignore[index]
    assert create.after is not None
    assert create.after["name"] == "gcsched:Q4 weekday calling"
