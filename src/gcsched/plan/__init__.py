"""gcsched.plan: the pure diff, the plan value, its safety check and renderings.

`diff()` compares the schedules a file wants with the org's (ownership
applied), `Plan` holds the sorted changes with `raise_if_unsafe()`,
`checksum()` and `data()`, and `render_text` / `render_markdown` turn it into
lines for the terminal or a pull-request comment. No I/O happens here.
"""

from __future__ import annotations

from gcsched.plan.changes import Action, Change
from gcsched.plan.conflict_groups import (
    ConflictCluster,
    ConflictGroup,
    cluster_pairs,
    group_conflicts,
    group_pairs,
)
from gcsched.plan.diff import (
    Desired,
    DiffResult,
    Existing,
    PacingDesired,
    diff,
    index_targets,
)
from gcsched.plan.plan import (
    MAX_CHANGE_FRACTION,
    MIN_EXISTING,
    Plan,
    conflict_data,
    pair_data,
)
from gcsched.plan.render import no_changes, render_markdown, render_text

__all__ = [
    "MAX_CHANGE_FRACTION",
    "MIN_EXISTING",
    "Action",
    "Change",
    "ConflictCluster",
    "ConflictGroup",
    "Desired",
    "DiffResult",
    "Existing",
    "PacingDesired",
    "Plan",
    "cluster_pairs",
    "conflict_data",
    "diff",
    "group_conflicts",
    "group_pairs",
    "index_targets",
    "no_changes",
    "pair_data",
    "render_markdown",
    "render_text",
]
