"""A sequence member campaign also scheduled on its own is warned about."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import gcsched
from gcsched.api import validate

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)

FILE = """\
version: 1
policy: {audience_conflicts: warn}
schedules:
  - sequence: Collections Ladder
    time_zone: America/Chicago
    windows: [{days: [mon-fri], start: "09:00", end: "12:00"}]
    from: 2026-12-01
    until: 2026-12-31
  - campaign: Collections 30
    time_zone: America/Chicago
    windows: [{days: [sat], start: "09:00", end: "12:00"}]
    from: 2026-12-01
    until: 2026-12-31
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows: [{days: [sat], start: "09:00", end: "12:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""

WARNING = (
    "Collections 30: this campaign is also a member of sequence Collections "
    "Ladder, which the file schedules too"
)


async def test_plan_names_the_member_and_its_sequence(tmp_path: Path) -> None:
    """Collections 30 is in Collections Ladder: one warning naming both."""
    file = tmp_path / "f.yaml"
    file.write_text(FILE)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
    found = [w for w in planned.plan.warnings if "member of sequence" in w]
    assert len(found) == 1
    assert found[0].startswith(WARNING)


async def test_no_warning_without_the_sequence(tmp_path: Path) -> None:
    """A member campaign scheduled alone (its sequence not in the file) is fine."""
    file = tmp_path / "f.yaml"
    alone = FILE.split("  - campaign: Collections 30", maxsplit=1)[0].replace(
        "sequence: Collections Ladder", "campaign: Collections 30"
    )
    file.write_text(alone)
    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "state") as org:
        planned = await org.plan(file, today=TODAY)
    assert not [w for w in planned.plan.warnings if "member of sequence" in w]


def test_validate_says_membership_is_known_only_online(tmp_path: Path) -> None:
    """Offline, validate cannot see members: it says the plan checks them."""
    file = tmp_path / "f.yaml"
    file.write_text(FILE)
    both = validate(file, today=TODAY).warnings
    assert any("`gcsched plan` warns" in w for w in both)
    file.write_text(FILE.split("  - campaign: Collections 30", maxsplit=1)[0])
    assert not any(
        "`gcsched plan` warns" in w for w in validate(file, today=TODAY).warnings
    )
