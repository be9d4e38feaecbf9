"""Why a schedule's contacts are called, and whether a file asks for the check.

A file asks for the calling-hour check when its `policy.compliance.mode` is not
``off`` and a purpose is written (in `policy` or on a schedule): the rules are
chosen by purpose, so without one there is nothing to check. This module holds
only that, so `gcsched validate` of a file without a purpose decides it without
importing the rules (`gcsched.domain.legal_hours`) or the check
(`gcsched.domain.compliance`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gcsched.domain.model import ScheduleFile

__all__ = ["PURPOSES", "Purpose", "needs_check"]

Purpose = Literal[
    "telemarketing", "automated", "debt_collection", "research", "charitable"
]
PURPOSES: tuple[Purpose, ...] = (
    "telemarketing",
    "automated",
    "debt_collection",
    "research",
    "charitable",
)


def needs_check(file: ScheduleFile) -> bool:
    """True when `file` asks for the calling-hour check (see the module doc)."""
    policy = file.policy
    if policy.compliance.mode == "off":
        return False
    return policy.purpose is not None or any(
        s.purpose is not None for s in file.schedules
    )
