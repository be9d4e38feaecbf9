"""The engine: plan against an org and apply with a journal, audit and webhooks.

It talks to the org only through the `Org` protocol (never httpx itself).
"""

from __future__ import annotations

from gcsched.engine.planner import PlannedRun, build_plan, existing_schedules
from gcsched.engine.ports import Org
from gcsched.engine.recovery import Interrupted, audit_unaudited, interrupted, recover
from gcsched.engine.resolve import Resolved, resolve_targets
from gcsched.engine.runner import Progress, Runner, RunResult, StepOutcome
from gcsched.engine.snapshot import OrgSnapshot, read_org
from gcsched.engine.sync import ApplyOutcome, Confirm, apply_file

__all__ = [
    "ApplyOutcome",
    "Confirm",
    "Interrupted",
    "Org",
    "OrgSnapshot",
    "PlannedRun",
    "Progress",
    "Resolved",
    "RunResult",
    "Runner",
    "StepOutcome",
    "apply_file",
    "audit_unaudited",
    "build_plan",
    "existing_schedules",
    "interrupted",
    "read_org",
    "recover",
    "resolve_targets",
]
