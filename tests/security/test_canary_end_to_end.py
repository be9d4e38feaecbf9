"""End to end: canary secrets never reach a byte gcsched writes (design.md, Safety).

A real `gcsched sandbox serve` subprocess with faults (429, 5xx, tokens that
die after 2 s) serves a seeded OAuth client whose secret is a canary; every
command runs as a subprocess through a loopback proxy that records the access
tokens minted; webhooks go to a loopback receiver. Then every byte written is
scanned for each canary in every encoded form.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from security_scan import files_under, find_leaks
from security_servers import (
    RecordingProxy,
    SandboxProcess,
    Seen,
    WebhookReceiver,
)

from gcsched.api.sandbox import DEFAULT_CLIENT_ID
from gcsched.sandbox.demo import DEMO_SEED

CLIENT_ID = "leakcheck-bot"
CLIENT_SECRET = 'cnry-S3cr3t/7f3a+9b"q&y=z~Q'
WEBHOOK_KEY = "cnry-webhook-key-5e8d1c0a"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(WEBHOOK_KEY.encode()).decode()
FAULTS = ("429:rate=0.2", "5xx:rate=0.1", "token-expiry:after=2")
_SCRIPT = Path(sys.executable).with_name("gcsched")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "gcsched.cli.app"]

SCHEDULES = """\
version: 1
policy:
  audience_conflicts: warn
  max_change_fraction: 1.0
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    priority: 8
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00"}
    from: 2026-12-01
    until: 2027-01-31
    except: [2026-12-25]
    pacing: {max_calls_per_agent: 4}
  - campaign: Win-back
    time_zone: America/New_York
    priority: 5
    windows:
      - {days: [tue, thu], start: "10:00", end: "16:00"}
    from: 2026-12-01
  - messaging_campaign: Payment SMS
    time_zone: America/Chicago
    windows:
      - {days: daily, start: "10:00", end: "18:00"}
    from: 2026-12-01
    count: 20
webhooks:
  - url: @HOOK@/genesys
    secret_env: GCSCHED_WEBHOOK_SECRET
    allow_insecure_loopback: true
    events: [schedule.created, schedule.updated, schedule.deleted,
             schedule.conflict, run.completed, run.failed]
    retry: [1s, 1s, 1s]
"""


def _environ(secret: str = CLIENT_SECRET) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GENESYSCLOUD_", "GCSCHED_"))
    }
    env.update(
        GENESYSCLOUD_OAUTHCLIENT_ID=CLIENT_ID,
        GENESYSCLOUD_OAUTHCLIENT_SECRET=secret,
        GCSCHED_WEBHOOK_SECRET=WEBHOOK_SECRET,
        COLUMNS="400",
        NO_COLOR="1",
    )
    return env


class Session:
    """Runs `gcsched` subprocesses against one proxy and keeps all their output."""

    def __init__(self, cwd: Path, api_url: str) -> None:
        self.cwd = cwd
        self.api_url = api_url
        self.outputs: dict[str, bytes] = {}

    def run(self, *args: str, env: dict[str, str] | None = None) -> int:
        """Run one command; its stdout and stderr join the scanned blobs."""
        argv = [*CLI, "--api-url", self.api_url, "--state-dir", "state", *args]
        done = subprocess.run(
            argv,
            cwd=self.cwd,
            env=env or _environ(),
            capture_output=True,
            timeout=180,
            check=False,
        )
        n = len(self.outputs) // 2
        self.outputs[f"stdout #{n} {' '.join(args)}"] = done.stdout
        self.outputs[f"stderr #{n} {' '.join(args)}"] = done.stderr
        return done.returncode

    def last(self, stream: str = "stdout") -> bytes:
        """The given stream of the last command."""
        return [v for k, v in self.outputs.items() if k.startswith(stream)][-1]


@pytest.mark.slow
def test_no_canary_in_any_byte_gcsched_writes(tmp_path: Path) -> None:
    """validate/plan/apply(with faults)/flush/export/runs/audit/report leak nothing."""
    seed = dict(DEMO_SEED)
    seed["clients"] = [{"id": CLIENT_ID, "secret": CLIENT_SECRET, "tokenTtl": 3600}]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "seed.json").write_text(json.dumps(seed))
    work = tmp_path / "work"
    work.mkdir()
    seen = Seen()
    state_file = work / "sandbox.json"
    blobs: dict[str, bytes] = {}
    schedules = inputs / "q4.yaml"
    f = str(schedules)
    with WebhookReceiver(seen) as hook:
        schedules.write_text(SCHEDULES.replace("@HOOK@", hook.url))
        # 1. plan and apply against a sandbox that misbehaves.
        faulty = SandboxProcess(
            "--seed", str(inputs / "seed.json"), "--state", str(state_file),
            *(a for fault in FAULTS for a in ("--fault", fault)),
            "--fault-seed", "11", cwd=work,
        )  # fmt: skip
        try:
            with RecordingProxy(faulty.url, seen) as proxy:
                s = Session(work, proxy.url)
                assert s.run("validate", f) == 0, s.last("stderr")
                assert s.run("validate", f, "--json") == 0
                assert s.run("-v", "plan", f) == 0, s.last("stderr")
                codes: list[int] = []
                for _ in range(4):  # faults may fail a step: re-running resumes
                    codes.append(
                        s.run(
                            "--log-format", "json", "-vv", "apply", f, "--yes",
                            "--metrics-file", f"metrics{len(codes)}.prom",
                        )
                    )  # fmt: skip
                    if codes[-1] == 0:
                        break
                assert codes[-1] == 0, (codes, s.last("stderr")[-2000:])
        finally:
            blobs["faulty sandbox stdout"], blobs["faulty sandbox stderr"] = (
                faulty.stop()
            )
        blobs["sandbox.json after the faulty run"] = state_file.read_bytes()
        # 2. everything else against the same org, served again without faults.
        calm = SandboxProcess("--state", str(state_file), "--rate-limit", "0", cwd=work)
        try:
            with RecordingProxy(calm.url, seen) as proxy:
                s.api_url = proxy.url
                applied = b"".join(v for k, v in s.outputs.items() if " apply " in k)
                run_id = re.search(rb"r\d{8}-\d{6}-[0-9a-f]+", applied)
                assert run_id is not None
                assert s.run("plan", f, "--json") == 0
                assert s.run("plan", f, "--markdown", "--out", "plan.json") == 0
                assert s.run("-vv", "webhooks", "flush") == 0, s.last("stderr")
                assert (
                    s.run("--log-format", "json", "-vv", "export", "-o", "x.yaml") == 0
                )
                assert s.run("export") == 0
                assert s.run("runs", "list") == 0
                assert s.run("runs", "show", run_id.group(0).decode()) == 0
                assert s.run("audit", "show") == 0
                assert s.run("audit", "export") == 0
                assert s.run("audit", "verify") == 0, s.last()
                assert (
                    s.run("report", "--live", "--format", "json", "-o", "r.json") == 0
                )
                assert s.run("plan", f, "--detailed-exitcode") == 0, s.last()
                # A wrong secret that contains the canary: refused, not echoed.
                wrong = _environ(CLIENT_SECRET + "-wrong")
                assert s.run("-vv", "plan", f, env=wrong) == 1
                assert b"refused the OAuth client" in s.last("stderr")
        finally:
            blobs["calm sandbox stdout"], blobs["calm sandbox stderr"] = calm.stop()

    assert len(seen.tokens) >= 2, "token-expiry should have forced renewals"
    assert seen.deliveries, "the webhook receiver got nothing"
    for delivery in seen.deliveries:
        json.loads(delivery["body"])
    blobs.update(files_under(work))
    assert {"sandbox.json", "x.yaml", "plan.json", "r.json", "metrics0.prom"} <= {
        Path(p).name for p in blobs
    }
    assert any(Path(p).name == "journal.sqlite" for p in blobs)
    blobs.update(s.outputs)
    for i, delivery in enumerate(seen.deliveries):
        blobs[f"webhook #{i} body"] = delivery["body"]
        blobs[f"webhook #{i} headers"] = json.dumps(delivery["headers"]).encode()
    canaries = {
        "client secret": [CLIENT_SECRET],
        "webhook secret": [WEBHOOK_SECRET, WEBHOOK_SECRET[6:], WEBHOOK_KEY],
        "access token": [
            *seen.tokens,
            *(f"Bearer {t}" for t in seen.tokens),
        ],
    }
    assert find_leaks(blobs, canaries) == []
    # And the scan was not vacuous: the public id and the org are there.
    everything = b"".join(blobs.values())
    assert CLIENT_ID.encode() in everything
    assert DEFAULT_CLIENT_ID.encode() in blobs["calm sandbox stdout"]
