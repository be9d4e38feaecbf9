"""Apply throughput: gcsched vs the tutorial's flow vs the official SDK.

Each flow writes the same N campaign schedules to a fresh `gcsched sandbox serve
--rate-limit R` (fresh org, fresh rate window) and is measured from outside:
wall time, and requests / 429s from `GET /sandbox/stats`.

* gcsched: `gcsched apply FILE --yes` as a subprocess (wall time includes the
  interpreter start, planning and the journal).
* tutorial: the original tutorial's flow on real endpoints, plain httpx,
  sequential: per schedule list all schedules, read the campaign and its contact
  list size, PUT; up to three retries on 429 after `Retry-After`.
* sdk: `PureCloudPlatformClientV2` writing the same schedules one by one
  (`put_outbound_schedules_campaign`; its urllib3 retries honour Retry-After).

The nominal ceiling of a flow is requests / (R / 60) seconds: the time its
requests take at exactly the per-token limit. The minimum for gcsched is the
reads of one plan (measured: a `gcsched plan` afterwards) plus one write per
schedule.

    .venv/bin/python bench/apply_throughput.py [--schedules 500] [--rate-limit 600]
        [--tutorial-schedules 100] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
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

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, entity_id

GCSCHED = "from gcsched.cli.app import main; main()"
SCHEDULES = "/api/v2/outbound/schedules/campaigns"
READ_ONLY = ("id", "version", "dateCreated", "dateModified", "selfUri")


@dataclass(frozen=True)
class Result:
    """One flow's figures."""

    flow: str
    schedules: int
    seconds: float
    requests: int
    rate_limited: int
    minimum: int | None = None
    note: str = ""


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


def _argv(*args: str) -> list[str]:
    return [sys.executable, "-c", GCSCHED, *args]


@contextmanager
def served(seed: Path, rate_limit: int) -> Iterator[str]:
    """A fresh `gcsched sandbox serve` on a free port; yields its URL."""
    proc = subprocess.Popen(
        _argv(
            "sandbox",
            "serve",
            "--port",
            "0",
            "--seed",
            str(seed),
            "--rate-limit",
            str(rate_limit),
        ),
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


def run_gcsched(
    seed: Path, file: Path, rate_limit: int, concurrency: int, count: int
) -> tuple[Result, list[dict[str, Any]]]:
    """gcsched apply, then one plan for the minimum; returns the written bodies."""
    with served(seed, rate_limit) as url, tempfile.TemporaryDirectory() as state:
        common = ("--api-url", url, "--state-dir", state)
        began = time.monotonic()
        done = subprocess.run(
            _argv("apply", str(file), "--yes", "--concurrency", str(concurrency))
            + list(common),
            capture_output=True,
            text=True,
            env=_cli_env(),
            check=False,
        )
        seconds = time.monotonic() - began
        if done.returncode != 0:
            raise RuntimeError(f"gcsched apply failed: {done.stderr[-2000:]}")
        after_apply = stats(url)
        subprocess.run(
            _argv("plan", str(file), "--detailed-exitcode", *common),
            capture_output=True,
            env=_cli_env(),
            check=True,
        )
        plan_reads = stats(url)["requests_total"] - after_apply["requests_total"]
        bodies = list(_token_client(url).get(SCHEDULES).json())
    result = Result(
        "gcsched",
        count,
        seconds,
        after_apply["requests_total"],
        after_apply["rate_limited"],
        minimum=plan_reads + count,
        note=f"concurrency {concurrency}; minimum = one plan's reads + {count} PUTs",
    )
    return result, bodies


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


def run_tutorial(seed: Path, bodies: list[dict[str, Any]], rate_limit: int) -> Result:
    """The tutorial's flow: per schedule list, read campaign + list size, PUT."""

    def send(http: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
        for attempt in range(4):  # the first try and three retries on 429
            response = http.request(method, path, **kw)
            if response.status_code != 429 or attempt == 3:
                response.raise_for_status()
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")))
        raise AssertionError("unreachable")

    with served(seed, rate_limit) as url:
        began = time.monotonic()
        with _token_client(url) as http:
            for body in bodies:
                campaign_id = body["campaign"]["id"]
                send(http, "GET", SCHEDULES)
                campaign = send(
                    http, "GET", f"/api/v2/outbound/campaigns/{campaign_id}"
                )
                list_id = campaign.json()["contactList"]["id"]
                send(
                    http,
                    "GET",
                    f"/api/v2/outbound/contactlists/{list_id}",
                    params={"includeSize": "true"},
                )
                send(http, "PUT", f"{SCHEDULES}/{campaign_id}", json=_writable(body))
        seconds = time.monotonic() - began
        figures = stats(url)
    return Result(
        "tutorial",
        len(bodies),
        seconds,
        figures["requests_total"],
        figures["rate_limited"],
        minimum=1 + 4 * len(bodies),
        note="sequential, 4 requests per schedule, 3 retries on 429",
    )


def run_sdk(seed: Path, bodies: list[dict[str, Any]], rate_limit: int) -> Result:
    """The official SDK writing the schedules one by one."""
    import PureCloudPlatformClientV2 as sdk  # noqa: N813

    with served(seed, rate_limit) as url:
        began = time.monotonic()
        api = sdk.ApiClient(host=url).get_client_credentials_token(
            DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
        )
        outbound = sdk.OutboundApi(api)
        for body in bodies:
            outbound.put_outbound_schedules_campaign(
                body["campaign"]["id"], _writable(body)
            )
        seconds = time.monotonic() - began
        figures = stats(url)
    return Result(
        "sdk",
        len(bodies),
        seconds,
        figures["requests_total"],
        figures["rate_limited"],
        minimum=1 + len(bodies),
        note="sequential; urllib3 retries 429 after Retry-After",
    )


def table(results: list[Result], rate_limit: int) -> str:
    """The results as a Markdown table."""
    per_second = rate_limit / 60.0
    rows = [
        "| flow | schedules | wall s | requests | minimum | sent/min | 429s | "
        "429 % | ceiling s | % of ceiling |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ceiling = r.requests / per_second
        ratio = f"{r.requests / r.minimum:.3f}" if r.minimum else "-"
        rows.append(
            f"| {r.flow} | {r.schedules} | {r.seconds:.1f} | {r.requests} | "
            f"{r.minimum or '-'} | {ratio} | {r.rate_limited} | "
            f"{100 * r.rate_limited / max(1, r.requests):.2f} | {ceiling:.1f} | "
            f"{100 * ceiling / r.seconds:.0f} % |"
        )
    return "\n".join(rows)


def main() -> None:
    """Run the three flows and print the machine, the command and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=500)
    parser.add_argument("--rate-limit", type=int, default=600)
    parser.add_argument("--tutorial-schedules", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--skip", action="append", default=[], help="flow to skip")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}"
        f", {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    with tempfile.TemporaryDirectory() as folder:
        seed, file = write_inputs(Path(folder), args.schedules)
        results: list[Result] = []
        gc_result, bodies = run_gcsched(
            seed, file, args.rate_limit, args.concurrency, args.schedules
        )
        results.append(gc_result)
        by_id = {entity_id("campaign", _name(n)): n for n in range(1, 1 + len(bodies))}
        bodies.sort(key=lambda b: by_id.get(b["campaign"]["id"], 0))
        if "tutorial" not in args.skip:
            results.append(
                run_tutorial(seed, bodies[: args.tutorial_schedules], args.rate_limit)
            )
        if "sdk" not in args.skip:
            results.append(run_sdk(seed, bodies, args.rate_limit))
    print(f"rate limit: {args.rate_limit}/min per token (fixed 60 s window)")
    print(table(results, args.rate_limit))
    for r in results:
        print(f"- {r.flow}: {r.note}")


if __name__ == "__main__":
    main()
