"""Shared helpers of the integration tests: seeds, generated files, a served sandbox.

The in-process helpers build a real `GenesysClient` over `httpx.ASGITransport`
with a no-wait sleep, so Retry-After and backoff cost no wall time. The served
helpers start `gcsched sandbox serve` (and `gcsched apply`/`plan`) as real
processes, for dropped sockets and SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from gcsched.api import Connection
from gcsched.api.state import StatePaths
from gcsched.client import Credentials, GenesysClient
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, entity_id

EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"
TODAY = date(2026, 11, 27)
URL = "http://sandbox.test"
GCSCHED = "from gcsched.cli.app import main; main()"
SCHEDULES_PATH = "/api/v2/outbound/schedules/campaigns"


async def no_sleep(seconds: float) -> None:
    """The client's sleep in tests: yield to the loop, never wait."""
    del seconds
    await asyncio.sleep(0)


def client_for(app: Any, *, rate_limit: int | None = 6000) -> GenesysClient:
    """A real client on the in-process sandbox `app`, without real waits.

    `rate_limit=None` reads the limits API first, as the CLI does.
    """
    return GenesysClient(
        URL,
        Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        transport=httpx.ASGITransport(app=app),
        rate_limit=rate_limit,
        sleep=no_sleep,
    )


def connection_for(
    client: GenesysClient, state_dir: Path, environ: dict[str, str] | None = None
) -> Connection:
    """A library `Connection` over `client` with its state under `state_dir`."""
    return Connection(
        client,
        state=StatePaths.at(state_dir),
        environ=environ or {},
        actor=DEFAULT_CLIENT_ID,
        today=lambda: TODAY,
    )


# ---------------------------------------------------------------- generated orgs


def campaign_name(n: int) -> str:
    """The name of generated campaign `n` (1-based)."""
    return f"Gen {n:04d}"


def client_id(k: int) -> str:
    """The id of extra seeded OAuth client `k` (its secret is `secret-<k>`)."""
    return f"client-{k}"


def seed(campaigns: int, *, clients: int = 0) -> dict[str, Any]:
    """A seed org of `campaigns` voice campaigns, each on its own contact list.

    `clients` extra OAuth clients (`client_id(k)`, secret `secret-<k>`) let a
    test mint more than the sandbox's 20 tokens per client per minute.
    """
    return {
        "org": {"name": "Generated Org", "domain": "generated"},
        "clients": [
            {"id": client_id(k), "secret": f"secret-{k}"} for k in range(clients)
        ],
        "contactLists": [
            {"name": f"List {n:04d}", "size": 1000 + n} for n in range(1, campaigns + 1)
        ],
        "campaigns": [
            {
                "name": campaign_name(n),
                "dialingMode": "power",
                "contactList": f"List {n:04d}",
            }
            for n in range(1, campaigns + 1)
        ],
    }


def write_seed(path: Path, campaigns: int, *, clients: int = 0) -> Path:
    """Write `seed(campaigns, clients=clients)` as JSON to `path`."""
    path.write_text(json.dumps(seed(campaigns, clients=clients)))
    return path


@dataclass(frozen=True, slots=True)
class Entry:
    """One generated schedule: which campaign and its weekday window's end hour."""

    n: int
    end: str  # "HH:MM"


def schedule_yaml(
    entries: Sequence[Entry],
    *,
    start: date,
    webhook: str | None = None,
) -> str:
    """A schedule file for `entries`, runs from `start` for 60 days, no conflicts."""
    lines = [
        "version: 1",
        "policy:",
        "  audience_conflicts: warn",
        "  max_change_fraction: 1.0",
        "  manage: owned",
    ]
    if webhook is not None:
        lines += [
            "webhooks:",
            f"  - url: {webhook}",
            "    secret_env: GCSCHED_TEST_HOOK_SECRET",
        ]
    lines.append("schedules:")
    until = start + timedelta(days=60)
    for entry in entries:
        lines += [
            f"  - campaign: {campaign_name(entry.n)}",
            "    time_zone: America/Chicago",
            f'    windows: [{{days: [mon-fri], start: "09:00", end: "{entry.end}"}}]',
            f"    from: {start.isoformat()}",
            f"    until: {until.isoformat()}",
        ]
    return "\n".join(lines) + "\n"


def campaign_id(n: int) -> str:
    """The sandbox id of generated campaign `n`."""
    return entity_id("campaign", campaign_name(n))


# ---------------------------------------------------------------- processes


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a `gcsched` subprocess: sandbox credentials, no colour."""
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "200",
        "GENESYSCLOUD_OAUTHCLIENT_ID": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": DEFAULT_CLIENT_SECRET,
    }
    env.update(extra)
    return env


def gcsched_argv(*args: str) -> list[str]:
    """The command line running `gcsched ARGS` with this interpreter."""
    return [sys.executable, "-c", GCSCHED, *args]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `gcsched ARGS` to completion and return its result."""
    return subprocess.run(
        gcsched_argv(*args),
        capture_output=True,
        text=True,
        env=env or cli_env(),
        timeout=timeout,
        check=False,
    )


class Api:
    """A tiny synchronous reader of a served sandbox (the test's own eyes)."""

    def __init__(self, url: str) -> None:
        self.url = url
        token = httpx.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
            timeout=10,
        ).json()["access_token"]
        self.http = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def campaign_schedules(self) -> dict[str, dict[str, Any]]:
        """Every campaign schedule, keyed by campaign id."""
        response = self.http.get(SCHEDULES_PATH)
        response.raise_for_status()
        return {str(body["campaign"]["id"]): body for body in response.json()}

    def put_schedule(self, campaign: str, body: dict[str, Any]) -> httpx.Response:
        """PUT a campaign schedule as a colleague would."""
        return self.http.put(f"{SCHEDULES_PATH}/{campaign}", json=body)

    def stats(self) -> dict[str, Any]:
        """`GET /sandbox/stats`."""
        data: dict[str, Any] = httpx.get(f"{self.url}/sandbox/stats", timeout=10).json()
        return data
