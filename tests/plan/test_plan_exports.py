"""gcsched.plan's public surface."""

from __future__ import annotations

import gcsched.plan


def test_all_is_sorted_and_importable() -> None:
    """__all__ is sorted as ruff's RUF022 sorts it, and every name in it exists."""
    names = gcsched.plan.__all__

    def isort_key(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
        return (kind, name)

    assert list(names) == sorted(names, key=isort_key)
    assert all(hasattr(gcsched.plan, name) for name in names)
    assert {"Change", "Desired", "Existing", "PacingDesired", "Plan", "diff"} <= set(
        names
    )
