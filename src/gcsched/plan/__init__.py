"""gcsched.plan: the pure diff, the plan value, its safety check and renderings.

`diff()` compares the schedules a file wants with the org's (ownership
applied), `Plan` holds the sorted changes with `raise_if_unsafe()`,
`checksum()` and `data()`, and `render_text` / `render_markdown` turn it into
lines for the terminal or a pull-request comment. No I/O happens here.

Names are imported on first use (PEP 562): `gcsched validate` groups its
conflicts without importing the diff, the plan or its renderings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcsched._lazy import lazy_attributes

if TYPE_CHECKING:
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

#: Where each public name lives; imported when first asked for.
_HOMES: dict[str, str] = {
    "Action": "gcsched.plan.changes",
    "Change": "gcsched.plan.changes",
    "ConflictCluster": "gcsched.plan.conflict_groups",
    "ConflictGroup": "gcsched.plan.conflict_groups",
    "cluster_pairs": "gcsched.plan.conflict_groups",
    "group_conflicts": "gcsched.plan.conflict_groups",
    "group_pairs": "gcsched.plan.conflict_groups",
    "Desired": "gcsched.plan.diff",
    "DiffResult": "gcsched.plan.diff",
    "Existing": "gcsched.plan.diff",
    "PacingDesired": "gcsched.plan.diff",
    "diff": "gcsched.plan.diff",
    "index_targets": "gcsched.plan.diff",
    "MAX_CHANGE_FRACTION": "gcsched.plan.plan",
    "MIN_EXISTING": "gcsched.plan.plan",
    "Plan": "gcsched.plan.plan",
    "conflict_data": "gcsched.plan.plan",
    "pair_data": "gcsched.plan.plan",
    "no_changes": "gcsched.plan.render",
    "render_markdown": "gcsched.plan.render",
    "render_text": "gcsched.plan.render",
}


__getattr__, __dir__ = lazy_attributes("gcsched.plan", _HOMES, globals())
