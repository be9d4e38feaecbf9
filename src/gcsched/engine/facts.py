"""How an org's stored doctor facts change what the planner renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from gcsched.journal.facts import OrgFacts

__all__ = ["FactsLookup", "RenderFacts", "render_facts"]

FactsLookup = Callable[[str], OrgFacts | None]
"""Org id → the facts stored for it (None when doctor never ran on it)."""


@dataclass(frozen=True, slots=True)
class RenderFacts:
    """What the planner does differently for one org, and the plan header lines."""

    interval_time: str = "wall"
    drop_before: datetime | None = None
    lines: tuple[str, ...] = ()


def render_facts(stored: OrgFacts | None, *, today: date) -> RenderFacts:
    """The rendering the org's facts call for.

    ``interval_time=utc``: interval times are sent as UTC instants with ``Z``;
    ``past_intervals_accepted=false``: intervals ending before today (UTC
    midnight) are left out of bodies.
    """
    if stored is None:
        return RenderFacts()
    when = stored.observed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines: list[str] = []
    interval_time = "wall"
    drop_before = None
    if stored.value("interval_time") == "utc":
        interval_time = "utc"
        lines.append(f"interval_time=utc (intervals sent as UTC instants; {when})")
    if stored.value("past_intervals_accepted") is False:
        drop_before = datetime.combine(today, time(), UTC)
        lines.append(f"past_intervals_accepted=false (past intervals left out; {when})")
    return RenderFacts(interval_time, drop_before, tuple(lines))
