"""Apply throughput as a user sees it: gcsched vs the SDK's plain loop vs the tutorial.

Each flow writes the same N new campaign schedules to a fresh
`gcsched sandbox serve --rate-limit 300 --fault latency:ms=80` (fresh org, fresh
rate window; a real org is 50-150 ms away) and is timed from outside as a whole
process: the interpreter start and imports included. Requests and 429s come
from the server's `GET /sandbox/stats`.

* gcsched: `gcsched apply FILE --yes` (default concurrency). gcsched's modules
  are byte-compiled first, as an installed package's are (`--no-compile`
  measures the editable install under PYTHONDONTWRITEBYTECODE=1, which
  compiles every module at every start; `plan_scale.compile_gcsched`).
* sdk: a process that imports `PureCloudPlatformClientV2` and PUTs the schedules
  one by one (`put_outbound_schedules_campaign`; urllib3 honours Retry-After).
* tutorial: the original tutorial's flow in a process: per schedule list the
  schedules, read the campaign and its contact list, PUT; sequential, up to
  three retries on 429 after Retry-After. Four requests per schedule, so it
  runs only for sizes up to --tutorial-max.

The floor of a size, with c the default concurrency, R the latency, S the wall
time of `gcsched --version` measured in the same run, k gcsched's reads before
its first write (its GET requests, taken as serial) and n = 1 + k + writes its
requests: S + (1 + k + ceil(writes / c)) x R, plus 60 s for each further
budget (0.95 x limit) that n needs. Beside each wall time: the process's CPU
time (user + system, from `os.wait4`), which hardly moves when other work
loads the machine. `--repeat N` runs the gcsched flow N times per size, each on
a fresh sandbox, and shows the run of median wall time.

    .venv/bin/python bench/apply_throughput.py [--sizes 10,40,100,350,1000]
        [--rate-limit 300] [--latency-ms 80] [--tutorial-max 100] [--skip FLOW]
        [--no-compile] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from gcsched.client.pacing import BUDGET_SHARE, DEFAULT_CONCURRENCY
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, entity_id

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_scale import compile_gcsched

GCSCHED = str(Path(sys.executable).with_name("gcsched"))
SCHEDULES = "/api/v2/outbound/schedules/campaigns"
READ_ONLY = ("id", "version", "dateCreated", "dateModified", "selfUri")


@dataclass(frozen=True)
class Result:
    """One flow's figures at one size."""

    flow: str
    schedules: int
    seconds: float
    cpu: float
    requests: int
    rate_limited: int


def _name(n: int) -> str:
    return f"Bench {n:04d}"


def write_inputs(folder: Path, count: int) -> tuple[Path, Path]:
    """A seed with `count` campaigns (own contact lists) and a file scheduling all."""
    seed = {
        "org": {"name": "Bench Org", "domain": "bench"},
        "contactLists": [
            {"name": f"List {n:04d}", "size": 1000 + n} for n in range(1, count + 1)
        ],
        "campaigns": [
            {"name": _name(n), "dialingMode": "power", "contactList": f"List {n:04d}"}
            for n in range(1, count + 1)
        ],
    }
    seed_path = folder / "seed.json"
    seed_path.write_text(json.dumps(seed))
    start = datetime.now(UTC).date() + timedelta(days=7)
    until = start + timedelta(days=60)
    lines = [
        "version: 1",
        "policy: {audience_conflicts: warn, max_change_fraction: 1.0}",
        "schedules:",
    ]
    for n in range(1, count + 1):
        end = ("16:00", "17:00", "18:00")[n % 3]
        lines += [
            f"  - campaign: {_name(n)}",
            "    time_zone: America/Chicago",
            f'    windows: [{{days: [mon-fri], start: "09:00", end: "{end}"}}]',
            f"    from: {start.isoformat()}",
            f"    until: {until.isoformat()}",
        ]
    file_path = folder / "bench.yaml"
    file_path.write_text("\n".join(lines) + "\n")
    return seed_path, file_path


@contextmanager
def served(seed: Path, rate_limit: int, latency_ms: int) -> Iterator[str]:
    """A fresh `gcsched sandbox serve` on a free port; yields its URL."""
    argv = [GCSCHED, "sandbox", "serve", "--port", "0", "--seed", str(seed)]
    argv += ["--rate-limit", str(rate_limit)]
    if latency_ms > 0:
        argv += ["--fault", f"latency:ms={latency_ms}"]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        match = re.search(r"http://\S+", proc.stdout.readline())
        if match is None:
            raise RuntimeError("the sandbox did not start")
        url = match.group(0)
        for _ in range(300):
            try:
                httpx.get(f"{url}/sandbox/stats", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def stats(url: str) -> dict[str, Any]:
    """`GET /sandbox/stats`."""
    data: dict[str, Any] = httpx.get(f"{url}/sandbox/stats", timeout=10).json()
    return data


def _cli_env() -> dict[str, str]:
    return {
        **os.environ,
        "GENESYSCLOUD_OAUTHCLIENT_ID": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": DEFAULT_CLIENT_SECRET,
        "NO_COLOR": "1",
    }


def _timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run `argv` to its end: its wall and CPU seconds (user + system)."""
    with tempfile.TemporaryFile() as err:
        began = time.monotonic()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - began
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            text = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{argv[:3]} failed: {text}")
    return seconds, usage.ru_utime + usage.ru_stime


def version_seconds(repeat: int = 3) -> float:
    """S: the median wall time of `gcsched --version`."""
    return statistics.median(_timed([GCSCHED, "--version"])[0] for _ in range(repeat))


def run_gcsched(
    seed: Path, file: Path, count: int, args: argparse.Namespace
) -> tuple[Result, int, list[dict[str, Any]]]:
    """gcsched apply; returns its result, its reads (k) and the written bodies."""
    with (
        served(seed, args.rate_limit, args.latency_ms) as url,
        tempfile.TemporaryDirectory() as state,
    ):
        argv = [GCSCHED, "apply", str(file), "--yes", "--api-url", url]
        seconds, cpu = _timed([*argv, "--state-dir", state], env=_cli_env())
        figures = stats(url)
        with _token_client(url) as http:
            bodies = list(http.get(SCHEDULES).json())
    reads = sum(
        n
        for route, by_status in figures["requests"].items()
        if route.startswith("GET /api/")
        for n in by_status.values()
    )
    result = Result(
        "gcsched",
        count,
        seconds,
        cpu,
        figures["requests_total"],
        figures["rate_limited"],
    )
    return result, reads, bodies


def _token_client(url: str) -> httpx.Client:
    token = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        timeout=10,
    ).json()["access_token"]
    return httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


def run_flow(
    flow: str, seed: Path, bodies_file: Path, count: int, args: argparse.Namespace
) -> Result:
    """The SDK loop or the tutorial flow, as a process of its own."""
    with served(seed, args.rate_limit, args.latency_ms) as url:
        argv = [sys.executable, __file__, "--run-flow", flow, "--url", url]
        seconds, cpu = _timed([*argv, "--bodies", str(bodies_file)])
        figures = stats(url)
    return Result(
        flow, count, seconds, cpu, figures["requests_total"], figures["rate_limited"]
    )


def tutorial_process(url: str, bodies: list[dict[str, Any]]) -> None:
    """The tutorial's flow: per schedule list, read campaign + list size, PUT."""

    def send(http: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
        for attempt in range(4):  # the first try and three retries on 429
            response = http.request(method, path, **kw)
            if response.status_code != 429 or attempt == 3:
                response.raise_for_status()
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")))
        raise AssertionError("unreachable")

    with _token_client(url) as http:
        for body in bodies:
            campaign_id = body["campaign"]["id"]
            send(http, "GET", SCHEDULES)
            campaign = send(http, "GET", f"/api/v2/outbound/campaigns/{campaign_id}")
            list_id = campaign.json()["contactList"]["id"]
            send(
                http,
                "GET",
                f"/api/v2/outbound/contactlists/{list_id}",
                params={"includeSize": "true"},
            )
            send(http, "PUT", f"{SCHEDULES}/{campaign_id}", json=_writable(body))


def sdk_process(url: str, bodies: list[dict[str, Any]]) -> None:
    """The official SDK writing the schedules one by one."""
    import PureCloudPlatformClientV2 as sdk  # noqa: N813

    api = sdk.ApiClient(host=url).get_client_credentials_token(
        DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
    )
    outbound = sdk.OutboundApi(api)
    for body in bodies:
        outbound.put_outbound_schedules_campaign(
            body["campaign"]["id"], _writable(body)
        )


def floor_seconds(
    start: float, reads: int, writes: int, args: argparse.Namespace
) -> float:
    """S + (1 + k + ceil(writes / c)) x R, plus 60 s per further budget."""
    latency = args.latency_ms / 1000.0
    budget = math.floor(args.rate_limit * BUDGET_SHARE)
    requests = 1 + reads + writes
    further = max(0, math.ceil(requests / budget) - 1) if budget else 0
    serial = 1 + reads + math.ceil(writes / DEFAULT_CONCURRENCY)
    return start + serial * latency + 60.0 * further


def table(rows: list[tuple[Result, float]]) -> str:
    """The results as a Markdown table."""
    out = [
        "| schedules | flow | wall s | CPU s | requests | 429s | floor s "
        "| wall / floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r, floor in rows:
        out.append(
            f"| {r.schedules} | {r.flow} | {r.seconds:.1f} | {r.cpu:.1f} | "
            f"{r.requests} | {r.rate_limited} | {floor:.1f} | "
            f"{r.seconds / floor:.2f} |"
        )
    return "\n".join(out)


def main() -> None:
    """Run the flows per size and print the machine, the command and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,40,100,350,1000")
    parser.add_argument("--rate-limit", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=80)
    parser.add_argument("--tutorial-max", type=int, default=100)
    parser.add_argument("--skip", action="append", default=[], help="flow to skip")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="gcsched runs per size (median shown)"
    )
    parser.add_argument("--run-flow", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--bodies", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_flow:
        bodies = json.loads(Path(args.bodies).read_text())
        flow = sdk_process if args.run_flow == "sdk" else tutorial_process
        flow(args.url, bodies)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    if not args.no_compile:
        compile_gcsched()
    print(f"load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
    start = version_seconds()
    print(
        f"S (gcsched --version, median of 3): {start:.2f} s; "
        f"c = {DEFAULT_CONCURRENCY}; R = {args.latency_ms} ms; "
        f"limit {args.rate_limit}/min (fixed window), budget "
        f"{math.floor(args.rate_limit * BUDGET_SHARE)}",
        flush=True,
    )
    rows: list[tuple[Result, float]] = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            seed, file = write_inputs(Path(folder), count)
            runs = sorted(
                (run_gcsched(seed, file, count, args) for _ in range(args.repeat)),
                key=lambda run: run[0].seconds,
            )
            gc_result, reads, bodies = runs[len(runs) // 2]  # the median run
            floor = floor_seconds(start, reads, count, args)
            rows.append((gc_result, floor))
            print(
                f"  {count}: gcsched {gc_result.seconds:.1f} s, k = {reads}", flush=True
            )
            by_id = {entity_id("campaign", _name(n)): n for n in range(1, count + 1)}
            bodies.sort(key=lambda b: by_id.get(b["campaign"]["id"], 0))
            bodies_file = Path(folder) / "bodies.json"
            bodies_file.write_text(json.dumps(bodies))
            for flow in ("sdk", "tutorial"):
                if flow in args.skip or (
                    flow == "tutorial" and count > args.tutorial_max
                ):
                    continue
                result = run_flow(flow, seed, bodies_file, count, args)
                rows.append((result, floor))
                print(f"  {count}: {flow} {result.seconds:.1f} s", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(table(rows))


if __name__ == "__main__":
    main()
