"""The plan reads occurrences as packed integers: no `Occurrence` is made.

A plan of 1,000 schedules over five years holds millions of occurrences; the
planner's own checks (the conflict sweep, the live-voice peak) read them as
microsecond spans (`Expansion.micro_spans`), so no expansion of a plan makes
its `Occurrence` objects (and their datetimes), and the peak of voice campaigns
live at once is counted per instant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date

import httpx
import pytest
from engine_support import URL
from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.client import Credentials, GenesysClient
from gcsched.config import loads
from gcsched.engine import build_plan
from gcsched.engine.warnings import MAX_LIVE_VOICE, live_peak
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)

pytestmark = pytest.mark.anyio

COUNT = MAX_LIVE_VOICE + 2


def _seed() -> dict[str, object]:
    """COUNT power campaigns, each on a list of its own (no audience conflict)."""
    return {
        "org": {"name": "Voice Org", "domain": "voice"},
        "contactLists": [{"name": f"List {n:03d}", "size": 1000} for n in range(COUNT)],
        "campaigns": [
            {
                "name": f"Voice {n:03d}",
                "dialingMode": "power",
                "contactList": f"List {n:03d}",
            }
            for n in range(COUNT)
        ],
        "schedules": [],
    }


@pytest.fixture
async def client() -> AsyncIterator[GenesysClient]:
    """A real client on an in-process sandbox of COUNT voice campaigns."""
    app = create_app(SandboxState.from_seed(_seed()), rate_limit=0)
    transport = httpx.ASGITransport(app=app)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as c:
        yield c


def _file() -> str:
    lines = ["version: 1", "policy: {max_change_fraction: 1.0}", "schedules:"]
    for n in range(COUNT):
        lines += [
            f"  - campaign: Voice {n:03d}",
            "    time_zone: America/New_York",
            '    windows: [{days: [mon-fri], start: "09:00", end: "12:00"}, '
            '{days: [mon-fri], start: "13:00", end: "17:00"}]',
            "    from: 2027-01-04",
            "    until: 2027-12-31",
        ]
    return "\n".join(lines) + "\n"


async def test_a_plan_makes_no_occurrence_and_still_counts_live_voice(
    client: GenesysClient,
) -> None:
    """52 voice campaigns at once: warned at the first start, from the integers."""
    planned = await build_plan(
        client, loads(_file(), "voice.yaml"), today=date(2027, 1, 1)
    )
    expected = (
        f"{COUNT} voice campaigns would be live at once at 2027-01-04T14:00:00+00:00; "
        f"Genesys runs at most {MAX_LIVE_VOICE} per org"
    )
    assert expected in planned.plan.warnings
    expansions = planned.check.expansions
    assert len(expansions) == COUNT
    assert sum(e.occurrence_count for e in expansions) == COUNT * 260 * 2
    # No expansion made its Occurrence objects (the private cache stays empty).
    assert all(e._occurrences is None for e in expansions)


def _naive(spans: Sequence[Sequence[tuple[int, int]]]) -> tuple[int, int | None]:
    """The peak by sorting every start (+1) and end (-1), ends first."""
    points = sorted(
        (instant, delta)
        for own in spans
        for start, end in own
        for instant, delta in ((start, 1), (end, -1))
    )
    live = peak = 0
    peak_at = None
    for instant, delta in points:
        live += delta
        if live > peak:
            peak, peak_at = live, instant
    return peak, peak_at


@st.composite
def _schedules(draw: st.DrawFn) -> list[list[tuple[int, int]]]:
    """Schedules of disjoint, sorted spans on a small grid (many shared instants)."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        cuts = sorted(set(draw(st.lists(st.integers(0, 30), max_size=12))))
        spans = list(zip(cuts[::2], cuts[1::2], strict=False))
        out.append(spans)
    return out


@settings(max_examples=300, deadline=None)
@given(_schedules())
def test_live_peak_equals_sorting_every_point(
    spans: list[list[tuple[int, int]]],
) -> None:
    """Counting per instant gives the naive sweep's peak and its first instant."""
    assert live_peak(spans) == _naive(spans)


def test_an_end_and_a_start_at_one_instant_do_not_overlap() -> None:
    """[0, 10) then [10, 20): one at a time; [0, 10) and [5, 20): two at 5."""
    assert live_peak([[(0, 10)], [(10, 20)]]) == (1, 0)
    assert live_peak([[(0, 10)], [(5, 20)]]) == (2, 5)
    assert live_peak([]) == (0, None)
