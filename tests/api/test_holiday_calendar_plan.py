"""A public holiday calendar through plan and apply on the sandbox."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

import gcsched

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)

FILE = """\
version: 1
calendars:
  us: {holidays: US, years: 2026-2027}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]
    from: 2026-12-01
    except: [us]
"""


async def test_apply_then_plan_is_empty_and_the_limit_is_warned(tmp_path: Path) -> None:
    """The holidays land as exclusions; the next day's plan is empty; the
    open-ended schedule outliving the calendar's years is a plan warning."""
    file = tmp_path / "h.yaml"
    file.write_text(FILE)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
        warning = "Q4 Renewals: the schedule runs past 2027, the last year of holiday"
        assert any(w.startswith(warning) for w in planned.plan.warnings)
        (create,) = [c for c in planned.plan.changes if c.action == "create"]
        assert create.after is not None
        excluded = [
            a["start"][:10] for a in create.after["recurrences"][0]["alterations"]
        ]
        assert "2026-12-25" in excluded
        assert "2027-12-24" in excluded  # Christmas 2027 (a Saturday), observed
        await org.apply(planned, today=TODAY)
        again = await org.plan(file, today=TODAY + timedelta(days=1))
    assert not again.plan.has_changes
