"""gcsched.domain: the pure core (no I/O, no clock reads).

Expansion of schedules into occurrences (with design.md's DST rules), overlap
detection, audience conflicts and their resolution, and Genesys schedule bodies
rendered as plain dicts and parsed back. "Today" is always an argument.
"""

from __future__ import annotations

from gcsched.domain.conflicts import (
    CheckResult,
    Conflict,
    ConflictPair,
    Detection,
    check,
    detect,
    rank_score,
    resolve,
)
from gcsched.domain.expansion import Expansion, Occurrence, expand, expansion_range
from gcsched.domain.fixed import FixedSet, LiveSchedule, fixed_participants
from gcsched.domain.genesys import (
    DEFAULT_PROJECT,
    OWNER_PREFIX,
    marker,
    marker_label,
    marker_project,
    owned,
    render_body,
)
from gcsched.domain.genesys_parse import canonical_body, parse_body
from gcsched.domain.intervals import find_overlaps, merge, subtract, subtract_all

__all__ = [
    "DEFAULT_PROJECT",
    "OWNER_PREFIX",
    "CheckResult",
    "Conflict",
    "ConflictPair",
    "Detection",
    "Expansion",
    "FixedSet",
    "LiveSchedule",
    "Occurrence",
    "canonical_body",
    "check",
    "detect",
    "expand",
    "expansion_range",
    "find_overlaps",
    "fixed_participants",
    "marker",
    "marker_label",
    "marker_project",
    "merge",
    "owned",
    "parse_body",
    "rank_score",
    "render_body",
    "resolve",
    "subtract",
    "subtract_all",
]
