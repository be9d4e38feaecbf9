"""Fixtures of the report tests (the schedules live in `report_fixtures`)."""

from __future__ import annotations

import pytest
from report_fixtures import late_owls, lord_howe, ny_dst, ny_weekdays, winback

from gcsched.domain.model import Policy, Schedule


@pytest.fixture
def schedules() -> tuple[Schedule, ...]:
    """Every fixture schedule, in row order."""
    return (ny_weekdays(), winback(), ny_dst(), late_owls(), lord_howe())


@pytest.fixture
def trim_policy() -> Policy:
    """Audience conflicts are trimmed from the lower-ranked schedule."""
    return Policy(audience_conflicts="trim")
