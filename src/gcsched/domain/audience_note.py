"""The loud note on where audiences came from, for every offline output.

Offline, the conflict check knows only the file's `audience:` keys; the plan
reads the contact lists from the org and may find conflicts an offline check
misses. `validate` (text and JSON) and `report` say so in these same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from gcsched.domain.model import Schedule

__all__ = ["audience_note"]

Teller = Literal["report", "validate"]


def audience_note(
    schedules: Sequence[Schedule],
    audiences: Mapping[str, frozenset[str]] | None,
    *,
    by: Teller = "report",
) -> str:
    """Where the check's audiences came from, when that may hide conflicts.

    Args:
        schedules: the schedules checked.
        audiences: label → contact list ids read from the org, or None offline
            (only the file's `audience:` keys are known).
        by: who speaks: ``report`` (it also draws windows a trim would cut) or
            ``validate``.

    Returns:
        One paragraph, or ``""`` when the org's audiences cover every schedule.
    """
    if audiences is not None:
        none = [s.label for s in schedules if not audiences.get(s.label)]
        if not none:
            return ""
        return (
            f"{_count(none, 'schedule')} {_has(none)} no contact list in the org "
            f"({_names(none)}): they take part in no audience conflict."
        )
    this = "this report" if by == "report" else "`gcsched validate`"
    drawn = ", and trim windows it draws whole" if by == "report" else ""
    missing = [s.label for s in schedules if not s.audience]
    tail = (
        "The plan reads the contact lists from the org (a sequence has all its "
        f"campaigns' lists) and may find conflicts {this} does not show{drawn}. "
        "Run `gcsched plan` or `gcsched report --live` to see what the org will get."
    )
    if missing and len(missing) == len(schedules):
        return (
            f"Offline, {this} does not know the contact lists and no schedule "
            "names an `audience:`, so it shows no audience conflict at all. " + tail
        )
    if missing:
        return (
            f"Offline, {this} knows audiences only from the file's `audience:` "
            f"keys, and {_count(missing, 'schedule')} {_has(missing)} none "
            f"({_names(missing)}): conflicts with "
            f"{'it' if len(missing) == 1 else 'them'} are not checked. " + tail
        )
    return (
        "Offline, audiences come only from the file's `audience:` keys, not from "
        "the org's contact lists. " + tail
    )


def _count(items: Sequence[str], word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _has(items: Sequence[str]) -> str:
    return "has" if len(items) == 1 else "have"


def _names(labels: Sequence[str], most: int = 5) -> str:
    shown = ", ".join(labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")
