"""Benchmark: how close the client's pacing gets to the API ceiling.

Starts ``gcsched sandbox serve --rate-limit LIMIT`` on a free port, then drives
N schedule writes (PUT chains, one per campaign, version carried forward) and
N reads through `GenesysClient`, and reports wall time against the nominal
ceiling (requests / (limit per second)), the 429s and the requests the server
counted (``/sandbox/stats``).

    .venv/bin/python bench/client_pacing.py --limit 600 --writes 200 --reads 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from gcsched.client import Credentials, GenesysClient
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from gcsched.telemetry import RunMetrics, hooks_installed

GCSCHED = Path(sys.executable).with_name("gcsched")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, limit: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            str(GCSCHED),
            *("sandbox", "serve", "--port", str(port)),
            *("--rate-limit", str(limit)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/sandbox/stats", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the sandbox did not start")


def body(campaign_id: str, version: int | None, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f"gcsched: bench {n}",
        "campaign": {"id": campaign_id},
        "timeZone": "UTC",
        "intervals": [
            {"start": "2026-12-01T09:00:00.000", "end": "2026-12-01T17:00:00.000"}
        ],
    }
    if version is not None:
        out["version"] = version
    return out


async def run(url: str, writes: int, reads: int, concurrency: int) -> dict[str, Any]:
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    metrics = RunMetrics()
    with hooks_installed(metrics):
        return await _drive(url, creds, writes, reads, concurrency, metrics)


async def _drive(
    url: str,
    creds: Credentials,
    writes: int,
    reads: int,
    concurrency: int,
    metrics: RunMetrics,
) -> dict[str, Any]:
    async with GenesysClient(url, creds, max_concurrency=concurrency) as api:
        started = time.monotonic()
        campaigns = [c["id"] for c in await api.list_campaigns()]
        existing = {
            s.get("campaign", {}).get("id"): s.get("version")
            for s in await api.list_schedules("campaigns")
        }

        async def chain(index: int, cid: str) -> None:
            version = existing.get(cid)
            for n in range(index, writes, len(campaigns)):
                stored = await api.put_schedule("campaigns", cid, body(cid, version, n))
                version = stored["version"]

        async def reader(k: int) -> None:
            for _ in range(k):
                await api.get_schedule("campaigns", campaigns[0])

        per_reader = -(-reads // concurrency)
        await asyncio.gather(
            *(chain(i, cid) for i, cid in enumerate(campaigns)),
            *(
                reader(min(per_reader, reads - i * per_reader))
                for i in range(concurrency)
                if reads - i * per_reader > 0
            ),
        )
        wall = time.monotonic() - started
        requests = metrics.summary()["requests"]
        return {"wall": wall, "client": requests, "limit": api.rate_limit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=600)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    port = free_port()
    proc = start_server(port, args.limit)
    try:
        url = f"http://127.0.0.1:{port}"
        result = asyncio.run(run(url, args.writes, args.reads, args.concurrency))
        server = httpx.get(f"{url}/sandbox/stats").json()
    finally:
        proc.terminate()
        proc.wait(10)
    api_requests = server["requests_total"] - 1  # the stats GET itself
    nominal = api_requests / (args.limit / 60)
    report = {
        "limit_per_minute": args.limit,
        "server_requests": api_requests,
        "server_429": server["rate_limited"],
        "tokens_minted": server["tokens_minted"],
        "wall_seconds": round(result["wall"], 2),
        "nominal_seconds": round(nominal, 2),
        "share_of_ceiling": round(nominal / result["wall"], 3),
        "client_retries": result["client"]["retries"],
        "latency_p50_ms": round(result["client"]["latency_seconds"]["p50"] * 1000, 1),
        "latency_p99_ms": round(result["client"]["latency_seconds"]["p99"] * 1000, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
