"""Never lost: a process killed between a confirmed step and its delivery."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from standardwebhooks import Webhook
from webhook_support import SECRET, SECRET_ENV, URL, Receiver, public_resolver

from gcsched.journal import Journal
from gcsched.webhooks import event_id, flush

CHILD = Path(__file__).with_name("crash_child.py")


def run_child(path: Path, mode: str) -> list[dict[str, object]]:
    """Run the crash child to its SIGKILL; return the JSON lines it printed."""
    done = subprocess.run(
        [sys.executable, str(CHILD), str(path), mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["after-confirm", "mid-delivery"])
async def test_kill_between_confirm_and_delivery_loses_nothing(
    tmp_path: Path, mode: str
) -> None:
    """After SIGKILL, flush delivers the confirmed step's event with the same id."""
    path = tmp_path / "journal.db"
    lines = run_child(path, mode)
    run_id, step_id = lines[0]["run_id"], lines[0]["step_id"]
    expected = event_id(f"{run_id}:{step_id}", URL, "schedule.updated")
    if mode == "mid-delivery":
        assert lines[1] == {"received": expected}

    with Journal.open(path) as journal:
        (step,) = journal.steps(str(run_id))
        assert step.status == "confirmed"
        (row,) = journal.pending_events()
        assert row.id == expected
        receiver = Receiver(200)
        report = await flush(
            journal,
            environ={SECRET_ENV: SECRET},
            transport=receiver.transport,
            resolver=public_resolver,
        )
        assert (report.delivered, report.pending) == (1, 0)
        (got,) = receiver.requests
        assert got.headers["webhook-id"] == expected
        payload = Webhook(SECRET).verify(got.body, got.headers)
        assert payload["data"]["run_id"] == run_id
        assert payload["data"]["step_id"] == step_id
        assert journal.outbox_event(expected).status == "delivered"
