"""`Connection.provision`: the tutorial's one-shot call, with every safety of a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import gcsched
from gcsched.api import StatePaths
from gcsched.api.local import audit_entries, audit_verify, list_runs
from gcsched.api.sandbox import SandboxState
from gcsched.config import loads
from gcsched.errors import ConflictsRejectedError
from gcsched.sandbox.entities import entity_id

TODAY = date(2026, 11, 27)
_SURVEY = entity_id("campaign", "Lapsed Survey")
WEEKDAYS: dict[str, Any] = {
    "time_zone": "America/Chicago",
    "priority": 8,
    "windows": [{"days": ["mon-fri"], "start": "09:00", "end": "17:00"}],
    "from": "2026-12-01",
    "until": "2027-01-31",
    "except": ["2026-12-25"],
}


def _connect(state_dir: Path) -> Any:
    return gcsched.connect(sandbox=True, state_dir=state_dir, today=lambda: TODAY)


def _schedules(state_dir: Path, family: str = "campaigns") -> dict[str, Any]:
    saved = SandboxState.load(StatePaths.at(state_dir).sandbox)
    return dict(saved.schedules[family])


@pytest.mark.anyio
async def test_provision_creates_journals_audits_and_is_idempotent(
    tmp_path: Path,
) -> None:
    """One call creates the schedule, journals a run and audits it; again: no-op."""
    async with _connect(tmp_path) as org:
        first = await org.provision(campaign="Q4 Renewals", schedule=WEEKDAYS)
        assert first.ok
        assert first.run is not None
        assert first.plan.summary()["create"] == 1
        again = await org.provision(campaign="Q4 Renewals", schedule=WEEKDAYS)
    assert again.run is None
    assert not again.plan.has_changes
    state = StatePaths.at(tmp_path)
    runs = list_runs(state)
    assert [r.status for r in runs] == ["succeeded"]
    assert runs[0].file_path.startswith("<provision campaign=Q4 Renewals")
    entries = audit_entries(state, run_id=runs[0].id)
    assert [e["action"] for e in entries] == ["create"]
    assert audit_verify(state).ok
    stored = [b for b in _schedules(tmp_path).values() if "Q4" in str(b.get("name"))]
    assert stored[0]["name"] == "gcsched: Q4 Renewals"
    assert stored[0]["recurrences"][0]["pattern"]["daysOfWeek"] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"
    ]  # fmt: skip


@pytest.mark.anyio
async def test_provision_is_scoped_to_its_target(tmp_path: Path) -> None:
    """Provisioning B keeps A (owned, not in B's call) and the manual schedule."""
    async with _connect(tmp_path) as org:
        before = {body["name"] for body in (await _live_bodies(org))}
        await org.provision(campaign="Q4 Renewals", schedule=WEEKDAYS)
        outcome = await org.provision(
            campaign="Win-back",
            schedule={**WEEKDAYS, "windows": [{"days": ["sat"], "start": "10:00",
                                               "end": "14:00"}]},
        )  # fmt: skip
        assert outcome.plan.summary() == {**outcome.plan.summary(), "delete": 0}
        after = {body["name"] for body in (await _live_bodies(org))}
    assert after == before | {"gcsched: Q4 Renewals", "gcsched: Win-back"}
    assert "Manual survey schedule" in after


async def _live_bodies(org: Any) -> list[dict[str, Any]]:
    return list(await org.client.list_schedules("campaigns"))


@pytest.mark.anyio
async def test_a_changed_call_updates_only_that_schedule(tmp_path: Path) -> None:
    """A second call with other windows is an update of the same schedule."""
    async with _connect(tmp_path) as org:
        await org.provision(campaign="Q4 Renewals", schedule=WEEKDAYS)
        changed = {**WEEKDAYS, "windows": [{"days": ["mon"], "start": "08:00",
                                            "end": "12:00"}]}  # fmt: skip
        outcome = await org.provision(campaign="Q4 Renewals", schedule=changed)
    assert outcome.ok
    assert outcome.plan.summary()["update"] == 1
    assert outcome.plan.summary()["create"] == 0
    assert len(list_runs(StatePaths.at(tmp_path))) == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ({**WEEKDAYS, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({**WEEKDAYS, "colour": "red"}, "colour"),
        ({**WEEKDAYS, "windows": [{"days": ["mon"], "start": "09:00",
                                   "end": "09:00"}]}, "end"),
        ({**WEEKDAYS, "campaign": "Win-back"}, "target is given separately"),
    ],
    ids=["zone", "unknown-key", "empty-window", "target-key"],
)  # fmt: skip
async def test_bad_input_is_a_config_error_and_changes_nothing(
    tmp_path: Path, schedule: dict[str, Any], says: str
) -> None:
    """Invalid schedules raise ConfigError naming the field; no run, no write."""
    async with _connect(tmp_path) as org:
        with pytest.raises(gcsched.ConfigError) as caught:
            await org.provision(campaign="Q4 Renewals", schedule=schedule)
    assert says in str(caught.value)
    assert list_runs(StatePaths.at(tmp_path)) == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "targets",
    [{}, {"campaign": "Q4 Renewals", "sequence": "Collections Ladder"}],
    ids=["none", "two"],
)
async def test_exactly_one_target(tmp_path: Path, targets: dict[str, str]) -> None:
    """No target, or two: InputError, never a traceback."""
    async with _connect(tmp_path) as org:
        with pytest.raises(gcsched.InputError, match="exactly one"):
            await org.provision(schedule=WEEKDAYS, **targets)


@pytest.mark.anyio
async def test_unknown_campaign_is_input_error(tmp_path: Path) -> None:
    """A campaign the org does not have is named in the error."""
    async with _connect(tmp_path) as org:
        with pytest.raises(gcsched.InputError, match="No Such Campaign"):
            await org.provision(campaign="No Such Campaign", schedule=WEEKDAYS)


@pytest.mark.anyio
async def test_conflict_inside_a_file_is_refused_before_any_write(
    tmp_path: Path,
) -> None:
    """The same overlap stated in a file (both campaigns listed) is refused."""
    text = f"""\
version: 1
policy: {{audience_conflicts: reject}}
schedules:
  - campaign: Win-back
    {_OVERLAP_YAML}
  - campaign: Lapsed Survey
    {_OVERLAP_YAML}
"""
    async with _connect(tmp_path) as org:
        with pytest.raises(ConflictsRejectedError):
            await org.apply(loads(text))
    assert list_runs(StatePaths.at(tmp_path)) == []


_OVERLAP_YAML = """time_zone: America/Chicago
    windows: [{days: [tue, thu], start: "11:00", end: "15:00"}]
    from: 2026-12-01
    until: 2026-12-31"""


@pytest.mark.anyio
async def test_rejected_audience_conflict_refuses(tmp_path: Path) -> None:
    """Overlapping the manual Lapsed Survey schedule on the same list: refused."""
    overlap = {
        "time_zone": "America/Chicago",
        "windows": [{"days": ["tue", "thu"], "start": "11:00", "end": "15:00"}],
        "from": "2026-12-01",
        "until": "2026-12-31",
    }
    async with _connect(tmp_path) as org:
        with pytest.raises(ConflictsRejectedError) as caught:
            await org.provision(
                campaign="Win-back",
                schedule=overlap,
                policy=gcsched.Policy(audience_conflicts="reject"),
            )
    assert list_runs(StatePaths.at(tmp_path)) == []
    pairs = {getattr(c, "campaigns", None) for c in caught.value.conflicts}
    assert pairs == {("Lapsed Survey", "Win-back")}


@pytest.mark.anyio
async def test_trim_gives_the_overlap_to_the_manual_schedule(tmp_path: Path) -> None:
    """trim: Win-back is written without Tue/Thu 10-16; Lapsed Survey is untouched."""
    weekdays = {**WEEKDAYS, "priority": 10, "until": "2026-12-04", "except": []}
    async with _connect(tmp_path) as org:
        manual = await org.client.get_schedule("campaigns", _SURVEY)
        outcome = await org.provision(
            campaign="Win-back",
            schedule=weekdays,
            policy=gcsched.Policy(audience_conflicts="trim"),
        )
        assert outcome.ok
        assert await org.client.get_schedule("campaigns", _SURVEY) == manual
    stored = [b for b in _schedules(tmp_path).values() if "Win-back" in b["name"]]
    spans = [(i["start"][:16], i["end"][11:16]) for i in stored[0]["intervals"]]
    assert spans == [
        ("2026-12-01T09:00", "10:00"),
        ("2026-12-01T16:00", "17:00"),
        ("2026-12-02T09:00", "17:00"),
        ("2026-12-03T09:00", "10:00"),
        ("2026-12-03T16:00", "17:00"),
        ("2026-12-04T09:00", "17:00"),
    ]


@pytest.mark.anyio
async def test_provision_may_not_overlap_its_own_other_schedule(
    tmp_path: Path,
) -> None:
    """A scoped call checks gcsched's other schedules on the list, and keeps them."""
    mon_wed_fri = {
        "time_zone": "America/Chicago",
        "windows": [{"days": ["mon", "wed", "fri"], "start": "12:00", "end": "13:00"}],
        "from": "2026-12-01",
        "until": "2026-12-11",
    }
    async with _connect(tmp_path) as org:
        first = await org.provision(campaign="Holiday Offers", schedule=mon_wed_fri)
        assert first.ok
        with pytest.raises(ConflictsRejectedError) as caught:
            await org.provision(campaign="Win-back", schedule=mon_wed_fri)
        names = {b["name"] for b in await _live_bodies(org)}
    pairs = {getattr(c, "campaigns", None) for c in caught.value.conflicts}
    assert pairs == {("Holiday Offers", "Win-back")}
    assert "gcsched: Holiday Offers" in names
    assert "gcsched: Win-back" not in names
    assert len(list_runs(StatePaths.at(tmp_path))) == 1
