"""Live schedules that a run leaves in place, as fixed conflict participants.

A plan must not let the file's schedules clash with schedules already in the org
that it does not change (a colleague's manual schedule, or, for a scoped
`provision`, gcsched's other schedules). Those are parsed back into `Schedule`
values and passed to `check(..., fixed=...)`.

Labels: a fixed schedule is named after its target (the org object's name); where
two fixed targets share a name, their ids are used instead; a label that would
collide with one of the file's labels gets the suffix " (in org)" (and, should
that collide too, "NAME (ID)"). A body that cannot be parsed is skipped with a
warning saying conflicts with it are not checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gcsched.domain.genesys_parse import parse_body
from gcsched.domain.model import Schedule, Target, TargetKind
from gcsched.errors import InputError

__all__ = ["FixedSet", "LiveSchedule", "fixed_participants"]

IN_ORG_SUFFIX = " (in org)"


@dataclass(frozen=True, slots=True)
class LiveSchedule:
    """A schedule read from the org, with its target and live audience."""

    kind: TargetKind
    target_id: str
    name: str
    body: Mapping[str, Any]
    audience: frozenset[str]


@dataclass(frozen=True, slots=True)
class FixedSet:
    """Fixed participants ready for `check`: schedules, audiences, warnings."""

    schedules: tuple[Schedule, ...] = ()
    audiences: Mapping[str, frozenset[str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def labels(self) -> frozenset[str]:
        """The labels to pass as `check(..., fixed=...)`."""
        return frozenset(s.label for s in self.schedules)


def fixed_participants(
    live: Sequence[LiveSchedule], *, taken: Collection[str]
) -> FixedSet:
    """Label and parse the live schedules a run leaves in place.

    Args:
        live: the schedules, in a deterministic order (labels follow it).
        taken: the labels of the file's schedules, which must stay unique.

    Returns:
        The parsed schedules (those that parse), their audiences by label and one
        warning per body that could not be parsed.
    """
    counts = Counter(item.name for item in live)
    used = set(taken)
    schedules: list[Schedule] = []
    audiences: dict[str, frozenset[str]] = {}
    warnings: list[str] = []
    for item in live:
        base = item.target_id if counts[item.name] > 1 else item.name
        label = next(
            (
                candidate
                for candidate in (
                    base,
                    f"{base}{IN_ORG_SUFFIX}",
                    f"{item.name} ({item.target_id})",
                )
                if candidate not in used
            ),
            f"{item.name} ({item.kind} {item.target_id})",
        )
        used.add(label)
        try:
            schedule = parse_body(item.body, target=Target(item.kind, label))
        except InputError as exc:
            warnings.append(
                f"{label}: its schedule in the org cannot be read ({exc}); "
                "conflicts with it are not checked"
            )
            continue
        schedules.append(schedule)
        audiences[label] = item.audience
    return FixedSet(tuple(schedules), audiences, tuple(warnings))
