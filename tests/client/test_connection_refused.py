"""With nothing listening, the error says "connection refused to URL"."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

import gcsched
from gcsched.api.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from gcsched.client import Credentials
from gcsched.errors import GcSchedError


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _export(url: str, state_dir: Path) -> None:
    async with gcsched.connect(
        api_url=url,
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        state_dir=state_dir,
        rate_limit=6000,
    ) as org:
        await org.export()


def test_server_down_names_the_refused_url(tmp_path: Path) -> None:
    """Not "the API failed 5 times": the URL that refused the connection."""
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(GcSchedError) as caught:
        asyncio.run(_export(url, tmp_path))
    text = str(caught.value)
    assert f"connection refused to {url}" in text
    assert "times in a row" not in text
