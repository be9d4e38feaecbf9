"""`gcsched sandbox serve` as a real process, shared by the tests that need sockets."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import httpx

#: Runs the console script's `main` with this interpreter (no PATH lookup).
SERVE = "from gcsched.cli.app import main; main()"


def _drain(stream: IO[str]) -> None:
    """Read `stream` to its end, throwing the text away."""
    try:
        for _ in stream:
            pass
    except (OSError, ValueError):  # closed under us at teardown
        return


@contextmanager
def served_sandbox(*args: str) -> Iterator[str]:
    """Run the sandbox on a free loopback port; yield its URL; stop it with SIGTERM."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://\S+", line)
        if match is None:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"sandbox did not start: {line!r} {err}")
        url = match.group(0)
        # Nobody reads the server's output after its first line: drain both pipes,
        # or a long run (a soak's dropped connections log tracebacks) fills the
        # 64 KiB pipe buffer and the server blocks on its next write.
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                threading.Thread(target=_drain, args=(stream,), daemon=True).start()
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"{url}/sandbox/stats", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
