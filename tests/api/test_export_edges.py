"""Export: names that collide across kinds, and bodies gcsched cannot express."""

from __future__ import annotations

from pathlib import Path

import pytest

import gcsched
from gcsched.config import loads
from gcsched.sandbox import SandboxState

pytestmark = pytest.mark.anyio

SEED_NAME = "Shared Name"


def _org_with_a_campaign_and_sequence_named_alike(path: Path) -> None:
    state = SandboxState.demo()
    campaign = state.find("campaigns", "Win-back")
    sequence = state.find("sequences", "Collections Ladder")
    assert campaign is not None
    assert sequence is not None
    state.stores["campaigns"][campaign["id"]]["name"] = SEED_NAME
    state.stores["sequences"][sequence["id"]]["name"] = SEED_NAME
    state.save(path)


async def test_names_shared_by_a_campaign_and_a_sequence_export_as_ids(
    tmp_path: Path,
) -> None:
    """Two scheduled targets with one name are exported by id, and the file loads."""
    _org_with_a_campaign_and_sequence_named_alike(tmp_path / "sandbox.json")
    text = """
version: 1
schedules:
  - campaign: Shared Name
    time_zone: UTC
    windows: [{days: [mon], start: "09:00", end: "10:00"}]
    from: 2026-12-07
    until: 2026-12-28
  - sequence: Shared Name
    time_zone: UTC
    windows: [{days: [tue], start: "09:00", end: "10:00"}]
    from: 2026-12-01
    until: 2026-12-29
"""
    with pytest.raises(gcsched.ConfigError, match="same name as the campaign"):
        loads(text, "f.yaml")
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        by_id = text.replace("campaign: Shared Name", "campaign: X").replace(
            "sequence: Shared Name", "sequence: Y"
        )
        state = SandboxState.load(tmp_path / "sandbox.json")
        campaign = state.find("campaigns", SEED_NAME)
        sequence = state.find("sequences", SEED_NAME)
        assert campaign is not None
        assert sequence is not None
        by_id = by_id.replace("campaign: X", f"campaign: {campaign['id']}")
        by_id = by_id.replace("sequence: Y", f"sequence: {sequence['id']}")
        outcome = await org.apply(loads(by_id, "ids.yaml"))
        assert outcome.ok
        exported = await org.export()
        again = loads(exported, "export.yaml")
        refs = {s.target.ref for s in again.schedules}
        assert {campaign["id"], sequence["id"]} <= refs
        planned = await org.plan(again)
        assert not planned.plan.has_changes


async def test_a_body_gcsched_cannot_express_is_left_out_and_named(
    tmp_path: Path,
) -> None:
    """One unreadable schedule does not sink the export; a comment names it."""
    state = SandboxState.demo()
    manual = next(iter(state.schedules["campaigns"].values()))
    manual["recurrences"][0]["pattern"]["daysOfWeek"] = []
    state.save(tmp_path / "sandbox.json")
    async with gcsched.connect(sandbox=True, state_dir=tmp_path) as org:
        exported = await org.export()
    assert exported.startswith("# left out (gcsched cannot express it): campaign ")
    loaded = loads(exported, "export.yaml")
    assert all(s.target.ref != "Lapsed Survey" for s in loaded.schedules)
