"""Run by test_webhook_crash.py in a subprocess: journal a step, then die by SIGKILL.

Usage: python crash_child.py JOURNAL_PATH MODE
MODE "after-confirm": SIGKILL right after the confirmed step (events not sent).
MODE "mid-delivery": start delivering; the receiver gets the request, then the
process is killed before the journal records the delivery.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime

import httpx
from webhook_support import SECRET, SECRET_ENV, endpoint, public_resolver

from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal
from gcsched.webhooks import WebhookSender, build_events, change_event_data


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main(path: str, mode: str) -> None:
    journal = Journal.open(path)
    before = {"name": "gcsched:Q4", "timeZone": "UTC", "version": 3}
    after = {"name": "gcsched:Q4", "timeZone": "America/Chicago", "version": 4}
    run = journal.create_run(
        org_id="org-1",
        org_name="Example Org",
        file_path="schedules.yaml",
        file_sha256="f" * 64,
        checksum="c" * 64,
        plan={},
        steps=[
            ChangeSpec(
                "update",
                Family.CAMPAIGNS,
                "campaign",
                "c-1",
                "Q4 Renewals",
                3,
                before,
                after,
            )
        ],
    )
    (step,) = journal.steps(run.id)
    journal.mark_sent(step.id)
    data = change_event_data(
        run_id=run.id,
        org={"id": run.org_id, "name": run.org_name},
        change=step.change,
        step_id=step.id,
    )
    events = build_events(
        [endpoint()],
        "schedule.updated",
        data,
        key=f"{run.id}:{step.id}",
        now=datetime.now(UTC),
    )
    journal.mark_confirmed(step.id, result=after, version_new=4, events=events)
    print(json.dumps({"run_id": run.id, "step_id": step.id}), flush=True)
    if mode == "after-confirm":
        _die()

    def receive(request: httpx.Request) -> httpx.Response:
        print(json.dumps({"received": request.headers["webhook-id"]}), flush=True)
        _die()
        return httpx.Response(200)  # pragma: no cover - the process is gone

    sender = WebhookSender(
        journal,
        environ={SECRET_ENV: SECRET},
        transport=httpx.MockTransport(receive),
        resolver=public_resolver,
    )
    asyncio.run(sender.deliver_due())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
