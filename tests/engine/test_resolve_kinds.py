"""A name of the wrong kind says which key to use (issue 10#9)."""

from __future__ import annotations

import pytest
from engine_support import TODAY

from gcsched.client import GenesysClient
from gcsched.config import loads
from gcsched.engine import build_plan
from gcsched.errors import ResolveError

pytestmark = pytest.mark.anyio

ENTRY = """
version: 1
schedules:
  - {key}: {name}
    time_zone: UTC
    windows: [{{days: [mon], start: "09:00", end: "10:00"}}]
    from: 2026-12-01
    until: 2026-12-31
"""


async def _problem(client: GenesysClient, key: str, name: str) -> str:
    file = loads(ENTRY.format(key=key, name=name), "f.yaml")
    with pytest.raises(ResolveError) as info:
        await build_plan(client, file, today=TODAY)
    return str(info.value)


@pytest.mark.parametrize(
    ("key", "name", "right"),
    [
        ("campaign", "Payment SMS", "messaging_campaign"),
        ("campaign", "Collections Ladder", "sequence"),
        ("sequence", "Q4 Renewals", "campaign"),
        ("messaging_campaign", "EMEA Sequence", "sequence"),
    ],
)
async def test_a_name_of_another_kind_names_the_key_to_use(
    client: GenesysClient, key: str, name: str, right: str
) -> None:
    """`campaign: Payment SMS` (a messaging campaign) says to use messaging_campaign."""
    problem = await _problem(client, key, name)
    noun = key.replace("_", " ")
    assert f"no {noun} named {name!r}" in problem
    assert f"`{right}: {name}` instead of `{key}: {name}`" in problem
    assert "f.yaml:4" in problem


async def test_an_unknown_name_still_suggests_close_names(
    client: GenesysClient,
) -> None:
    """A name found under no kind keeps the spelling suggestions, no key advice."""
    problem = await _problem(client, "campaign", "Q4 Renewal")
    assert "'Q4 Renewals'" in problem
    assert "instead of" not in problem
