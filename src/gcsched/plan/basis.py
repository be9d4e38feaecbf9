"""The day-independent form of a change, for orgs whose bodies depend on the day.

An org that refuses starts in the past gets bodies rendered on the day apply
runs (`gcsched.domain.past`), so the body a plan shows changes from one day to
the next though neither the file nor the org did. The checksum must not
(design.md, "CLI"): for such a change it covers this form instead of the body,
with the change's action, target and version seen (`Change.key()`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Protocol

from gcsched.plan.changes import canonical_json

__all__ = ["change_basis", "entry_form"]


def entry_form(value: Any) -> Any:
    """A file entry (a domain dataclass) as canonical, JSON-able data.

    Source positions are left out (moving an entry in the file changes
    nothing it does); sets are sorted, dates and times ISO-8601.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: entry_form(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "source"
        }
    if isinstance(value, Enum):
        return entry_form(value.value)
    if isinstance(value, frozenset | set):
        return sorted((entry_form(item) for item in value), key=canonical_json)
    if isinstance(value, list | tuple):
        return [entry_form(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): entry_form(item) for key, item in value.items()}
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


class ConflictSide(Protocol):
    """What the basis reads of a conflict (the domain's `Conflict`)."""

    @property
    def type(self) -> str: ...
    @property
    def campaigns(self) -> tuple[str, str]: ...
    @property
    def contact_list(self) -> str | None: ...
    @property
    def resolution(self) -> str: ...
    @property
    def winner(self) -> str | None: ...


def change_basis(
    entry: Any,
    *,
    label: str,
    conflicts: Iterable[ConflictSide],
    partners: Mapping[str, Any],
    render: Mapping[str, Any],
) -> dict[str, Any]:
    """What decides a schedule change's body, without the day.

    Args:
        entry: the file's entry (`Schedule`).
        label: its label, as conflicts name it.
        conflicts: the plan's conflicts; those naming `label` are its
            resolution (with whom, on which list, how, who won), without their
            dates.
        partners: label → the entry (`Schedule`) of every schedule that can
            conflict with it (the file's, and the org's fixed ones, parsed from
            their bodies): a change to one of them changes the resolution.
        render: the other inputs of the rendering (project, interval format).

    Returns:
        ``{entry, resolution, partners, render}``, JSON-able.
    """
    mine = [c for c in conflicts if label in c.campaigns]
    resolution = {
        canonical_json(
            {
                "with": [name for name in c.campaigns if name != label] or [label],
                "type": c.type,
                "contact_list": c.contact_list,
                "resolution": c.resolution,
                "winner": c.winner,
            }
        )
        for c in mine
    }
    others = sorted({name for c in mine for name in c.campaigns if name != label})
    return {
        "entry": entry_form(entry),
        "resolution": sorted(resolution),
        "partners": {name: entry_form(partners.get(name)) for name in others},
        "render": dict(render),
    }
