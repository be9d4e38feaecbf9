"""SIGKILL `gcsched apply` at random moments (served sandbox); re-runs converge."""

from __future__ import annotations

import random
import re
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from integration_support import (
    Api,
    Entry,
    campaign_id,
    cli_env,
    client_id,
    gcsched_argv,
    run_cli,
    schedule_yaml,
    write_seed,
)

from served_sandbox import served_sandbox

CAMPAIGNS = 16
KILL_CYCLES = 22
CLIENTS = 6
HOOK = "https://hooks.gcsched-test.invalid/gc"
HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _variant(cycle: int) -> dict[int, str]:
    """The file of `cycle`: which campaigns are scheduled and their window end.

    Consecutive variants differ by creates, deletes and updates.
    """
    rng = random.Random(1000 + cycle)
    chosen = sorted(rng.sample(range(1, CAMPAIGNS + 1), k=12))
    return {n: rng.choice(("16:00", "17:00", "18:00")) for n in chosen}


def _check_body(body: dict[str, Any], end: str, start_day: str) -> None:
    """The stored schedule is what the file renders for that campaign."""
    assert body["timeZone"] == "America/Chicago"
    assert str(body["name"]).startswith("gcsched:")
    (rec,) = body["recurrences"]
    assert rec["start"][11:16] == "09:00", rec
    assert rec["end"][11:16] == end, rec
    assert rec["pattern"]["daysOfWeek"] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert rec["start"][:10] >= start_day


def _apply_argv(file: Path, url: str, state: Path, concurrency: int) -> list[str]:
    return gcsched_argv(
        "apply",
        str(file),
        "--yes",
        "--concurrency",
        str(concurrency),
        "--api-url",
        url,
        "--state-dir",
        str(state),
    )


def _outbox_per_confirmed_step(journal: Path) -> dict[int, int]:
    """For every confirmed step, how many schedule events the outbox holds."""
    with sqlite3.connect(journal) as conn:
        rows = conn.execute(
            "SELECT s.id, (SELECT count(*) FROM outbox o WHERE o.step_id = s.id"
            " AND o.event_type LIKE 'schedule.%') FROM steps s"
            " WHERE s.status = 'confirmed'"
        ).fetchall()
    return {int(step): int(count) for step, count in rows}


def _event_ids_unique(journal: Path) -> bool:
    with sqlite3.connect(journal) as conn:
        (dupes,) = conn.execute(
            "SELECT count(*) FROM (SELECT step_id, event_type, count(*) c FROM outbox"
            " WHERE step_id IS NOT NULL GROUP BY step_id, event_type HAVING c > 1)"
        ).fetchone()
    return int(dupes) == 0


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_converges(tmp_path: Path) -> None:
    """22 SIGKILLs mid-apply: re-runs converge, plans are empty, versions +1 once."""
    rng = random.Random(20261127)
    # Three CLI runs per cycle mint three tokens; rotate clients so the
    # sandbox's 20-tokens-per-client-per-minute limit is never the bottleneck.
    seed_file = write_seed(tmp_path / "seed.json", CAMPAIGNS, clients=CLIENTS)
    state = tmp_path / "state"
    start = datetime.now(UTC).date() + timedelta(days=7)
    start_day = start.isoformat()
    typical = 1.5  # seconds; measured on the first, unkilled apply
    landed_kills = 0
    resumed = 0  # re-runs that found an interrupted run in the journal
    sent_landed = sent_lost = 0  # sent-but-unconfirmed steps the re-runs read back
    # Writes take 60 ms, so a kill often lands while steps are in flight.
    slow_writes = ("--fault", "latency:ms=60,method=PUT")
    slow_deletes = ("--fault", "latency:ms=60,method=DELETE")
    with served_sandbox(
        "--seed", str(seed_file), "--rate-limit", "0", *slow_writes, *slow_deletes
    ) as url:
        api = Api(url)
        try:
            current: dict[int, str] = {}
            cycle = -1
            while landed_kills < KILL_CYCLES:
                cycle += 1
                assert cycle <= 2 * KILL_CYCLES, "too few kills landed mid-run"
                wanted = _variant(cycle)
                who = cycle % CLIENTS
                env = cli_env(
                    GENESYSCLOUD_OAUTHCLIENT_ID=client_id(who),
                    GENESYSCLOUD_OAUTHCLIENT_SECRET=f"secret-{who}",
                    GCSCHED_TEST_HOOK_SECRET=HOOK_SECRET,
                )
                file = tmp_path / f"cycle{cycle}.yaml"
                entries = [Entry(n, end) for n, end in wanted.items()]
                file.write_text(schedule_yaml(entries, start=start, webhook=HOOK))
                before = {
                    k: int(v["version"]) for k, v in api.campaign_schedules().items()
                }
                began = time.monotonic()
                if cycle > 0:
                    proc = subprocess.Popen(
                        _apply_argv(file, url, state, rng.choice((1, 2, 4))),
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        env=env,
                    )
                    # Startup and planning take most of `typical`; the
                    # writes come last, so aim at the second half of it.
                    time.sleep(rng.uniform(0.4, 1.2) * typical)
                    proc.send_signal(signal.SIGKILL)
                    landed_kills += proc.wait() == -signal.SIGKILL
                done = run_cli(
                    "apply",
                    str(file),
                    "--yes",
                    "--api-url",
                    url,
                    "--state-dir",
                    str(state),
                    env=env,
                )
                assert done.returncode == 0, (cycle, done.stdout, done.stderr)
                resumed += "resumed:" in done.stderr
                for landed, lost in re.findall(
                    r"(\d+) sent step\(s\) had landed, (\d+) had not", done.stderr
                ):
                    sent_landed += int(landed)
                    sent_lost += int(lost)
                if cycle == 0:
                    typical = time.monotonic() - began
                plan = run_cli(
                    "plan",
                    str(file),
                    "--detailed-exitcode",
                    "--api-url",
                    url,
                    "--state-dir",
                    str(state),
                    env=env,
                )
                assert plan.returncode == 0, (cycle, plan.stdout, plan.stderr)
                after = api.campaign_schedules()
                assert set(after) == {campaign_id(n) for n in wanted}, cycle
                for n, end in wanted.items():
                    cid = campaign_id(n)
                    body = after[cid]
                    _check_body(body, end, start_day)
                    if n not in current:
                        expected = 1  # created
                    elif current[n] != end:
                        expected = before[cid] + 1  # updated once
                    else:
                        expected = before[cid]  # untouched
                    assert body["version"] == expected, (cycle, n, body["version"])
                current = wanted
        finally:
            api.close()
    assert resumed >= 5, resumed
    assert sent_landed + sent_lost >= 1, (sent_landed, sent_lost)
    journal = state / "journal.sqlite"
    per_step = _outbox_per_confirmed_step(journal)
    assert len(per_step) >= KILL_CYCLES
    assert all(count == 1 for count in per_step.values()), per_step
    assert _event_ids_unique(journal)
    verify = run_cli("audit", "verify", "--state-dir", str(state), env=env)
    assert verify.returncode == 0, (verify.stdout, verify.stderr)
