"""Two CI-style runners, separate working directories, one PostgreSQL state.

Runner A applies (slowly: every write waits on the served sandbox); runner B is
refused with exit 3 naming A (host, pid, run id, since); B again with
``--lock-timeout`` waits; A is killed with SIGKILL mid-apply; the server frees
A's advisory lock when its connection closes, and B, in a working directory
holding nothing but the file, resumes A's run and converges.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from integration_support import (
    Api,
    Entry,
    campaign_id,
    cli_env,
    gcsched_argv,
    schedule_yaml,
    write_seed,
)

from served_sandbox import served_sandbox

CAMPAIGNS = 6


def _steps(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        try:
            rows = conn.execute("SELECT status, count(*) FROM steps GROUP BY status")
        except psycopg.errors.UndefinedTable:
            return {}
        return {str(status): int(n) for status, n in rows.fetchall()}


def _dump(url: str) -> str:
    with psycopg.connect(url) as conn:
        runs = conn.execute("SELECT id, status, summary FROM runs").fetchall()
        steps = conn.execute(
            "SELECT run_id, seq, status, error, target_name FROM steps ORDER BY id"
        ).fetchall()
    return "\n".join(map(str, [*runs, *steps]))


def _wait_for(what: str, check: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _run(
    args: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        gcsched_argv(*args),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_one_applies_the_other_is_refused_waits_and_resumes_after_a_kill(
    tmp_path: Path, pg_url: str
) -> None:
    seed = write_seed(tmp_path / "seed.json", CAMPAIGNS)
    text = schedule_yaml(
        [Entry(n, "17:00") for n in range(1, CAMPAIGNS + 1)],
        start=datetime.now(UTC).date(),
    )
    runners = {name: tmp_path / name for name in ("a", "b")}
    for where in runners.values():
        where.mkdir()
        (where / "schedules.yaml").write_text(text)
    env = cli_env(GCSCHED_STATE_URL=pg_url)
    with served_sandbox(
        "--seed", str(seed), "--rate-limit", "0", "--token-mint-limit", "0",
        "--fault", "latency:ms=1500,method=PUT",
    ) as url:  # fmt: skip
        apply = ["--api-url", url, "apply", "schedules.yaml", "--yes"]
        a = subprocess.Popen(
            gcsched_argv(*apply, "--concurrency", "1"),
            cwd=runners["a"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(
                "A's first confirmed step", lambda: _steps(pg_url).get("confirmed")
            )
            refused = _run(apply, runners["b"], env)
            assert refused.returncode == 3, refused.stderr
            assert f"pid {a.pid} on host {os.uname().nodename}, run r" in refused.stderr
            assert "started 20" in refused.stderr
            waiting = subprocess.Popen(
                gcsched_argv(*apply, "--lock-timeout", "240"),
                cwd=runners["b"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(3)
            assert waiting.poll() is None  # it waits for A
            done = _steps(pg_url)
            assert done.get("confirmed", 0) < CAMPAIGNS, done  # A is mid-apply
            a.send_signal(signal.SIGKILL)
            a.wait()
            out, err = waiting.communicate(timeout=300)
            assert waiting.returncode == 0, err
        finally:
            if a.poll() is None:
                a.kill()
                a.wait()
        # Each change confirmed once; a step A had sent but the API never applied
        # was read back and re-planned (failed, the rest skipped), never sent
        # twice.
        steps = _steps(pg_url)
        assert steps["confirmed"] == CAMPAIGNS, _dump(pg_url) + out + err
        assert set(steps) <= {"confirmed", "failed", "skipped"}, _dump(pg_url)
        assert "resumed: interrupted run r" in out + err, out + err
        replan = _run(
            ["--api-url", url, "plan", "schedules.yaml", "--detailed-exitcode"],
            runners["b"],
            env,
        )
        assert replan.returncode == 0, replan.stdout + replan.stderr
        with Api(url) as api:
            schedules = api.campaign_schedules()
        assert {campaign_id(n) for n in range(1, CAMPAIGNS + 1)} == set(schedules)
        # One write per intended change: every schedule was created once.
        assert {body["version"] for body in schedules.values()} == {1}
        verify = _run(["audit", "verify"], runners["b"], env)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert not (runners["b"] / ".gcsched" / "journal.sqlite").exists()
        with psycopg.connect(pg_url) as conn:
            runs = conn.execute("SELECT status FROM runs ORDER BY id").fetchall()
            assert runs[-1] == ("succeeded",)
            assert ("open",) not in runs
            assert conn.execute("SELECT count(*) FROM apply_locks").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (
                CAMPAIGNS,
            )
