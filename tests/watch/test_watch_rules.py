"""The watcher's rules without a server: what counts as drift, and when --heal
heals (never a foreign schedule, not when the file already agrees, a cooldown,
a cap per hour)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from watch_support import schedule_file

from gcsched.api import load
from gcsched.engine.watch import (
    Drift,
    HealCapReachedError,
    Target,
    Watcher,
    WatchSettings,
    WatchSummary,
    heal_reason,
)
from gcsched.genesys import Family
from gcsched.journal import Journal, OwnershipRecord

pytestmark = pytest.mark.anyio

TARGET = Target(Family.CAMPAIGNS, "c1", "Win-back")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite") as opened:
        yield opened


def watcher(
    tmp_path: Path, journal: Journal, clock: Clock, **settings: Any
) -> tuple[Watcher, list[str], list[Drift]]:
    lines: list[str] = []
    healed: list[Drift] = []

    async def heal(drift: Drift) -> tuple[bool, str]:
        healed.append(drift)
        return True, "run r1 succeeded"

    made = Watcher(
        org=None,  # type: ignore[arg-type]  # the rules read nothing
        service=None,  # type: ignore[arg-type]
        file=load(schedule_file(tmp_path, "http://127.0.0.1:9/hook")),
        journal=journal,
        report=lines.append,
        today=lambda: date(2027, 1, 1),
        settings=WatchSettings(heal=True, **settings),
        heal=heal,
        clock=clock,
    )
    return made, lines, healed


def drift(change: str = "edited", *, differs: bool = True, version: int = 3) -> Drift:
    return Drift(TARGET, change, 2, version, f"2027-01-0{version}", differs)  # type: ignore[arg-type]


def record(
    version: int | None = 2, created: str | None = "2026-01-01"
) -> OwnershipRecord:
    return OwnershipRecord(
        "org", "default", "campaigns", "c1", "watched", version, created, "r0"
    )


def test_what_counts_as_drift() -> None:
    body = {"version": 2, "dateCreated": "2026-01-01", "dateModified": "x"}
    assert Watcher._drift(TARGET, record(), body, differs=False) is None
    edited = Watcher._drift(TARGET, record(), {**body, "version": 3}, differs=True)
    assert edited is not None
    assert edited.change == "edited"
    recreated = Watcher._drift(
        TARGET, record(), {**body, "dateCreated": "2027-01-02"}, differs=True
    )
    assert recreated is not None
    assert recreated.change == "recreated"
    assert "recreated by someone else" in recreated.line()
    deleted = Watcher._drift(TARGET, record(), None, differs=True)
    assert deleted is not None
    assert "deleted (gcsched wrote version 2)" in deleted.line()
    assert Watcher._drift(TARGET, record(version=None), None, differs=True) is None


def test_drift_ids_are_stable_per_change() -> None:
    assert drift().id == drift().id
    assert drift().id != drift(version=4).id
    assert drift().data({"id": "o", "name": "O"})["drift_id"] == drift().id
    assert "Win-back (c1) edited outside gcsched (version 2 → 3)" in heal_reason(
        drift()
    )


def test_summary_lines() -> None:
    summary = WatchSummary(rejected=["t"], heal_skipped=1, stopped_by="SIGTERM")
    text = "\n".join(summary.lines())
    assert "rejected topics: 1" in text
    assert "1 not healed" in text
    assert "stopped: SIGTERM" in text


async def test_heal_never_takes_a_foreign_schedule_nor_one_that_agrees(
    tmp_path: Path, journal: Journal
) -> None:
    made, lines, healed = watcher(tmp_path, journal, Clock())
    await made._heal(drift("recreated"), made.heal)  # type: ignore[arg-type]
    await made._heal(drift(differs=False), made.heal)  # type: ignore[arg-type]
    assert healed == []
    assert made.summary.heal_skipped == 1
    assert "foreign now" in lines[0]
    assert "already matches the file" in lines[1]


async def test_heal_cap_per_hour(tmp_path: Path, journal: Journal) -> None:
    clock = Clock()
    made, _, healed = watcher(tmp_path, journal, clock, heal_cap=2, heal_cooldown=0)
    heal = made.heal
    assert heal is not None
    await made._heal(drift(version=3), heal)
    clock.now += 1
    await made._heal(drift(version=4), heal)
    assert len(healed) == 2
    with pytest.raises(HealCapReachedError, match="cap of 2 heals per hour"):
        await made._heal(drift(version=5), heal)
    assert made.summary.stopped_by == "the heal cap"
    clock.now += 3600
    await made._heal(drift(version=6), heal)
    assert len(healed) == 3


async def test_heal_cooldown(tmp_path: Path, journal: Journal) -> None:
    clock = Clock()
    made, lines, healed = watcher(tmp_path, journal, clock, heal_cooldown=60.0)
    heal = made.heal
    assert heal is not None
    await made._heal(drift(version=3), heal)
    clock.now += 10
    made.stop("the test")  # a stop during the cooldown ends it without a heal
    await made._heal(drift(version=4), heal)
    assert len(healed) == 1
    assert "cooling down 50 s" in lines[-1]
    made._stop.clear()
    clock.now += 50
    await made._heal(drift(version=5), heal)
    assert len(healed) == 2
