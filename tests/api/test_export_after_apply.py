"""Export after an apply keeps what it can know: pacing, and names from the journal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import gcsched
from gcsched.api.export import pacing_of_target
from gcsched.config import loads
from gcsched.genesys import Family

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)

FILE = """\
version: 1
calendars:
  us-holidays:
    - {from: 2026-12-25, to: 2026-12-25, name: Christmas}
    - {from: 2026-12-31, to: 2027-01-01, name: New Year}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    priority: 8
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00"}
    from: 2026-12-01
    until: 2027-01-31
    except: [us-holidays, {from: 2026-12-24, to: 2026-12-24, name: Christmas Eve}]
    pacing: {max_calls_per_agent: 1.5, outbound_line_count: 12, abandon_rate: 2.5}
"""


async def _apply_then_export(tmp_path: Path, file: Path) -> str:
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
        outcome = await org.apply(planned, today=TODAY)
        assert outcome.run is not None
        assert outcome.run.status == "succeeded"
        return await org.export()


async def _plan_of(tmp_path: Path, text: str) -> gcsched.Plan:
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(loads(text, "export.yaml"), today=TODAY)
    return planned.plan


async def test_export_keeps_pacing_and_the_journal_names(tmp_path: Path) -> None:
    """The calendar and the exception names come back from the journal's run;
    the decimal calls per agent, line count and abandon rate from the campaign;
    and export → plan is still empty."""
    file = tmp_path / "q4.yaml"
    file.write_text(FILE)
    text = await _apply_then_export(tmp_path, file)
    loaded = loads(text, "export.yaml")
    entry = next(s for s in loaded.schedules if s.target.ref == "Q4 Renewals")
    assert (
        dict(loaded.calendars)["us-holidays"]
        == dict(loads(FILE).calendars)["us-holidays"]
    )
    assert [r.name for r in entry.except_] == ["Christmas", "New Year", "Christmas Eve"]
    assert "  except:\n  - us-holidays\n" in text
    assert entry.pacing is not None
    assert entry.pacing.max_calls_per_agent == 1.5
    assert entry.pacing.outbound_line_count == 12
    assert entry.pacing.abandon_rate == 2.5
    # What it cannot know is said, not guessed.
    assert "# - priority: gcsched's rank" in text
    assert "# - policy:" in text
    assert "1 of 2 schedules" in text  # the demo's hand-made schedule has none
    assert entry.priority == 5
    assert not (await _plan_of(tmp_path, text)).has_changes


async def test_no_names_once_the_applied_file_changed(tmp_path: Path) -> None:
    """A file edited (or gone) since the run is not the entry the org holds:
    the export lists plain dates, and still plans to nothing."""
    file = tmp_path / "q4.yaml"
    file.write_text(FILE)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
        await org.apply(planned, today=TODAY)
        file.write_text(FILE.replace("priority: 8", "priority: 9"))
        edited = await org.export()
        file.unlink()
        gone = await org.export()
    for text in (edited, gone):
        assert "calendars:" not in text
        assert "Christmas" not in text
        assert "0 of 2 schedules" in text
        assert not (await _plan_of(tmp_path, text)).has_changes


async def test_no_names_once_the_schedule_was_edited_elsewhere(tmp_path: Path) -> None:
    """A schedule changed outside gcsched since the run (a newer version) may no
    longer hold what the file said: no names are borrowed for it."""
    file = tmp_path / "q4.yaml"
    file.write_text(FILE)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
        await org.apply(planned, today=TODAY)
        change = next(c for c in planned.plan.changes if c.action == "create")
        body = await org.client.get_schedule("campaigns", change.target_id)
        body["timeZone"] = "America/New_York"
        await org.client.put_schedule("campaigns", change.target_id, body)
        text = await org.export()
    assert "Christmas" not in text
    assert "time_zone: America/New_York" in text


def test_pacing_values_a_file_cannot_hold_are_left_out() -> None:
    """Missing, null, out-of-range or fractional-count values are not exported."""
    voice = {
        "maxCallsPerAgent": 1,
        "maxCallsPerAgentDecimal": 1.25,
        "outboundLineCount": 2.5,
        "abandonRate": 101,
    }
    pacing = pacing_of_target(Family.CAMPAIGNS, voice)
    assert pacing == gcsched_pacing(max_calls_per_agent=1.25)
    assert pacing_of_target(Family.CAMPAIGNS, {"maxCallsPerAgent": None}) is None
    assert pacing_of_target(Family.CAMPAIGNS, {"abandonRate": True}) is None
    assert pacing_of_target(Family.SEQUENCES, {"maxCallsPerAgent": 3}) is None
    sms = pacing_of_target(Family("messagingcampaigns"), {"messagesPerMinute": 150})
    assert sms == gcsched_pacing(messages_per_minute=150)
    assert pacing_of_target(Family("emailcampaigns"), {"messagesPerMinute": 0}) is None


def gcsched_pacing(**values: float) -> object:
    from gcsched.domain.model import Pacing

    return Pacing(**values)  # type: ignore[arg-type]


async def test_no_names_from_a_pruned_run_or_an_unreadable_file(tmp_path: Path) -> None:
    """The journal's run pruned, or its file now invalid: plain dates, no error."""
    from datetime import timedelta

    from gcsched.api import StatePaths
    from gcsched.journal import Journal

    file = tmp_path / "q4.yaml"
    file.write_text(FILE)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
        await org.apply(planned, today=TODAY)
        file.write_text("version: [\n")  # the same path, no longer a schedule file
        broken = await org.export()
        file.write_text(FILE)
        assert "Christmas" in await org.export()
        paths = StatePaths.at(tmp_path / "state")
        with Journal.open(paths.journal, lock=paths.lock) as journal:
            assert journal.prune(timedelta(0), force=True).deleted
        pruned = await org.export()
    for text in (broken, pruned):
        assert "Christmas" not in text
        assert "0 of 2 schedules" in text


async def test_a_provisioned_schedule_has_no_file_to_read(tmp_path: Path) -> None:
    """`provision` applies a file made in code: there is no entry to read back."""
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        await org.provision(
            campaign="Q4 Renewals",
            schedule={
                "time_zone": "UTC",
                "windows": [{"days": ["mon"], "start": "09:00", "end": "10:00"}],
                "from": "2026-12-07",
                "until": "2026-12-28",
                "except": [{"from": "2026-12-14", "to": "2026-12-14", "name": "X"}],
            },
            today=TODAY,
        )
        text = await org.export()
    assert "name: X" not in text
    assert "0 of 2 schedules" in text
