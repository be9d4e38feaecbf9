"""gcsched.domain: the pure core (no I/O, no clock reads).

Expansion of schedules into occurrences (with design.md's DST rules), overlap
detection, audience conflicts and their resolution, and Genesys schedule bodies
rendered as plain dicts and parsed back. "Today" is always an argument.

Names are imported on first use (PEP 562): `gcsched validate` of a file
without shared audiences never imports the Genesys bodies or their parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes

if TYPE_CHECKING:
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

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "CheckResult": "gcsched.domain.conflicts",
    "Conflict": "gcsched.domain.conflicts",
    "ConflictPair": "gcsched.domain.conflicts",
    "Detection": "gcsched.domain.conflicts",
    "check": "gcsched.domain.conflicts",
    "detect": "gcsched.domain.conflicts",
    "rank_score": "gcsched.domain.conflicts",
    "resolve": "gcsched.domain.conflicts",
    "Expansion": "gcsched.domain.expansion",
    "Occurrence": "gcsched.domain.expansion",
    "expand": "gcsched.domain.expansion",
    "expansion_range": "gcsched.domain.expansion",
    "FixedSet": "gcsched.domain.fixed",
    "LiveSchedule": "gcsched.domain.fixed",
    "fixed_participants": "gcsched.domain.fixed",
    "DEFAULT_PROJECT": "gcsched.domain.genesys",
    "OWNER_PREFIX": "gcsched.domain.genesys",
    "marker": "gcsched.domain.genesys",
    "marker_label": "gcsched.domain.genesys",
    "marker_project": "gcsched.domain.genesys",
    "owned": "gcsched.domain.genesys",
    "render_body": "gcsched.domain.genesys",
    "canonical_body": "gcsched.domain.genesys_parse",
    "parse_body": "gcsched.domain.genesys_parse",
    "find_overlaps": "gcsched.domain.intervals",
    "merge": "gcsched.domain.intervals",
    "subtract": "gcsched.domain.intervals",
    "subtract_all": "gcsched.domain.intervals",
}


__getattr__, __dir__ = lazy_attributes("gcsched.domain", _HOMES, globals())
