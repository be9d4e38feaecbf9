"""Ownership per project (design.md Ownership): records, markers, adopt, scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from integration_support import EXAMPLE, TODAY, client_for, connection_for

from gcsched.api import Connection
from gcsched.config import load, loads
from gcsched.domain.model import ScheduleFile
from gcsched.genesys import Action
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState, create_app, entity_id

pytestmark = pytest.mark.anyio

C30 = entity_id("campaign", "Collections 30")
EMEA = entity_id("campaign", "EMEA Callbacks")
SURVEY = entity_id("campaign", "Lapsed Survey")


class Ticking:
    """A sandbox clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 1_795_000_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def _entry(campaign: str, start: str) -> str:
    return (
        f"  - campaign: {campaign}\n"
        "    time_zone: America/New_York\n"
        f"    windows: [{{days: [mon-fri], start: '{start}', end: '12:00'}}]\n"
        "    from: 2026-12-01\n"
        "    until: 2027-01-31\n"
    )


def _file(project: str | None, *entries: str, name: str = "f.yaml") -> ScheduleFile:
    head = "version: 1\n" + (f"project: {project}\n" if project else "")
    policy = (
        "policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}\n"
    )
    return loads(head + policy + "schedules:\n" + "".join(entries), name)


def _connection(tmp_path: Path, *guesses: str) -> tuple[Connection, SandboxState]:
    state = SandboxState.demo()
    state.clock = Ticking()
    app = create_app(state, rate_limit=0, guesses=list(guesses))
    return connection_for(client_for(app), tmp_path), state


def _actions(plan: Any) -> list[tuple[str, str]]:
    return sorted((str(c.action), c.target_name) for c in plan.changes)


async def test_a_one_schedule_file_leaves_another_projects_schedules(
    tmp_path: Path,
) -> None:
    """q4.yaml applied as project default; a team-b file plans no delete of them."""
    conn, _ = _connection(tmp_path)
    async with conn.client:
        first = await conn.apply(load(EXAMPLE), today=TODAY)
        assert first.ok
        written = len(first.plan.changes) - sum(
            1 for c in first.plan.changes if c.action == Action.PACING
        )
        planned = await conn.plan(
            _file("team-b", _entry("EMEA Callbacks", "09:00")), today=TODAY
        )
        assert _actions(planned.plan) == [("create", "EMEA Callbacks")]
        assert any(
            f"the org holds {written} schedule(s) of other gcsched projects "
            "(default)" in w
            for w in planned.plan.warnings
        )
        # the same one-schedule file as project default deletes q4's others
        mine = await conn.plan(
            _file(None, _entry("EMEA Callbacks", "09:00")), today=TODAY
        )
        deletes = [c for c in mine.plan.changes if c.action == Action.DELETE]
        assert len(deletes) == written


async def test_two_projects_applied_alternately_never_touch_each_other(
    tmp_path: Path,
) -> None:
    conn, state = _connection(tmp_path)
    team_a = _file("team-a", _entry("Collections 30", "09:00"), name="a.yaml")
    team_b = _file("team-b", _entry("EMEA Callbacks", "10:00"), name="b.yaml")
    async with conn.client:
        for _ in range(2):
            for file in (team_a, team_b):
                outcome = await conn.apply(file, today=TODAY)
                assert outcome.ok
                assert not any(c.action == Action.DELETE for c in outcome.plan.changes)
        for file in (team_a, team_b):
            again = await conn.plan(file, today=TODAY)
            assert not again.plan.has_changes
            assert not again.plan.not_managed
    assert state.schedules["campaigns"][C30]["name"] == "gcsched:team-a: Collections 30"
    assert (
        state.schedules["campaigns"][EMEA]["name"] == "gcsched:team-b: EMEA Callbacks"
    )
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        records = {r.target_id: r.project for r in journal.ownership(state.org["id"])}
    assert records == {C30: "team-a", EMEA: "team-b"}


async def test_ownership_survives_a_dropped_name(tmp_path: Path) -> None:
    """schedule_name=dropped: the records alone make gcsched the owner."""
    conn, state = _connection(tmp_path, "schedule_name=dropped")
    both = _file(
        None, _entry("Collections 30", "09:00"), _entry("EMEA Callbacks", "10:00")
    )
    one = _file(None, _entry("Collections 30", "09:00"))
    survey_before = dict(state.schedules["campaigns"][SURVEY])
    async with conn.client:
        assert (await conn.apply(both, today=TODAY)).ok
        assert "name" not in state.schedules["campaigns"][C30]
        again = await conn.plan(both, today=TODAY)
        assert not again.plan.has_changes
        assert not again.plan.not_managed
        removed = await conn.plan(one, today=TODAY)
        assert _actions(removed.plan) == [("delete", "EMEA Callbacks")]
        assert (await conn.apply(one, today=TODAY)).ok
        assert EMEA not in state.schedules["campaigns"]
        assert not (await conn.plan(one, today=TODAY)).plan.has_changes
    assert state.schedules["campaigns"][SURVEY] == survey_before
    with Journal.open(tmp_path / "journal.sqlite") as journal:
        assert [r.target_id for r in journal.ownership(state.org["id"])] == [C30]


async def test_a_schedule_recreated_by_someone_else_is_foreign(tmp_path: Path) -> None:
    """Deleted and recreated (even with gcsched's marker): not managed, not deleted."""
    conn, state = _connection(tmp_path)
    file = _file(None, _entry("Collections 30", "09:00"))
    async with conn.client:
        assert (await conn.apply(file, today=TODAY)).ok
        body = dict(state.schedules["campaigns"][C30])
        await conn.client.delete_schedule("campaigns", C30)
        copy = {
            k: v
            for k, v in body.items()
            if k not in ("id", "version", "dateCreated", "dateModified", "selfUri")
        }
        await conn.client.put_schedule("campaigns", C30, copy)
        planned = await conn.plan(file, today=TODAY)
        assert not planned.plan.has_changes
        assert any("Collections 30" in n for n in planned.plan.not_managed)
        assert any("recreated outside gcsched" in w for w in planned.plan.warnings)
        other = await conn.plan(
            _file(None, _entry("EMEA Callbacks", "09:00")), today=TODAY
        )
        assert _actions(other.plan) == [("create", "EMEA Callbacks")]


async def test_an_edit_outside_gcsched_is_put_back_with_a_warning(
    tmp_path: Path,
) -> None:
    conn, state = _connection(tmp_path)
    file = _file(None, _entry("Collections 30", "09:00"))
    async with conn.client:
        outcome = await conn.apply(file, today=TODAY)
        assert outcome.run is not None
        body = dict(state.schedules["campaigns"][C30])
        body["timeZone"] = "America/Chicago"
        await conn.client.put_schedule("campaigns", C30, body)
        planned = await conn.plan(file, today=TODAY)
        assert _actions(planned.plan) == [("update", "Collections 30")]
        assert any(
            f"edited outside gcsched since run {outcome.run.run_id} wrote version "
            f"{body['version']}" in w
            for w in planned.plan.warnings
        )


async def test_adopt_takes_a_colleagues_schedule_into_the_project(
    tmp_path: Path,
) -> None:
    conn, state = _connection(tmp_path, "schedule_name=dropped")
    file = _file("team-a", _entry("Lapsed Survey", "09:00"))
    async with conn.client:
        before = await conn.plan(file, today=TODAY)
        assert not before.plan.has_changes
        assert before.plan.not_managed
        declined = await conn.adopt(file, ["Lapsed Survey"], confirm=lambda _: False)
        assert declined == ()
        assert not (await conn.plan(file, today=TODAY)).plan.has_changes
        adopted = await conn.adopt(file, [SURVEY])
        assert [(a.target_name, a.owner_before) for a in adopted] == [
            ("Lapsed Survey", None)
        ]
        after = await conn.plan(file, today=TODAY)
        assert _actions(after.plan) == [("update", "Lapsed Survey")]
        assert (await conn.apply(file, today=TODAY)).ok
        # owned now: dropping it from the file deletes it
        empty = _file("team-a", _entry("EMEA Callbacks", "09:00"))
        gone = await conn.plan(empty, today=TODAY)
        assert ("delete", "Lapsed Survey") in _actions(gone.plan)
    assert SURVEY in state.schedules["campaigns"]


async def test_scope_file_plans_no_deletes_and_applies_its_checksum(
    tmp_path: Path,
) -> None:
    conn, state = _connection(tmp_path)
    async with conn.client:
        assert (await conn.apply(load(EXAMPLE), today=TODAY)).ok
        one = _file(None, _entry("EMEA Callbacks", "09:00"))
        scoped = await conn.plan(one, today=TODAY, scoped=True)
        assert _actions(scoped.plan) == [("create", "EMEA Callbacks")]
        outcome = await conn.apply(
            one, today=TODAY, scoped=True, checksum=scoped.plan.checksum()
        )
        assert outcome.ok
    assert len(state.schedules["campaigns"]) > 2
