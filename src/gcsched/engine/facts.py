"""How an org's stored doctor facts change what the planner renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from gcsched.journal.facts import OrgFacts

__all__ = ["FactsLookup", "RenderFacts", "render_facts"]

FactsLookup = Callable[[str], OrgFacts | None]
"""Org id → the facts stored for it (None when doctor never ran on it)."""


@dataclass(frozen=True, slots=True)
class RenderFacts:
    """What the planner does differently for one org, and the plan header lines."""

    interval_time: str = "wall"
    past_refused: bool = False
    lines: tuple[str, ...] = ()


def render_facts(stored: OrgFacts | None) -> RenderFacts:
    """The rendering the org's facts call for.

    ``interval_time=utc``: interval times are sent as UTC instants with ``Z``;
    ``past_intervals_accepted=false``: bodies are rendered on the day apply
    runs (`gcsched.domain.past`: past intervals left out, one under way
    clipped, recurrence starts moved to the apply day) and the checksum covers
    each change's day-independent form.
    """
    if stored is None:
        return RenderFacts()
    when = stored.observed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines: list[str] = []
    interval_time = "wall"
    past_refused = False
    if stored.value("interval_time") == "utc":
        interval_time = "utc"
        lines.append(f"interval_time=utc (intervals sent as UTC instants; {when})")
    if stored.value("past_intervals_accepted") is False:
        past_refused = True
        lines.append(
            "past_intervals_accepted=false (bodies rendered on the apply day: "
            f"past intervals left out, past starts moved to it; {when})"
        )
    return RenderFacts(interval_time, past_refused, tuple(lines))
