"""A revert run notifies like any apply: the endpoints the reverted run
notified get its steps' events and its run.completed, naming the reverted
run's environment and org, delivered to a real loopback receiver."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook
from webhook_support import SECRET, SECRET_ENV

import gcsched
from gcsched.client import Credentials
from gcsched.config import load
from gcsched.errors import InputError
from gcsched.journal import Journal
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
    entity_id,
)
from gcsched.sandbox.demo import DEMO_ORG_ID
from gcsched.webhooks import event_id

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 27)

FILE = """\
version: 1
policy: {{min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}}
environments:
  prod: {{org_id: {org}}}
webhooks:
  - url: {hook}
    secret_env: {secret_env}
    allow_insecure_loopback: true
    retry: [1s]
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{{days: [mon-fri], start: "16:00", end: "20:00"}}]
    from: 2026-12-01
    until: 2027-02-26
"""


@dataclass
class Hub:
    """What the receiver accepted: (webhook-id, verified payload), in order."""

    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    url: str = ""

    def of_run(self, run_id: str) -> list[tuple[str, dict[str, Any]]]:
        return [r for r in self.received if r[1]["data"].get("run_id") == run_id]


@contextmanager
def _receiver() -> Iterator[Hub]:
    """A Standard Webhooks receiver on a loopback port (verifies signatures)."""
    hub = Hub()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            payload = Webhook(SECRET).verify(body, headers)
            hub.received.append(
                (headers["webhook-id"], json.loads(json.dumps(payload)))
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hub.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _connect(state: SandboxState, tmp_path: Path, environ: dict[str, str]) -> Any:
    return gcsched.connect(
        api_url="http://sandbox.test",
        transport=httpx.ASGITransport(app=create_app(state, rate_limit=0)),
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        state_dir=tmp_path / "state",
        environ=environ,
        today=lambda: TODAY,
    )


async def test_a_revert_notifies_the_endpoints_of_the_run_it_reverts(
    tmp_path: Path,
) -> None:
    state = SandboxState.demo()
    environ = {SECRET_ENV: SECRET}
    with _receiver() as hub:
        path = tmp_path / "s.yaml"
        path.write_text(
            FILE.format(org=DEMO_ORG_ID, hook=hub.url, secret_env=SECRET_ENV)
        )
        async with _connect(state, tmp_path, environ) as org:
            applied = await org.apply(load(path, env="prod"))
            assert applied.run is not None
            assert applied.run.status == "succeeded"
            # the revert reads no file: the journal kept the endpoints
            path.unlink()
            reverted = await org.revert(applied.run.run_id)
        assert reverted.run is not None
        assert reverted.run.status == "succeeded"
        assert reverted.plan.environment == "prod"
    target = entity_id("campaign", "Win-back")
    assert state.schedule("campaigns", target) is None  # the create undone
    events = hub.of_run(reverted.run.run_id)
    assert [p["type"] for _, p in events] == ["schedule.deleted", "run.completed"]
    for _, payload in events:
        assert payload["data"]["environment"] == "prod"
        assert payload["data"]["org"]["id"] == DEMO_ORG_ID
    with Journal.open(tmp_path / "state" / "journal.sqlite") as journal:
        run = journal.get_run(reverted.run.run_id)
        (step,) = journal.steps(run.id)
    assert (run.environment, run.reverts) == ("prod", applied.run.run_id)
    # the stable ids are what they always were for the same step and run
    assert [i for i, _ in events] == [
        event_id(f"{run.id}:{step.id}:schedule.deleted", hub.url, "schedule.deleted"),
        event_id(f"{run.id}:run", hub.url, "run.completed"),
    ]
    first = hub.of_run(applied.run.run_id)
    assert [p["type"] for _, p in first] == ["schedule.created", "run.completed"]
    assert {p["data"]["environment"] for _, p in first} == {"prod"}


async def test_a_revert_without_the_webhook_secret_is_refused(tmp_path: Path) -> None:
    """As for an apply, a missing secret variable is invalid input (exit 2),
    found before anything is written."""
    state = SandboxState.demo()
    path = tmp_path / "s.yaml"
    path.write_text(
        FILE.format(org=DEMO_ORG_ID, hook="http://127.0.0.1:9/h", secret_env="NOPE")
    )
    async with _connect(state, tmp_path, {"NOPE": SECRET}) as org:
        applied = await org.apply(load(path, env="prod"))
    assert applied.run is not None
    target = entity_id("campaign", "Win-back")
    assert state.schedule("campaigns", target) is not None
    async with _connect(state, tmp_path, {}) as org:
        with pytest.raises(InputError, match="NOPE"):
            await org.revert(applied.run.run_id)
    assert state.schedule("campaigns", target) is not None
