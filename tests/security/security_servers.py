"""Loopback helpers for the end-to-end leak test.

* `SandboxProcess`: `gcsched sandbox serve` as a real subprocess.
* `RecordingProxy`: a forwarding proxy in front of it that records every
  access token the sandbox mints and every bearer token the client sends, so
  the test knows the tokens without reading gcsched's memory.
* `WebhookReceiver`: a plain http.server that keeps every delivery.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

GCSCHED = [sys.executable, "-m", "gcsched.cli.app"]
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class SandboxProcess:
    """`gcsched sandbox serve --port 0 ...` in a subprocess; `url` once it listens."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [*GCSCHED, "sandbox", "serve", "--port", "0", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if match is None:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=10)
            msg = f"sandbox did not start: {line!r} {err!r}"
            raise RuntimeError(msg)
        self.banner = line.encode()
        self.url = match.group(0)

    def stop(self) -> tuple[bytes, bytes]:
        """SIGTERM (it saves its --state file), then its remaining stdout/stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=20)
        return self.banner + out, err


@dataclass
class Seen:
    """What the proxy and the receiver saw."""

    tokens: set[str] = field(default_factory=set)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 in a daemon thread."""

    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.server.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _forward(self) -> None:
        owner: RecordingProxy = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        auth = self.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            with owner.seen.lock:
                owner.seen.tokens.add(auth[7:].strip())
        reply = owner.client.request(
            self.command, self.path, headers=headers, content=body
        )
        if self.path.startswith("/oauth/token") and reply.status_code == 200:
            with owner.seen.lock:
                owner.seen.tokens.add(json.loads(reply.content)["access_token"])
        self.send_response(reply.status_code)
        for key, value in reply.headers.items():
            if key.lower() not in _HOP and key.lower() != "content-encoding":
                self.send_header(key, value)
        self.send_header("content-length", str(len(reply.content)))
        self.end_headers()
        self.wfile.write(reply.content)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _forward  # noqa: N815


class RecordingProxy(_Server):
    """Forwards to `upstream` and records every token it sees."""

    handler = _ProxyHandler

    def __init__(self, upstream: str, seen: Seen) -> None:
        self.seen = seen
        self.client = httpx.Client(base_url=upstream, timeout=30)
        super().__init__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        self.client.close()


class _HookHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        owner: WebhookReceiver = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        with owner.seen.lock:
            owner.seen.deliveries.append(
                {"headers": dict(self.headers.items()), "body": body}
            )
            # The first delivery fails, so the outbox keeps an error and a retry.
            status = 503 if len(owner.seen.deliveries) == 1 else 204
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()


class WebhookReceiver(_Server):
    """Keeps every POST; answers 503 to the very first one, 204 after."""

    handler = _HookHandler

    def __init__(self, seen: Seen) -> None:
        self.seen = seen
        super().__init__()
