"""Fixtures: the in-process sandbox, a real client over ASGITransport, a journal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from engine_support import URL

from gcsched.audit import AuditLog
from gcsched.client import Credentials, GenesysClient
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)


@pytest.fixture
def state() -> SandboxState:
    """A fresh demo org."""
    return SandboxState.demo()


@pytest.fixture
async def client(state: SandboxState) -> AsyncIterator[GenesysClient]:
    """A real client talking to the in-process sandbox (limits off)."""
    app = create_app(state, rate_limit=0)
    transport = httpx.ASGITransport(app=app)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as c:
        yield c


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    """A fresh journal."""
    return Journal.open(tmp_path / "journal.sqlite")


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    """A fresh audit log."""
    return AuditLog(tmp_path / "audit.jsonl")
