"""`plan --markdown` of 60 campaigns on one list under trim fits a PR comment."""

from __future__ import annotations

import asyncio
import copy
from datetime import date
from pathlib import Path
from typing import Any

import httpx

import gcsched
from gcsched.api.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.client import Credentials
from gcsched.config import loads
from gcsched.plan import Plan, render_markdown

URL = "http://sandbox.test"
TODAY = date(2026, 11, 27)
COUNT = 60


def _seed() -> dict[str, Any]:
    from gcsched.sandbox.demo import DEMO_SEED

    seed = copy.deepcopy(DEMO_SEED)
    bulk = copy.deepcopy(seed["campaigns"][0])
    bulk.update(name="Bulk {n:02d}", count=COUNT)
    seed["campaigns"].append(bulk)
    return seed


def _file() -> str:
    """60 campaigns on one contact list, staggered so each trims the next."""
    lines = [
        "version: 1",
        "policy: {audience_conflicts: trim, max_change_fraction: 1}",
        "schedules:",
    ]
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for n in range(COUNT):
        # 2-hour windows every 90 minutes: each overlaps its neighbours by 30.
        day, start = days[n % 7], 8 * 60 + 90 * (n // 7)
        clock = f"{start // 60:02d}:{start % 60:02d}"
        until = f"{(start + 120) // 60:02d}:{start % 60:02d}"
        lines += [
            f"  - campaign: Bulk {n + 1:02d}",
            f"    priority: {1 + n % 10}",
            "    time_zone: America/New_York",
            "    windows:",
            f'      - {{days: [{day}], start: "{clock}", end: "{until}"}}',
            "    from: 2026-12-01",
            "    until: 2027-03-31",
        ]
    return "\n".join(lines) + "\n"


async def _plan(state_dir: Path) -> Plan:
    app = create_app(SandboxState.from_seed(_seed()), rate_limit=0)
    async with gcsched.connect(
        api_url=URL,
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        transport=httpx.ASGITransport(app=app),
        state_dir=state_dir,
        rate_limit=6000,
        today=lambda: TODAY,
    ) as org:
        return (await org.plan(loads(_file(), "bulk.yaml"))).plan


def test_sixty_trimmed_campaigns_fit_the_budget(tmp_path: Path) -> None:
    """Under 60,000 bytes, intervals summarised, the rest pointed to --out."""
    plan = asyncio.run(_plan(tmp_path))
    assert len(plan.changes) == COUNT
    whole = render_markdown(plan, max_bytes=None)
    text = render_markdown(plan, full="plan.json")
    assert len(text.encode()) <= 60_000
    assert "one-off windows" in whole  # trimmed schedules read as counts
    assert "intervals[" not in whole  # never one line per raw interval
    assert f"--checksum {plan.checksum()} --yes" in text
    if len(whole.encode()) > 60_000:
        assert "the full plan is in `plan.json`" in text
    small = render_markdown(plan, max_bytes=8_000, full="plan.json")
    assert len(small.encode()) <= 8_000
    assert "Not shown:" in small
    assert f"of {COUNT} changes" in small
    assert "the full plan is in `plan.json`" in small
