"""`await org.apply(plan)`: the design's library call applies exactly that plan."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import gcsched
from gcsched.sandbox import SandboxState

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).parents[2]
TODAY = date(2026, 11, 27)


async def test_apply_the_planned_run(tmp_path: Path) -> None:
    """A PlannedRun from plan() is applied as reviewed; the org then matches."""
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        planned = await org.plan(ROOT / "examples" / "q4.yaml", today=TODAY)
        outcome = await org.apply(planned, today=TODAY)
        assert outcome.run is not None
        assert outcome.run.status == "succeeded"
        again = await org.plan(ROOT / "examples" / "q4.yaml", today=TODAY)
        assert not again.plan.has_changes


async def test_a_plan_is_refused_once_the_org_moved(tmp_path: Path) -> None:
    """A Plan value whose org changed since review is refused, nothing written."""
    example = tmp_path / "q4.yaml"
    shutil.copy(ROOT / "examples" / "q4.yaml", example)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        planned = await org.plan(example, today=TODAY)
    state = SandboxState.demo()  # a plan saves nothing; the ids are the demo's
    campaign = state.find("campaigns", "Q4 Renewals")
    assert campaign is not None
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        # a colleague schedules Q4 Renewals by hand after the review
        await org.client.put_schedule(
            "campaigns",
            campaign["id"],
            {
                "name": "Colleague's schedule",
                "campaign": {"id": campaign["id"]},
                "timeZone": "UTC",
                "intervals": [
                    {
                        "start": "2026-12-02T09:00:00.000",
                        "end": "2026-12-02T10:00:00.000",
                    }
                ],
            },
        )
        with pytest.raises(gcsched.RefusedError, match="checksum"):
            await org.apply(planned.plan, today=TODAY)
        labels = {s.target.ref for s in await org.live_schedules()}
        assert labels == {"Lapsed Survey", "Q4 Renewals"}
