"""Fixtures for the webhook tests: a fake clock, a real journal, an environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webhook_support import SECRET, SECRET_ENV, FakeClock

from gcsched.journal import Journal


@pytest.fixture
def clock() -> FakeClock:
    """The shared fake clock of journal and sender."""
    return FakeClock()


@pytest.fixture
def journal(tmp_path: Path, clock: FakeClock) -> Iterator[Journal]:
    """A real journal in a temporary state dir."""
    with Journal.open(tmp_path / "state" / "journal.db", clock=clock) as opened:
        yield opened


@pytest.fixture
def environ() -> dict[str, str]:
    """An environment holding the test secret."""
    return {SECRET_ENV: SECRET}
