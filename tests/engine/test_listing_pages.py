"""Schedule lists that page at any page size (issue 12, `schedule_lists_paged`).

The email / SMS / WhatsApp schedule lists page with ``nextUri`` under the
sandbox's ``--guess listing_page_size=N``. The snapshot follows every page
whatever N is (1, an odd 7, the usual 25, one more or one less than the org
holds, 100), and doctor's `schedule_lists_paged` fact says "paged" only on the
evidence of a second page, "not paged" only when one page holds more than a
page usually does and has no room left, and null otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from gcsched.api import connect
from gcsched.client import Credentials, GenesysClient
from gcsched.engine import read_org
from gcsched.genesys import Family
from gcsched.sandbox import SandboxState, create_app

pytestmark = pytest.mark.anyio

CLIENT_ID = "paging-client"
SECRET = "paging-secret-not-a-real-one"
URL = "http://sandbox.test"


def _seed(count: int) -> dict[str, Any]:
    return {
        "defaultClient": False,
        "clients": [{"id": CLIENT_ID, "secret": SECRET}],
        "contactLists": [{"name": "L", "size": 10}],
        "campaigns": [{"name": "C", "contactList": "L", "dialingMode": "preview"}],
        "messagingCampaigns": [
            {"name": "SMS {n}", "count": count, "channel": "sms", "contactList": "L"}
        ],
        "schedules": [
            {
                "family": "messagingcampaigns",
                "target": f"SMS {n}",
                "intervals": [
                    {"start": "2099-03-01T09:00:00", "end": "2099-03-01T10:00:00"}
                ],
            }
            for n in range(1, count + 1)
        ],
    }


def _app(count: int, *guesses: str) -> Any:
    state = SandboxState.from_seed(_seed(count))
    return create_app(state, rate_limit=0, guesses=list(guesses))


@pytest.mark.parametrize(
    ("count", "size"),
    [(30, 1), (30, 7), (30, 25), (30, 29), (30, 31), (30, 100), (3, 2), (1, 1)],
)
async def test_the_snapshot_follows_every_page_at_any_page_size(
    count: int, size: int
) -> None:
    app = _app(count, f"listing_page_size={size}")
    transport = httpx.ASGITransport(app=app)
    creds = Credentials(CLIENT_ID, SECRET)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as c:
        snapshot = await read_org(c)
    schedules = snapshot.schedules[Family.MESSAGING_CAMPAIGNS]
    assert len(schedules) == count
    assert len({s["id"] for s in schedules}) == count


async def _paged_fact(tmp_path: Path, count: int, *guesses: str) -> Any:
    async with connect(
        api_url=URL,
        credentials=Credentials(CLIENT_ID, SECRET),
        transport=httpx.ASGITransport(app=_app(count, *guesses)),
        state_dir=tmp_path / "state",
        rate_limit=6000,
    ) as conn:
        report = await conn.doctor()
    return report.facts["schedule_lists_paged"]


@pytest.mark.parametrize(
    ("count", "guesses", "fact"),
    [
        (30, ("listing_page_size=7",), True),
        (30, ("listing_page_size=29",), True),
        # one page with room left: a longer list might page, or might not
        (30, ("listing_page_size=50",), None),
        (30, ("listing_page_size=100",), None),
        # everything on one page sized to fit, past the usual 25: not paged
        (30, (), False),
        (10, (), None),
    ],
)
async def test_doctor_says_paged_only_on_evidence(
    tmp_path: Path, count: int, guesses: tuple[str, ...], fact: bool | None
) -> None:
    assert await _paged_fact(tmp_path, count, *guesses) is fact
