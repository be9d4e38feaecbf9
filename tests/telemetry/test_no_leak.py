"""Canary secrets never reach a byte that the journal, audit, logs or metrics write."""

from __future__ import annotations

import base64
import io
import logging
import urllib.parse
from pathlib import Path

from gcsched.audit import AuditLog, record_steps
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal, OutboxEvent
from gcsched.telemetry import (
    RequestCompleted,
    RunMetrics,
    configure_logging,
    register_secret,
)
from gcsched.telemetry.prometheus import write_textfile

CANARIES = (
    "canary-client-secret-7f3a9b",
    "canary-access-token-c41d2e",
    "whsec_Y2FuYXJ5LXdlYmhvb2stc2VjcmV0",
)


def _forms(secret: str) -> set[bytes]:
    return {
        secret.encode(),
        urllib.parse.quote_plus(secret).encode(),
        base64.b64encode(secret.encode()).rstrip(b"="),
    }


def test_canaries_never_written(tmp_path: Path) -> None:
    """Errors, logs, metrics and audit carrying canaries are written without them."""
    for canary in CANARIES:
        register_secret(canary)
    secret, token, whsec = CANARIES
    stream = io.StringIO()
    configure_logging(fmt="json", verbosity=3, stream=stream)
    log = logging.getLogger("gcsched.leak")
    state = tmp_path / ".gcsched"
    with Journal.open(state / "journal.db") as journal:
        run = journal.create_run(
            org_id="o", org_name="O", file_path="f", file_sha256="s", checksum="c",
            plan={}, steps=[
                ChangeSpec("update", Family.CAMPAIGNS, "campaign", ref, name, 1, {},
                           {"v": 2})
                for ref, name in (("i", "C"), ("j", "D"))
            ],
        )  # fmt: skip
        ok, bad = journal.steps(run.id)
        journal.mark_sent(ok.id)
        journal.mark_confirmed(ok.id, result={"v": 2}, version_new=2)
        journal.mark_sent(bad.id)
        journal.mark_failed(bad.id, error=f"401 for Bearer {token} (secret {secret})")
        journal.add_events([
            OutboxEvent("e1", "https://h.example/x", "WH", (1.0,), "run.completed", {})
        ])  # fmt: skip
        journal.reschedule(
            "e1", next_attempt_at=journal.now(), last_status=None,
            last_error=f"signing with {whsec} failed",
        )  # fmt: skip
        record_steps(
            AuditLog(state / "audit.jsonl"), journal.unaudited_steps(),
            actor="client-id", record=journal.set_audit_hash,
        )  # fmt: skip
        assert token not in (journal.step(bad.id).error or "")
    log.warning("token %s refused", token, extra={"auth": f"Basic {secret}"})
    try:
        raise RuntimeError(f"client_secret={secret}")
    except RuntimeError:
        log.exception("boom")
    metrics = RunMetrics()
    metrics(RequestCompleted("GET", f"/oauth/token?access_token={token}", 200, 0.1))
    write_textfile(metrics, state / "metrics.prom")
    (state / "summary.json").write_text(str(metrics.summary()))
    written = [p.read_bytes() for p in state.rglob("*") if p.is_file()]
    written.append(stream.getvalue().encode())
    assert len(written) >= 5
    for blob in written:
        for canary in CANARIES:
            for form in _forms(canary):
                assert form not in blob, (canary, form)
