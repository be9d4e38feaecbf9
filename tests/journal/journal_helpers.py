"""Helpers of the journal tests: a fake clock and step specs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from gcsched.genesys import ChangeSpec, Family

SpecFactory = Callable[..., ChangeSpec]


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 20, 53, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_spec(name: str = "Q4 Renewals", action: str = "update") -> ChangeSpec:
    """A change of campaign `name`'s schedule."""
    return ChangeSpec(
        action=action,  # type: ignore[arg-type]
        family=Family.CAMPAIGNS,
        target_kind="campaign",
        target_id=f"id-{name}",
        target_name=name,
        version_seen=None if action == "create" else 3,
        before=None if action == "create" else {"name": name, "version": 3},
        after=None if action == "delete" else {"name": name, "intervals": []},
    )
