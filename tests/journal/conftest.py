"""Fixtures of the journal tests: a fake clock and a fresh journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from journal_helpers import FakeClock, SpecFactory, make_spec

from gcsched.journal import Journal


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def journal(tmp_path: Path, clock: FakeClock) -> Iterator[Journal]:
    with Journal.open(tmp_path / "state" / "journal.db", clock=clock) as j:
        yield j


@pytest.fixture
def spec() -> SpecFactory:
    """Factory of step specs: spec(name="Q4", action="update")."""
    return make_spec
