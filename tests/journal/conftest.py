"""Fixtures of the journal tests: a fake clock and a fresh journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from journal_helpers import FakeClock, SpecFactory, make_spec

from gcsched.journal import Journal
from gcsched.journal.store import TableStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "postgres"])
def journal(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> Iterator[TableStore]:
    """A fresh state store of each backend (tests of the protocol run on both);
    `@pytest.mark.parametrize("journal", ["sqlite"], indirect=True)` keeps a
    test that reads SQLite itself to the one backend."""
    if request.param == "postgres":
        from gcsched.journal.postgres import PostgresStore

        url = request.getfixturevalue("pg_url")
        with PostgresStore.connect(url, clock=clock) as store:
            yield store
        return
    with Journal.open(tmp_path / "state" / "journal.db", clock=clock) as j:
        yield j


@pytest.fixture
def spec() -> SpecFactory:
    """Factory of step specs: spec(name="Q4", action="update")."""
    return make_spec
