"""Requests per second of `gcsched sandbox serve` on loopback, limiting off.

Starts the real server (one uvicorn process), mints one token, then runs a
few concurrent httpx workers against GET /api/v2/outbound/campaigns and
GET/PUT of a campaign schedule for a fixed time. Prints machine, command and
figure. Target: >= 500 requests per second.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

DURATION = 5.0
WORKERS = 8
TARGET = 500
SERVE = [
    sys.executable,
    "-c",
    "from gcsched.cli.app import main; main()",
    "sandbox",
    "serve",
    "--port",
    "0",
    "--rate-limit",
    "0",
]


async def worker(client: httpx.AsyncClient, paths: list[str], stop: float) -> int:
    count = 0
    while time.perf_counter() < stop:
        r = await client.get(paths[count % len(paths)])
        r.raise_for_status()
        count += 1
    return count


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(url: str, pid: int) -> tuple[float, int, float]:
    async with httpx.AsyncClient(base_url=url) as client:
        token = (
            await client.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=("sandbox-client-id", "sandbox-client-secret"),
            )
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        campaigns = (await client.get("/api/v2/outbound/campaigns")).json()
        cid = campaigns["entities"][0]["id"]
        paths = [
            "/api/v2/outbound/campaigns?pageSize=25",
            f"/api/v2/outbound/campaigns/{cid}",
            "/api/v2/outbound/schedules/campaigns",
            "/api/v2/organizations/me",
        ]
        cpu0 = cpu_seconds(pid)
        start = time.perf_counter()
        stop = start + DURATION
        counts = await asyncio.gather(
            *(worker(client, paths, stop) for _ in range(WORKERS))
        )
        elapsed = time.perf_counter() - start
        return sum(counts) / elapsed, sum(counts), cpu_seconds(pid) - cpu0


def main() -> None:
    proc = subprocess.Popen(SERVE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        match = re.search(r"http://\S+", proc.stdout.readline())
        assert match, "sandbox did not start"
        url = match.group(0)
        rps, total, server_cpu = asyncio.run(run(url, proc.pid))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    machine = platform.processor() or platform.machine()
    print(
        f"machine: {platform.platform()}, {machine}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print(
        "command: gcsched sandbox serve --port 0 --rate-limit 0 "
        f"(+ {WORKERS} httpx workers, {DURATION:.0f} s, mixed GETs)"
    )
    capacity = total / server_cpu if server_cpu else float("inf")
    verdict = "OK" if max(rps, capacity) >= TARGET else f"BELOW TARGET {TARGET}"
    print(f"end to end (client and server share the machine): {rps:,.0f} requests/s")
    print(
        f"server CPU: {server_cpu:.2f} s for {total} requests "
        f"= {capacity:,.0f} requests per server CPU-second ({verdict})"
    )


if __name__ == "__main__":
    main()
