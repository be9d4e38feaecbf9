"""Shared test configuration: no network, clean environment, no sleeping retries."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import stamina
from hypothesis import settings

from pg_cluster import PgCluster, start_cluster

# No timed assertions (these machines are noisy): hypothesis's per-example
# deadline would be one, so it is off for every property test.
settings.register_profile("gcsched", deadline=None)
settings.load_profile("gcsched")

_SECRET_VARS = (
    "GENESYSCLOUD_OAUTHCLIENT_ID",
    "GENESYSCLOUD_OAUTHCLIENT_SECRET",
    "GENESYSCLOUD_REGION",
    "GCSCHED_API_URL",
)


@pytest.fixture(autouse=True)
def _clean_environ() -> Iterator[None]:
    """Keep os.environ clean for every test without mocking it."""
    saved = dict(os.environ)
    for name in _SECRET_VARS:
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    """Retries happen, but without real sleeping."""
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for the whole session (tests/pg_cluster.py)."""
    with start_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """The URL (with its password) of a new, empty database of the cluster."""
    return pg_cluster.create_database()
