"""Targets are found by id first, then by a unique name, over an indexed pool.

The org is a plain snapshot here (no API): the lookup is pure.
"""

from __future__ import annotations

import pytest

from gcsched.config import loads
from gcsched.engine.resolve import resolve_targets
from gcsched.engine.snapshot import OrgSnapshot
from gcsched.errors import ResolveError

FILE = """
version: 1
schedules:
{entries}
"""
ENTRY = """  - campaign: {ref!r}
    time_zone: UTC
    windows: [{{days: [mon], start: "09:00", end: "10:00"}}]
    from: 2026-12-01
    until: 2026-12-31
"""


def _snapshot(*campaigns: dict[str, object]) -> OrgSnapshot:
    return OrgSnapshot(
        org={"id": "org-1", "name": "Org"},
        campaigns=tuple(campaigns),
        messaging_campaigns=(),
        sequences=({"id": "s-1", "name": "Ladder", "campaigns": []},),
        callable_time_sets=(),
        schedules={},
    )


def _resolve(snap: OrgSnapshot, *refs: str) -> list[str]:
    entries = "".join(ENTRY.format(ref=r) for r in refs)
    file = loads(FILE.format(entries=entries), "f.yaml")
    return [item.target_id for item in resolve_targets(file.schedules, snap)]


def test_an_id_wins_over_a_name_and_a_unique_name_resolves() -> None:
    snap = _snapshot(
        {"id": "c-1", "name": "c-2"},  # named like another campaign's id
        {"id": "c-2", "name": "Renewals"},
        {"id": 7, "name": None},  # not text: matches nothing
    )
    assert _resolve(snap, "c-2", "Renewals", "c-1") == ["c-2", "c-2", "c-1"]


def test_every_unknown_and_ambiguous_name_is_listed_at_once() -> None:
    snap = _snapshot(
        {"id": "c-1", "name": "Win-back"},
        {"id": "c-2", "name": "Win-back"},
        {"id": "c-3", "name": "Renewals"},
    )
    with pytest.raises(ResolveError) as info:
        _resolve(snap, "Win-back", "Renewal", "Ladder")
    text = str(info.value)
    assert "'Win-back' is ambiguous: 2 campaigns have that name (ids c-1, c-2)" in text
    assert "no campaign named 'Renewal' in the org; did you mean 'Renewals'?" in text
    assert "'Ladder' is a sequence: write `sequence: Ladder`" in text
