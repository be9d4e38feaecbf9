"""Requests per second of ``gcsched sandbox serve`` on loopback, limiting off.

Starts ONE server process (``gcsched sandbox serve --port P --rate-limit 0``),
mints one token with httpx, then loads the server from SEPARATE client
processes so the client is not the bottleneck: ``wrk`` (C, keep-alive; Debian
package ``wrk``) with a generated Lua script, or, without wrk, a few Python
processes on raw keep-alive sockets. Scenarios: each endpoint alone, then the
mix of all four:

- ``GET /api/v2/organizations/me``
- ``GET /api/v2/outbound/schedules/campaigns``
- ``GET /api/v2/outbound/campaigns?pageSize=100``
- ``PUT /api/v2/outbound/schedules/campaigns/{id}``, version-correct: each
  campaign's current version is read before a run, and the client carries
  the version of each answer into the next PUT of that campaign.

Requests and statuses are counted by the server (``GET /sandbox/stats``), so
a failed request cannot pass for a fast one. Prints the machine, the exact
commands, requests, seconds, requests/s, the server's CPU seconds and the
ratio to the 500 requests/s target. Default run: 5 scenarios x 8 s (< 60 s).

    .venv/bin/python bench/sandbox_throughput.py [--duration 8] [--client wrk]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx

TARGET = 500
GCSCHED = Path(sys.executable).with_name("gcsched")
SERVE = [str(GCSCHED), "sandbox", "serve", "--port", "0", "--rate-limit", "0"]
ORG = "/api/v2/organizations/me"
SCHEDULES = "/api/v2/outbound/schedules/campaigns"
CAMPAIGNS = "/api/v2/outbound/campaigns?pageSize=100"
SCENARIOS: dict[str, tuple[str, ...]] = {
    "GET organizations/me": ("org",),
    "GET schedules/campaigns": ("schedules",),
    "GET campaigns?pageSize=100": ("campaigns",),
    "PUT schedules/campaigns/{id}": ("put",),
    "mix of the four (1:1:1:1)": ("org", "schedules", "campaigns", "put"),
}
PUT_BODY = (
    '{"intervals":[{"start":"2026-12-01T09:00:00","end":"2026-12-01T12:00:00"}],'
    '"timeZone":"Europe/Paris","campaign":{"id":"%s"}%s}'
)
LUA = r"""
local token, mix, nthreads = %(token)s, {%(mix)s}, %(threads)d
local ids, versions = {%(ids)s}, {%(versions)s}
local fixed = {org = "%(org)s", schedules = "%(schedules)s",
               campaigns = "%(campaigns)s"}
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  reqs, mine, busy, i, p = {}, {}, {}, 0, 0
  for k, v in pairs(fixed) do reqs[k] = wrk.format("GET", v) end
  for k, id in ipairs(ids) do
    if (k - 1) %% nthreads == tid then table.insert(mine, id) end
  end
end
local function put()
  for _ = 1, #mine do
    p = p %% #mine + 1
    local id = mine[p]
    if not busy[id] then
      busy[id] = true
      local v = versions[id] and (',"version":' .. versions[id]) or ""
      local body = string.format('%(put_body)s', id, v)
      return wrk.format("PUT", "%(schedules)s/" .. id,
                        {["Content-Type"] = "application/json",
                         ["Authorization"] = "Bearer " .. token}, body)
    end
  end
  return reqs.org
end
function request()
  i = i + 1
  local kind = mix[(i - 1) %% #mix + 1]
  if kind == "put" then return put() end
  return reqs[kind]
end
%(response)s(status, headers, body)
  if status == 200 and string.sub(body, 1, 7) == '{"id":"' then
    local id = string.match(body, '^{"id":"([^"]+)","dateCreated"')
    if id and busy[id] then
      versions[id] = tonumber(string.match(body, '"version":(%%d+)'))
      busy[id] = nil
    end
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%%d,"us":%%d,"errors":%%d,' ..
    '"p50_ms":%%.2f,"p99_ms":%%.2f}\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def lua_list(items: list[str]) -> str:
    return ",".join(f'"{x}"' for x in items)


def run_wrk(
    url: str,
    token: str,
    mix: tuple[str, ...],
    versions: dict[str, int | None],
    args: argparse.Namespace,
) -> tuple[dict[str, Any], str]:
    """Run wrk once; return its summary and the command line."""
    script = LUA % {
        "token": f'"{token}"',
        "mix": lua_list(list(mix)),
        "threads": args.threads,
        "ids": lua_list(list(versions)),
        "versions": ",".join(f'["{k}"]={v}' for k, v in versions.items() if v),
        "org": ORG,
        "schedules": SCHEDULES,
        "campaigns": CAMPAIGNS,
        "put_body": PUT_BODY,
        # wrk hands bodies to Lua only when `response` exists: GET-only runs
        # must not pay for it on the client side.
        "response": "function response" if "put" in mix else "local function _",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "-s",
        fh.name,
        url,
    ]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(fh.name)
    match = re.search(r"WRKJSON (\{.*\})", out)
    assert match, f"wrk printed no summary:\n{out}"
    summary: dict[str, Any] = json.loads(match.group(1))
    summary["seconds"] = summary.pop("us") / 1e6
    cmd[-2] = "<script>"
    return summary, " ".join(cmd)


def _py_worker(
    port: int,
    token: str,
    mix: tuple[str, ...],
    versions: dict[str, int | None],
    stop: float,
) -> int:
    """One client process: sequential keep-alive requests on a raw socket."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
    fixed = {"org": ORG, "schedules": SCHEDULES, "campaigns": CAMPAIGNS}
    gets = {k: f"GET {v} HTTP/1.1\r\n{head}\r\n".encode() for k, v in fixed.items()}
    ids, count, buf = list(versions), 0, b""
    while time.perf_counter() < stop:
        kind = mix[count % len(mix)]
        cid = ids[count % len(ids)]
        if kind == "put":
            v = versions[cid]
            body = (PUT_BODY % (cid, f',"version":{v}' if v else "")).encode()
            req = (
                f"PUT {SCHEDULES}/{cid} HTTP/1.1\r\n{head}Content-Type: "
                f"application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
        else:
            req = gets[kind]
        sock.sendall(req)
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(65536)
        header, _, buf = buf.partition(b"\r\n\r\n")
        size = int(re.search(rb"(?i)content-length: *(\d+)", header).group(1))  # type: ignore[union-attr]
        while len(buf) < size:
            buf += sock.recv(65536)
        body_in, buf = buf[:size], buf[size:]
        if kind == "put" and header.startswith(b"HTTP/1.1 200"):
            versions[cid] = json.loads(body_in)["version"]
        count += 1
    sock.close()
    return count


def run_python(
    url: str,
    token: str,
    mix: tuple[str, ...],
    versions: dict[str, int | None],
    args: argparse.Namespace,
) -> tuple[dict[str, Any], str]:
    """Run `args.connections` Python client processes (one socket each)."""
    port = int(url.rsplit(":", 1)[1])
    ids = list(versions)
    parts = [
        {k: versions[k] for k in ids[n :: args.connections]}
        for n in range(args.connections)
    ]
    start = time.perf_counter()
    with get_context("fork").Pool(args.connections) as pool:
        counts = pool.starmap(
            _py_worker,
            [(port, token, mix, part, start + args.duration) for part in parts],
        )
    seconds = time.perf_counter() - start
    summary = {"requests": sum(counts), "seconds": seconds, "errors": 0}
    return summary, f"{args.connections} Python processes x 1 keep-alive socket"


def stats_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    """Requests the server counted between two /sandbox/stats answers."""
    out: dict[str, int] = {}
    for route, by_status in after["requests"].items():
        for status, n in by_status.items():
            d = n - before["requests"].get(route, {}).get(status, 0)
            if d:
                out[f"{route} {status}"] = d
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
    )
    args = parser.parse_args()
    if args.client == "python":
        args.connections = min(args.connections, 4)
    proc = subprocess.Popen(SERVE, stdout=subprocess.PIPE, text=True)
    rows = []
    try:
        assert proc.stdout is not None
        match = re.search(r"http://\S+", proc.stdout.readline())
        assert match, "sandbox did not start"
        url = match.group(0)
        http = httpx.Client(base_url=url)
        token = http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client-id", "sandbox-client-secret"),
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        ids = [c["id"] for c in http.get(CAMPAIGNS, headers=auth).json()["entities"]]
        run = run_wrk if args.client == "wrk" else run_python
        for name, mix in SCENARIOS.items():
            current = {
                s["id"]: s["version"] for s in http.get(SCHEDULES, headers=auth).json()
            }
            versions = {cid: current.get(cid) for cid in ids}
            stats0, cpu0 = http.get("/sandbox/stats").json(), cpu_seconds(proc.pid)
            summary, command = run(url, token, mix, versions, args)
            cpu = cpu_seconds(proc.pid) - cpu0
            counted = stats_diff(stats0, http.get("/sandbox/stats").json())
            rows.append((name, summary, cpu, counted))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"server: {' '.join(['gcsched', *SERVE[1:]])} (one process)")
    print(f"client: {command}")
    print(
        f"{'scenario':30} {'requests':>8} {'s':>5} {'req/s':>7} {'x500':>5} "
        f"{'srv CPU s':>9} {'req/CPU-s':>9} {'p99 ms':>6} non-200"
    )
    for name, s, cpu, counted in rows:
        served = sum(counted.values())
        bad = {k: v for k, v in counted.items() if not k.endswith(" 200")}
        rps = served / s["seconds"]
        p99 = f"{s['p99_ms']:.1f}" if "p99_ms" in s else "-"
        errors = f" client errors: {s['errors']}" if s["errors"] else ""
        print(
            f"{name:30} {served:8d} {s['seconds']:5.1f} {rps:7,.0f} "
            f"{rps / TARGET:5.1f} {cpu:9.2f} {served / max(cpu, 1e-9):9,.0f} "
            f"{p99:>6} {bad or 0}{errors}"
        )
    worst = min(sum(c.values()) / s["seconds"] for _, s, _, c in rows)
    print(
        f"slowest scenario: {worst:,.0f} requests/s = {worst / TARGET:.1f} x the "
        f"{TARGET} requests/s target ({'OK' if worst >= TARGET else 'BELOW TARGET'})"
    )


if __name__ == "__main__":
    main()
