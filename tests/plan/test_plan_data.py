"""Plan.data(), summary(), ordering: the plan --json object of design.md."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from plan_factories import change, fake_pair, many, plan

from gcsched.plan import Plan

CONFLICT = fake_pair(
    type="audience",
    campaigns=("Q4 Renewals", "Win-back"),
    contact_list="retail-renewals",
    start=datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-6))),
    end=datetime(2026, 12, 1, 17, 0, tzinfo=timezone(timedelta(hours=-6))),
    resolution="reject",
    winner="Q4 Renewals",
    reason="priority 7 beats 5",
)


def full_plan() -> Plan:
    return plan(
        [change("update", "c1"), change("create", "c2"), change("pacing", "c1")],
        unchanged=4,
        conflicts=(CONFLICT,),
        warnings=("Q4 Renewals: campaign is on",),
        not_managed=("Lapsed Survey: ... left alone",),
    )


def test_data_has_exactly_the_documented_keys() -> None:
    """Top-level keys are design.md's plus not_managed, facts and compliance."""
    data = full_plan().data()
    assert list(data) == [
        "format_version",
        "org",
        "checksum",
        "summary",
        "changes",
        "conflicts",
        "fixed_conflicts",
        "warnings",
        "not_managed",
        "facts",
        "compliance",
    ]
    assert data["facts"] == []  # no doctor facts in force
    assert data["compliance"] == []  # the file asks for no calling-hour check
    assert data["format_version"] == 2
    assert data["org"] == {"id": "org-1", "name": "Acme Outbound"}
    assert data["checksum"] == full_plan().checksum()
    assert data["warnings"] == ["Q4 Renewals: campaign is on"]
    assert data["not_managed"] == ["Lapsed Survey: ... left alone"]


def test_summary_counts() -> None:
    """summary() counts each action and the unchanged schedules."""
    assert full_plan().data()["summary"] == {
        "create": 1,
        "update": 1,
        "delete": 0,
        "unchanged": 4,
        "pacing": 1,
    }
    assert full_plan().has_changes
    assert not plan([], unchanged=3).has_changes


def test_change_entries() -> None:
    """Each change holds action, kind, target, version_seen, before and after."""
    (first, *_) = full_plan().data()["changes"]
    assert list(first) == [
        "action",
        "kind",
        "target_id",
        "target_name",
        "version_seen",
        "before",
        "after",
    ]
    assert first["action"] == "create"
    assert first["before"] is None
    assert first["version_seen"] is None


def test_conflicts_in_utc() -> None:
    """One entry per pair (format 2): first and last in ISO UTC, count, minutes."""
    data = full_plan().data()
    assert data["format_version"] == 2
    assert data["conflicts"] == [
        {
            "type": "audience",
            "campaigns": ["Q4 Renewals", "Win-back"],
            "contact_list": "retail-renewals",
            "first": "2026-12-01T15:00:00Z",
            "last": "2026-12-01T23:00:00Z",
            "count": 1,
            "minutes": 480,
            "resolution": "reject",
            "winner": "Q4 Renewals",
        }
    ]
    assert data["fixed_conflicts"] == 0


def test_pair_minutes_sum_every_overlap_and_keep_fractions() -> None:
    """minutes is the summed overlap of the pair: whole as int, else a float."""
    many_days = dataclasses.replace(
        CONFLICT, count=60, total=timedelta(hours=480, seconds=30)
    )
    (entry,) = plan([], conflicts=(many_days,)).data()["conflicts"]
    assert (entry["count"], entry["minutes"]) == (60, 28800.5)
    assert plan([], fixed_conflicts=7).data()["fixed_conflicts"] == 7


def test_naive_conflict_time_is_taken_as_utc() -> None:
    """A naive datetime is rendered as UTC rather than guessed."""
    naive = fake_pair(
        "overlap",
        ("A", "B"),
        None,
        datetime(2026, 1, 1, 8),
        datetime(2026, 1, 1, 9),
        "warn",
        None,
        "",
    )
    (entry,) = plan([], conflicts=(naive,)).data()["conflicts"]
    assert (entry["first"], entry["contact_list"], entry["winner"]) == (
        "2026-01-01T08:00:00Z",
        None,
        None,
    )


def test_data_is_json_and_a_copy() -> None:
    """data() survives json.dumps and mutating it leaves the plan intact."""
    built = full_plan()
    data = built.data()
    json.dumps(data)
    data["changes"][1]["after"]["name"] = "tampered"
    assert built.changes[1].after is not None
    assert built.changes[1].after["name"] != "tampered"


def test_ordering_deletes_first() -> None:
    """Changes sort delete, create, update, pacing; then kind, name, id."""
    changes = [
        change("pacing", "p1", kind="campaign"),
        change("update", "u1"),
        change("create", "b", name="Beta"),
        change("create", "a", name="Alpha"),
        change("create", "z", name="Alpha", kind="sequences"),
        change("create", "y", name="Alpha"),
        change("delete", "d1"),
    ]
    ordered = plan(changes).changes
    assert [(c.action, c.stored_kind, c.target_name, c.target_id) for c in ordered] == [
        ("delete", "campaigns", "Campaign d1", "d1"),
        ("create", "campaigns", "Alpha", "a"),
        ("create", "campaigns", "Alpha", "y"),
        ("create", "campaigns", "Beta", "b"),
        ("create", "sequences", "Alpha", "z"),
        ("update", "campaigns", "Campaign u1", "u1"),
        ("pacing", "campaign", "Campaign p1", "p1"),
    ]


def test_ordering_is_stable_for_many() -> None:
    """However the changes arrive, the plan holds them in one order."""
    changes = many("create", 5) + many("delete", 5) + many("update", 5)
    assert plan(changes).changes == plan(list(reversed(changes))).changes
    assert plan(changes).changes[0].action == "delete"


def test_plan_is_frozen() -> None:
    """A Plan cannot be changed after it is built."""
    built = full_plan()
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.unchanged = 1  # type: ignore[misc]
    assert CONFLICT.first.astimezone(UTC).hour == 15
