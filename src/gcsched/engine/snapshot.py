"""One read of the org: everything a plan needs, in a handful of requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any

from gcsched.engine.ports import Json, Org
from gcsched.genesys import FAMILIES, FAMILY_BY_CHANNEL, Family

__all__ = ["OrgSnapshot", "gather_or_cancel", "read_org"]


@dataclass(frozen=True, slots=True)
class OrgSnapshot:
    """The org as read at plan time (plain JSON bodies)."""

    org: Json
    campaigns: tuple[Json, ...]
    messaging_campaigns: tuple[Json, ...]
    sequences: tuple[Json, ...]
    callable_time_sets: tuple[Json, ...]
    schedules: Mapping[Family, tuple[Json, ...]]

    @property
    def org_id(self) -> str:
        """The organization id."""
        return str(self.org.get("id", ""))

    @property
    def org_name(self) -> str:
        """The organization name."""
        return str(self.org.get("name", ""))

    def targets(self) -> dict[Family, tuple[Json, ...]]:
        """Per schedule family, the org objects its schedules can be for."""
        return {
            Family.CAMPAIGNS: self.campaigns,
            Family.SEQUENCES: self.sequences,
            **dict.fromkeys(FAMILY_BY_CHANNEL.values(), self.messaging_campaigns),
        }

    def schedule_count(self) -> int:
        """How many schedules exist in the org, all families."""
        return sum(len(items) for items in self.schedules.values())


async def gather_or_cancel(*reads: Awaitable[Any]) -> list[Any]:
    """Run `reads` at once; on the first failure cancel and await the rest.

    Unlike `asyncio.gather`, no read is left running (or half-connected) when
    one fails: an early error such as a refused secret ends cleanly, with no
    "coroutine was never awaited" warnings. Raises the first failure.
    """
    tasks = [asyncio.ensure_future(read) for read in reads]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        pending = [t for t in tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    for task in tasks:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            raise error
    return [task.result() for task in tasks]


async def read_org(org: Org) -> OrgSnapshot:
    """Read the org with few requests, all at once: unpaged schedule lists,
    campaigns by 100s.

    Contact-list sizes are not read here: the planner asks only for the lists
    whose size decides a conflict.
    """
    # One round: the schedule lists do not depend on the other reads, so all
    # of them are in flight together (a serial round costs the org's latency).
    (
        info,
        campaigns,
        messaging,
        sequences,
        time_sets,
        *schedule_lists,
    ) = await gather_or_cancel(
        org.get_organization(),
        org.list_campaigns(),
        org.list_messaging_campaigns(),
        org.list_sequences(),
        org.list_callable_time_sets(),
        *(org.list_schedules(family) for family in FAMILIES),
    )
    return OrgSnapshot(
        org=info,
        campaigns=tuple(campaigns),
        messaging_campaigns=tuple(messaging),
        sequences=tuple(sequences),
        callable_time_sets=tuple(time_sets),
        schedules={
            family: tuple(items)
            for family, items in zip(FAMILIES, schedule_lists, strict=True)
        },
    )
