"""Type-checked (never run) use of the public API, as the README shows it.

`test_public_api.py` runs mypy --strict on this file: a signature change that
breaks this code fails the suite.
"""

from __future__ import annotations

from datetime import date

import gcsched


async def tutorial() -> str:
    """Load, plan, apply, provision and export with the documented types."""
    file: gcsched.ScheduleFile = gcsched.load("schedules.yaml")
    report: gcsched.Validation = gcsched.validate(file, today=date(2026, 11, 27))
    del report
    async with gcsched.connect(sandbox=True, state_dir=".gcsched") as org:
        conn: gcsched.Connection = org
        planned = await conn.plan(file)
        plan: gcsched.Plan = planned.plan
        checksum: str = plan.checksum()
        outcome: gcsched.ApplyOutcome = await conn.apply(file, checksum=checksum)
        ok: bool = outcome.ok
        del ok
        one: gcsched.ApplyOutcome = await conn.provision(
            campaign="Q4 Renewals",
            schedule={"time_zone": "America/Chicago", "windows": []},
            policy=gcsched.Policy(audience_conflicts="warn"),
        )
        del one
        drifted: bool = (await conn.drift(file)).has_drift
        del drifted
        schema: dict[str, object] = gcsched.json_schema()
        del schema
        return await conn.export()


def errors(exc: Exception) -> int:
    """Every public error is a GcSchedError with an exit code."""
    if isinstance(
        exc,
        gcsched.ConfigError
        | gcsched.InputError
        | gcsched.RefusedError
        | gcsched.ApiError
        | gcsched.VersionConflictError,
    ):
        base: gcsched.GcSchedError = exc
        return base.exit_code
    return 1
