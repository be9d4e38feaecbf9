"""`gcsched sandbox serve`: a client that goes away mid-request is one log line."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from gcsched.api.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from served_sandbox import SERVE


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(f"{url}/sandbox/stats", timeout=1)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the sandbox did not answer"
            time.sleep(0.05)


def _half_a_request(url: str) -> None:
    """PUT a schedule announcing 1,000 body bytes, send six, and hang up."""
    token = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    ).json()["access_token"]
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            (
                "PUT /api/v2/outbound/schedules/campaigns/c-1 HTTP/1.1\r\n"
                f"Host: {host}\r\nAuthorization: Bearer {token}\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                '{"a": '
            ).encode()
        )
        time.sleep(0.3)


def test_an_interrupted_client_logs_one_line_and_no_traceback(tmp_path: Path) -> None:
    """The server keeps serving, and says in one line which request was cut."""
    err_path = tmp_path / "stderr.txt"
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, "sandbox", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            assert proc.stdout is not None
            match = re.search(r"http://\S+", proc.stdout.readline())
            assert match is not None
            url = match.group(0)
            _wait_for(url)
            _half_a_request(url)
            # Still serving after the cut request.
            assert httpx.get(f"{url}/sandbox/stats", timeout=5).status_code == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()
    logged = err_path.read_text()
    assert "Traceback" not in logged
    assert "ClientDisconnect" not in logged
    lines = [line for line in logged.splitlines() if "went away" in line]
    assert lines == [
        "WARNING:  client went away before its request was complete: "
        "PUT /api/v2/outbound/schedules/campaigns/c-1"
    ]
