"""The day-independent basis of a change (`gcsched.plan.basis`) and its checksum."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

from plan_factories import body, change, plan

from gcsched.config import loads
from gcsched.domain import Conflict
from gcsched.domain.model import SourceRef, Weekday
from gcsched.plan import Change
from gcsched.plan.basis import change_basis, entry_form

FILE = """
version: 1
schedules:
  - campaign: A
    time_zone: Europe/Paris
    windows: [{days: [wed, mon], start: "09:00", end: "17:00"}]
    except: [2026-12-25]
    until: 2027-01-31
  - campaign: B
    time_zone: Europe/Paris
    windows: [{days: [mon], start: "10:00", end: "12:00"}]
    until: 2027-01-31
"""


def test_entry_form_is_canonical_data_without_source_positions() -> None:
    file = loads(FILE, "f.yaml")
    moved = loads("\n\n" + FILE, "other.yaml")
    first, second = file.schedules
    assert entry_form(first) == entry_form(moved.schedules[0])
    form = entry_form(first)
    assert "source" not in form
    assert form["windows"][0]["days"] == [1, 3]  # Weekday values, sorted
    assert form["windows"][0]["start"] == "09:00:00"
    assert form["until"] == "2027-01-31"
    assert entry_form(first) != entry_form(second)
    assert entry_form({"a": (timedelta(minutes=1), Weekday.MONDAY)}) == {"a": [60.0, 1]}
    assert entry_form({date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC)}) == [
        "2026-01-01",
        "2026-01-01T00:00:00+00:00",
    ]
    assert entry_form(SourceRef("f", 1)) == {"path": "f", "line": 1, "column": 1}
    assert entry_form(time(9)) == "09:00:00"


def _conflict(a: str, b: str, *, day: int, winner: str = "B") -> Conflict:
    return Conflict(
        type="audience",
        campaigns=(a, b),
        contact_list="L",
        start=datetime(2026, 12, day, 9, tzinfo=UTC),
        end=datetime(2026, 12, day, 10, tzinfo=UTC),
        resolution="trim",
        winner=winner,
        reason=f"B ranks higher (first overlap 2026-12-{day:02d})",
    )


def test_the_basis_holds_the_resolution_without_its_dates() -> None:
    a, b = loads(FILE, "f.yaml").schedules
    partners = {"A": a, "B": b}
    render = {"project": "default", "interval_time": "wall"}
    today = [_conflict("A", "B", day=7), _conflict("A", "B", day=14)]
    next_week = [_conflict("A", "B", day=14), _conflict("B", "C", day=21)]
    first = change_basis(
        a, label="A", conflicts=today, partners=partners, render=render
    )
    later = change_basis(
        a, label="A", conflicts=next_week, partners=partners, render=render
    )
    assert first == later
    assert first["partners"] == {"B": entry_form(b)}
    assert len(first["resolution"]) == 1
    lost = change_basis(
        a,
        label="A",
        conflicts=[_conflict("A", "B", day=7, winner="A")],
        partners=partners,
        render=render,
    )
    assert lost != first
    alone = change_basis(a, label="A", conflicts=[], partners=partners, render=render)
    assert alone["resolution"] == []
    assert alone["partners"] == {}


def test_a_change_with_a_basis_is_hashed_by_it_not_by_its_body() -> None:
    """Two bodies rendered on different days, one basis: one checksum; the
    journal's step key stays the body's."""
    basis = {"entry": {"x": 1}}
    monday = change("create", "c1", after=body("c1", start="2026-12-07T09:00:00"))
    tuesday = change("create", "c1", after=body("c1", start="2026-12-08T09:00:00"))
    with_basis = [dataclasses.replace(c, basis=basis) for c in (monday, tuesday)]
    assert plan([with_basis[0]]).checksum() == plan([with_basis[1]]).checksum()
    assert plan([monday]).checksum() != plan([tuesday]).checksum()
    assert with_basis[0].key()[4] == {"basis": basis}
    assert with_basis[0].step_key() == monday.key()
    other = dataclasses.replace(monday, basis={"entry": {"x": 2}})
    assert plan([other]).checksum() != plan([with_basis[0]]).checksum()


def test_a_resumed_run_covers_by_the_steps_bodies() -> None:
    """The journal holds plain steps (no basis): a resumed run's steps cover a
    plan whose changes carry one when their bodies are the same."""
    step = change("create", "c1", after=body("c1"))
    planned = plan([dataclasses.replace(step, basis={"entry": 1})])
    spec = Change.of(step)
    assert planned.covered_by("reviewed", [("reviewed", [spec])])
    assert not planned.covered_by("other", [("reviewed", [spec])])
