"""The public surface: `gcsched.__all__` is pinned, and it type-checks as documented."""

from __future__ import annotations

from pathlib import Path

import mypy.api

import gcsched

PUBLIC = [
    "ApiError",
    "ApplyOutcome",
    "ConfigError",
    "Connection",
    "GcSchedError",
    "InputError",
    "Plan",
    "Policy",
    "RefusedError",
    "Schedule",
    "ScheduleFile",
    "Validation",
    "VersionConflictError",
    "__version__",
    "connect",
    "json_schema",
    "load",
    "validate",
]


def test_exported_members() -> None:
    """`__all__` is exactly the curated list; each name exists and is documented."""
    assert sorted(gcsched.__all__) == sorted(PUBLIC)
    for name in gcsched.__all__:
        member = getattr(gcsched, name)
        if name != "__version__":
            assert member.__doc__, name
            assert member.__module__.startswith("gcsched"), name


def test_public_api_type_checks() -> None:
    """mypy --strict accepts the tutorial code written against the public API."""
    here = Path(__file__).with_name("typing_api.py")
    root = Path(__file__).parents[2]
    out, err, status = mypy.api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "--config-file",
            str(root / "pyproject.toml"),
            str(here),
        ]
    )
    assert status == 0, out + err
