"""Seconds from a change made outside gcsched to `gcsched watch` reporting it.

Starts ``gcsched sandbox serve`` (limiting off), applies a three-schedule file
(so gcsched owns the schedules), starts ``gcsched watch FILE`` with its default
settings (debounce 0.5 s) and waits until it has subscribed. Then, N times: an
admin's edit (a PUT of one schedule with another time zone, straight to the
API) and the time until the watch prints its ``drift:`` line. Every process
runs on loopback; the edit and the report are timed in this process, so the
figure includes the notification, the debounce, the re-read (a full plan) and
the webhook attempt. Prints the machine, the exact commands and min, median,
p95 and max against the 2 s target.

    .venv/bin/python bench/watch_latency.py [--changes 20] [--debounce 0.5]
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import httpx

TARGET = 2.0
GCSCHED = Path(sys.executable).with_name("gcsched")
CLIENT = ("sandbox-client-id", "sandbox-client-secret")
FILE = """version: 1
project: bench
policy: {audience_conflicts: warn, max_change_fraction: 1.0}
schedules:
"""
ENTRY = """  - campaign: {name}
    time_zone: America/Chicago
    windows: [{{days: [mon-fri], start: "09:00", end: "17:00"}}]
    from: 2027-01-04
"""
CAMPAIGNS = ("Win-back", "Collections 30", "EMEA Prospecting")
SUBSCRIBE = "PUT /api/v2/notifications/channels/{channelId}/subscriptions"


def lines_of(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def token(http: httpx.Client) -> dict[str, str]:
    reply = http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=CLIENT
    )
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def edit(
    http: httpx.Client, headers: dict[str, str], campaign_id: str, zone: str
) -> None:
    path = f"/api/v2/outbound/schedules/campaigns/{campaign_id}"
    body = http.get(path, headers=headers).json()
    skip = ("selfUri", "dateCreated", "dateModified", "nextOccurrenceDetails")
    sent = {k: v for k, v in body.items() if k not in skip}
    sent["timeZone"] = zone
    for recurrence in sent.get("recurrences", []):
        recurrence["timeZone"] = zone
    reply = http.put(path, headers=headers, json=sent)
    reply.raise_for_status()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--debounce", type=float, default=0.5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gcsched-watch-bench-"))
    file = work / "bench.yaml"
    file.write_text(FILE + "".join(ENTRY.format(name=n) for n in CAMPAIGNS))
    env = {
        **os.environ,
        "GENESYSCLOUD_OAUTHCLIENT_ID": CLIENT[0],
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": CLIENT[1],
        "PYTHONUNBUFFERED": "1",
    }
    serve_cmd = [
        *(str(GCSCHED), "sandbox", "serve", "--port", "0", "--rate-limit", "0"),
        *("--token-mint-limit", "0"),
    ]
    server = subprocess.Popen(serve_cmd, stdout=subprocess.PIPE, text=True, env=env)
    watcher: subprocess.Popen[str] | None = None
    try:
        assert server.stdout is not None
        found = re.search(r"http://\S+", server.stdout.readline())
        assert found is not None, "the sandbox did not start"
        url = found.group(0)
        state = ["--api-url", url, "--state-dir", str(work / "state")]
        apply_cmd = [str(GCSCHED), "apply", str(file), "--yes", *state]
        subprocess.run(apply_cmd, check=True, env=env, capture_output=True)
        watch_cmd = [
            str(GCSCHED),
            "watch",
            str(file),
            "--debounce",
            str(args.debounce),
            *state,
        ]
        watcher = subprocess.Popen(
            watch_cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert watcher.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lines_of, args=(watcher.stdout, lines), daemon=True
        ).start()
        with httpx.Client(base_url=url, timeout=30) as http:
            while True:
                stats = http.get("/sandbox/stats").json()["requests"]
                if sum(stats.get(SUBSCRIBE, {}).values()):
                    break
                time.sleep(0.05)
            time.sleep(1.0)  # the first snapshot
            headers = token(http)
            ids = {
                c["name"]: c["id"]
                for c in http.get("/api/v2/outbound/campaigns", headers=headers).json()[
                    "entities"
                ]
            }
            seconds: list[float] = []
            for n in range(args.changes):
                name = CAMPAIGNS[n % len(CAMPAIGNS)]
                zone = ("America/Denver", "America/New_York")[(n // 3) % 2]
                started = time.perf_counter()
                edit(http, headers, ids[name], zone)
                while True:
                    line = lines.get(timeout=30)
                    if line.startswith("drift:") and repr(name) in line:
                        break
                seconds.append(time.perf_counter() - started)
    finally:
        for proc in (watcher, server):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    seconds.sort()
    p95 = seconds[max(0, round(0.95 * len(seconds)) - 1)]
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(f"server: {' '.join(serve_cmd)}")
    print(f"watch:  gcsched watch FILE --debounce {args.debounce} --api-url URL")
    print(
        f"{len(seconds)} changes: min {seconds[0]:.3f} s, median "
        f"{statistics.median(seconds):.3f} s, p95 {p95:.3f} s, max {seconds[-1]:.3f} s "
        f"(target < {TARGET:.0f} s: {'met' if seconds[-1] < TARGET else 'NOT met'})"
    )
    return 0 if seconds[-1] < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
