"""A run's events, written by journal transitions, reach a Starlette receiver."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from webhook_support import SECRET, SECRET_ENV, FakeClock, endpoint, public_resolver

from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal
from gcsched.webhooks import (
    WebhookSender,
    build_events,
    run_event_data,
    schedule_event_data,
)


class Hub:
    """A Standard Webhooks receiver: verifies, dedupes on webhook-id, can fail."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.attempts: Counter[str] = Counter()
        self.accepted: dict[str, dict[str, Any]] = {}
        self.app = Starlette(routes=[Route("/genesys", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        try:
            payload = Webhook(SECRET).verify(body, dict(request.headers))
        except WebhookVerificationError:
            return Response(status_code=401)
        msg_id = request.headers["webhook-id"]
        self.attempts[msg_id] += 1
        if self.attempts[msg_id] <= self.failures:
            return Response(status_code=500)
        self.accepted.setdefault(msg_id, payload)
        return Response(status_code=204)


def _run(journal: Journal) -> tuple[str, list[int]]:
    body = {"name": "gcsched:Q4", "timeZone": "UTC", "version": 1}
    run = journal.create_run(
        org_id="org-1",
        org_name="Example Org",
        file_path="s.yaml",
        file_sha256="a" * 64,
        checksum="b" * 64,
        plan={},
        steps=[
            ChangeSpec(
                "create", Family.CAMPAIGNS, "campaign", "c-1", "Q4", None, None, body
            ),
            ChangeSpec(
                "update", Family.CAMPAIGNS, "campaign", "c-2", "Q1", 7, body, body
            ),
        ],
    )
    return run.id, [step.id for step in journal.steps(run.id)]


@pytest.mark.anyio
async def test_a_partial_run_reaches_the_receiver_once_each(
    journal: Journal, clock: FakeClock
) -> None:
    """created, conflict and run.completed(partial) arrive verified, deduped by id."""
    hooks = [endpoint("https://hooks.example.com/genesys", retry=(5, 5, 5))]
    run_id, (first, second) = _run(journal)

    def data(step_id: int, action: str, name: str, **kw: Any) -> dict[str, Any]:
        return schedule_event_data(
            run_id=run_id,
            org={"id": "org-1", "name": "Example Org"},
            kind="campaign",
            target_id=f"c-{step_id}",
            target_name=name,
            action=action,
            step_id=step_id,
            **kw,
        )

    journal.mark_sent(first)
    created = data(first, "create", "Q4", before=None, after={"version": 1})
    journal.mark_confirmed(
        first,
        result={"version": 1},
        version_new=1,
        events=build_events(
            hooks, "schedule.created", created, key=f"{run_id}:{first}", now=clock.now
        ),
    )
    journal.mark_sent(second)
    detail = {"version_seen": 7, "version_now": 8}
    conflict = data(second, "update", "Q1", before=None, after=None, conflict=detail)
    journal.mark_conflict(
        second,
        detail=detail,
        events=build_events(
            hooks,
            "schedule.conflict",
            conflict,
            key=f"{run_id}:{second}",
            now=clock.now,
        ),
    )
    done = run_event_data(
        run_id=run_id,
        org={"id": "org-1", "name": "Example Org"},
        outcome="partial",
        counts={"created": 1, "conflict": 1},
    )
    journal.finish_run(
        run_id,
        "partial",
        summary={},
        events=build_events(hooks, "run.completed", done, key=run_id, now=clock.now),
    )

    hub = Hub(failures=1)
    sender = WebhookSender(
        journal,
        environ={SECRET_ENV: SECRET},
        transport=httpx.ASGITransport(app=hub.app),
        resolver=public_resolver,
        clock=clock,
    )
    first_round = await sender.deliver_due()
    assert (first_round.delivered, first_round.failed, first_round.pending) == (0, 1, 3)
    for _ in range(3):
        clock.advance(5)
        await sender.deliver_due()
    assert journal.pending_events() == []
    types = sorted(p["type"] for p in hub.accepted.values())
    assert types == ["run.completed", "schedule.conflict", "schedule.created"]
    by_type = {p["type"]: p["data"] for p in hub.accepted.values()}
    assert by_type["run.completed"]["outcome"] == "partial"
    assert by_type["schedule.conflict"]["conflict"] == detail
    assert by_type["schedule.created"]["before"] is None
    assert all(count == 2 for count in hub.attempts.values())


@pytest.mark.anyio
async def test_a_wrong_secret_is_rejected_by_the_receiver(
    journal: Journal, clock: FakeClock
) -> None:
    """Signed with another secret, the receiver answers 401: a failed attempt."""
    run_id, _ = _run(journal)
    done = run_event_data(run_id=run_id, org={"id": "o", "name": "O"}, error="stopped")
    journal.add_events(
        build_events([endpoint()], "run.failed", done, key=run_id, now=clock.now)
    )
    other = "whsec_" + "QUJD" * 8
    sender = WebhookSender(
        journal,
        environ={SECRET_ENV: other},
        transport=httpx.ASGITransport(app=Hub().app),
        resolver=public_resolver,
        clock=clock,
    )
    report = await sender.deliver_due()
    assert report.failed == 1
    assert journal.pending_events()[0].last_status == 401
