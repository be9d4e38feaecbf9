"""With nothing listening at the API URL: one clear message, no retry chatter."""

from __future__ import annotations

import socket
from pathlib import Path

from cli_support import EXAMPLE, run


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_names_the_url_once(tmp_path: Path) -> None:
    """The error says "connection refused to URL"; stamina's per-retry warnings
    (gcsched counts retries itself) are not printed without -v."""
    url = f"http://127.0.0.1:{_closed_port()}"
    env = {
        "GENESYSCLOUD_OAUTHCLIENT_ID": "id",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": "secret",
    }
    result = run(
        "plan", str(EXAMPLE), "--api-url", url, "--state-dir", str(tmp_path), env=env
    )
    assert result.exit_code != 0
    assert f"connection refused to {url}" in result.output
    assert "failed 5 times" not in result.output
    assert "retry_scheduled" not in result.output
    assert "never awaited" not in result.output
