"""`owner_of`: a record wins over the marker; recreated schedules are foreign."""

from __future__ import annotations

from gcsched.engine.ownership import owner_of
from gcsched.journal import OwnershipRecord

CREATED = "2026-11-27T10:00:00.000Z"


def _record(version: int = 3, created: str | None = CREATED) -> OwnershipRecord:
    return OwnershipRecord(
        org_id="org",
        environment="default",
        family="campaigns",
        target_id="c1",
        project="team-a",
        version=version,
        date_created=created,
        run_id="run-1",
    )


def test_without_a_record_the_marker_decides() -> None:
    assert owner_of({"name": "gcsched: X"}, None).project == "default"
    assert owner_of({"name": "Manual"}, None).project is None


def test_the_record_names_the_project_without_a_name() -> None:
    owner = owner_of({"version": 3, "dateCreated": CREATED}, _record())
    assert (owner.project, owner.edited, owner.recreated) == ("team-a", False, False)


def test_the_record_wins_over_another_projects_marker() -> None:
    body = {"name": "gcsched:team-b: X", "version": 3, "dateCreated": CREATED}
    assert owner_of(body, _record()).project == "team-a"


def test_a_new_date_created_is_foreign_whatever_the_name() -> None:
    body = {"name": "gcsched:team-a: X", "version": 3, "dateCreated": "2027-01-01"}
    owner = owner_of(body, _record())
    assert (owner.project, owner.recreated) == (None, True)


def test_a_lower_version_is_foreign() -> None:
    owner = owner_of({"version": 1, "dateCreated": CREATED}, _record(version=3))
    assert (owner.project, owner.recreated) == (None, True)
    # without dateCreated in the answer, the version alone decides
    assert owner_of({"version": 1}, _record(created=None)).recreated


def test_a_higher_version_is_still_owned_but_edited() -> None:
    owner = owner_of({"version": 5, "dateCreated": CREATED}, _record(version=3))
    assert (owner.project, owner.edited) == ("team-a", True)
