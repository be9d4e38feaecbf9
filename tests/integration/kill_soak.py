"""The kill loop: signal `gcsched apply` at random moments over a faulty served sandbox.

One `KillSoak` owns a served sandbox (latency, 5xx, drops and 429s, seeded) and a
state directory. Each `cycle()` writes the next schedule file (creates, updates
and deletes of voice and messaging schedules, voice `max_calls_per_agent` and
messaging `messages_per_minute` changes), starts `gcsched apply --yes`, sends it
SIGKILL, SIGINT or SIGTERM at a random moment, re-runs apply until it exits 0,
and checks the invariants against what the harness expects of the org:

* the re-plan is empty (`plan --detailed-exitcode` exits 0);
* every schedule, campaign and messaging campaign version rose exactly once per
  intended change (read from the sandbox's API), and the bodies hold the values;
* the journal's confirmed steps of the cycle are exactly the intended changes;
* `audit verify` exits 0, and the audit log has one entry per confirmed step;
* one `schedule.*` outbox event per confirmed schedule step (pacing steps have
  no webhook event type), and no event twice.

Whether a kill landed mid-run is read from the journal, not from the clock: the
killed run is still `open` and at least one of its steps got past `planned`.
Used by tests/integration/test_kill_and_resume.py and bench/kill_soak.py (which
puts this directory on sys.path). Loopback only: the sandbox is on 127.0.0.1 and
the webhook endpoint is a closed loopback port.
"""

from __future__ import annotations

import json
import random
import signal
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from integration_support import cli_env, gcsched_argv, run_cli

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, entity_id
from served_sandbox import served_sandbox

VOICE = 10
MESSAGING = 3
SIGNALS: tuple[signal.Signals, ...] = (signal.SIGKILL, signal.SIGINT, signal.SIGTERM)
#: Every fault kind the soak uses; writes are slow so kills find steps in flight.
FAULTS: tuple[str, ...] = (
    "latency:ms=40,jitter=40,method=PUT",
    "latency:ms=40,jitter=40,method=DELETE",
    "latency:ms=40,jitter=40,method=PATCH",
    "5xx:rate=0.03",
    "drop:rate=0.02",
    "429:rate=0.02,retry_after=1",
)
#: The same kinds with drops on GETs only (a dropped write answer is issue 11 #3/#4).
SAFE_FAULTS: tuple[str, ...] = tuple(
    "drop:rate=0.02,method=GET" if spec.startswith("drop:") else spec for spec in FAULTS
)
#: Re-runs of apply allowed after the kill before a cycle counts as not converging.
MAX_RERUNS = 6
HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
_CAMPAIGNS = "/api/v2/outbound/campaigns"
_MESSAGING = "/api/v2/outbound/messagingcampaigns"
_SCHEDULES = "/api/v2/outbound/schedules/"


def voice_name(n: int) -> str:
    """The name of voice campaign `n` (1-based)."""
    return f"Soak Voice {n:02d}"


def messaging_name(n: int) -> str:
    """The name of SMS messaging campaign `n` (1-based)."""
    return f"Soak SMS {n:02d}"


def soak_seed() -> dict[str, Any]:
    """The org: `VOICE` power campaigns and `MESSAGING` SMS campaigns."""
    return {
        "org": {"name": "Soak Org", "domain": "soak"},
        "contactLists": [{"name": "Soak List", "size": 5000}],
        "campaigns": [
            {
                "name": voice_name(n),
                "dialingMode": "power",
                "contactList": "Soak List",
                "maxCallsPerAgent": 1,
            }
            for n in range(1, VOICE + 1)
        ],
        "messagingCampaigns": [
            {
                "name": messaging_name(n),
                "channel": "sms",
                "contactList": "Soak List",
                "messagesPerMinute": 30,
            }
            for n in range(1, MESSAGING + 1)
        ],
    }


# ---------------------------------------------------------------- the files


@dataclass(frozen=True, slots=True)
class Wanted:
    """One schedule of a file: its target, window end and optional pacing value."""

    family: str  # "campaigns" | "messagingcampaigns"
    target_id: str
    label: str
    end: str  # "HH:MM"
    pacing: int | None  # max_calls_per_agent or messages_per_minute


def variant(rng: random.Random) -> dict[str, Wanted]:
    """A random file: most targets scheduled, some with a pacing value.

    Consecutive variants differ by creates, deletes, updates and pacing changes.
    """
    out: dict[str, Wanted] = {}
    for n in sorted(rng.sample(range(1, VOICE + 1), k=rng.randint(5, VOICE - 1))):
        cid = entity_id("campaign", voice_name(n))
        pacing = rng.choice((None, 1, 2, 3))
        end = rng.choice(("16:00", "17:00", "18:00"))
        out[cid] = Wanted("campaigns", cid, voice_name(n), end, pacing)
    for n in sorted(rng.sample(range(1, MESSAGING + 1), k=rng.randint(1, MESSAGING))):
        mid = entity_id("messagingCampaign", messaging_name(n))
        pacing = rng.choice((None, 20, 30, 40))
        end = rng.choice(("19:00", "20:00"))
        out[mid] = Wanted("messagingcampaigns", mid, messaging_name(n), end, pacing)
    return out


def soak_yaml(wanted: dict[str, Wanted], *, start: date, webhook: str) -> str:
    """The schedule file of `wanted`: weekday windows from `start` for 60 days."""
    lines = [
        "version: 1",
        "policy:",
        "  audience_conflicts: warn",
        "  max_change_fraction: 1.0",
        "  manage: owned",
        "webhooks:",
        f"  - url: {webhook}",
        "    secret_env: GCSCHED_TEST_HOOK_SECRET",
        "    allow_insecure_loopback: true",
        "schedules:",
    ]
    until = start + timedelta(days=60)
    for item in wanted.values():
        key = "campaign" if item.family == "campaigns" else "messaging_campaign"
        lines += [
            f"  - {key}: {item.label}",
            "    time_zone: America/Chicago",
            f'    windows: [{{days: [mon-fri], start: "09:00", end: "{item.end}"}}]',
            f"    from: {start.isoformat()}",
            f"    until: {until.isoformat()}",
        ]
        if item.pacing is not None:
            pacing = (
                "max_calls_per_agent" if key == "campaign" else "messages_per_minute"
            )
            lines.append(f"    pacing: {{{pacing}: {item.pacing}}}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the org


@dataclass(frozen=True, slots=True)
class OrgView:
    """What the sandbox holds, with versions.

    `schedules`: (family, target id) → (version, window end); `pacing`: campaign
    or messaging campaign id → (version, maxCallsPerAgent or messagesPerMinute).
    """

    schedules: dict[tuple[str, str], tuple[int, str]]
    pacing: dict[str, tuple[int, int]]


class Observer:
    """The harness's own reader of the sandbox; it retries the injected faults."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10)
        self._token()

    def _token(self) -> None:
        body = self._retry(
            lambda: httpx.post(
                f"{self.url}/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
                timeout=10,
            )
        )
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"

    @staticmethod
    def _retry(call: Any) -> Any:
        for _ in range(50):
            try:
                response: httpx.Response = call()
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                time.sleep(0.05)
                continue
            response.raise_for_status()
            return response.json()
        msg = "the sandbox kept failing the harness's reads"
        raise RuntimeError(msg)

    def get(self, path: str) -> Any:
        """GET `path` (with `pageSize=100`), through the sandbox's faults."""
        return self._retry(lambda: self.http.get(path, params={"pageSize": 100}))

    def view(self) -> OrgView:
        """Every schedule of both families and every pacing value, with versions."""
        schedules: dict[tuple[str, str], tuple[int, str]] = {}
        voice = self.get(_SCHEDULES + "campaigns")
        for body in voice:
            key = ("campaigns", str(body["campaign"]["id"]))
            schedules[key] = (int(body["version"]), _end_of(body))
        for body in self.get(_SCHEDULES + "messagingcampaigns")["entities"]:
            key = ("messagingcampaigns", str(body["messagingCampaign"]["id"]))
            schedules[key] = (int(body["version"]), _end_of(body))
        pacing: dict[str, tuple[int, int]] = {}
        for body in self.get(_CAMPAIGNS)["entities"]:
            pacing[str(body["id"])] = (
                int(body["version"]),
                int(body["maxCallsPerAgent"]),
            )
        for body in self.get(_MESSAGING)["entities"]:
            value = int(body["messagesPerMinute"])
            pacing[str(body["id"])] = (int(body["version"]), value)
        return OrgView(schedules, pacing)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def _end_of(body: dict[str, Any]) -> str:
    (rec,) = body["recurrences"]
    return str(rec["end"])[11:16]


# ---------------------------------------------------------------- the journal


def _ro(journal: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{journal}?mode=ro", uri=True, timeout=5)


def _scalar(journal: Path, sql: str, *args: Any) -> int:
    if not journal.exists():
        return 0
    conn = _ro(journal)
    try:
        return int(conn.execute(sql, args).fetchone()[0] or 0)
    finally:
        conn.close()


def in_flight(journal: Path) -> bool:
    """Has an open run a step past `planned` (sent, or already settled)?"""
    return bool(
        _scalar(
            journal,
            "SELECT count(*) FROM steps s JOIN runs r ON r.id = s.run_id"
            " WHERE r.status = 'open' AND s.status != 'planned'",
        )
    )


def last_step_id(journal: Path) -> int:
    """The highest step id so far (0 without a journal)."""
    return _scalar(journal, "SELECT max(id) FROM steps")


def confirmed_since(journal: Path, after: int) -> Counter[tuple[str, str]]:
    """(action, target id) of every confirmed step with an id above `after`."""
    conn = _ro(journal)
    try:
        rows = conn.execute(
            "SELECT action, target_id FROM steps WHERE status = 'confirmed' AND id > ?",
            (after,),
        ).fetchall()
    finally:
        conn.close()
    return Counter((str(a), str(t)) for a, t in rows)


def journal_facts(journal: Path) -> tuple[int, list[str]]:
    """The number of confirmed steps, and what is wrong with the outbox."""
    conn = _ro(journal)
    try:
        confirmed = int(
            conn.execute(
                "SELECT count(*) FROM steps WHERE status = 'confirmed'"
            ).fetchone()[0]
        )
        rows = conn.execute(
            "SELECT s.id, s.action, (SELECT count(*) FROM outbox o"
            " WHERE o.step_id = s.id AND o.event_type LIKE 'schedule.%')"
            " FROM steps s WHERE s.status = 'confirmed'"
        ).fetchall()
        (dupes,) = conn.execute(
            "SELECT count(*) FROM (SELECT step_id, event_type, count(*) c FROM outbox"
            " WHERE step_id IS NOT NULL GROUP BY step_id, event_type HAVING c > 1)"
        ).fetchone()
    finally:
        conn.close()
    problems = [
        f"confirmed {action} step {step} has {count} schedule events"
        for step, action, count in rows
        if count != (0 if action == "pacing" else 1)
    ]
    if dupes:
        problems.append(f"{dupes} (step, event type) pairs are in the outbox twice")
    return confirmed, problems


def audit_entries(path: Path) -> int:
    """The number of entries (non-empty lines) of the audit log."""
    if not path.exists():
        return 0
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())


# ---------------------------------------------------------------- the loop


@dataclass(slots=True)
class CycleResult:
    """What one cycle did and found."""

    cycle: int
    signal: str | None  # None: the baseline, unkilled apply
    landed: bool  # the kill found a run with a step past `planned`
    missed: bool  # apply had already exited when the signal was due
    changes: int
    reruns: int
    violations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SoakTotals:
    """The sums over a soak."""

    cycles: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    landed: Counter[str] = field(default_factory=Counter)
    missed: int = 0
    changes: int = 0
    reruns: int = 0
    violations: list[str] = field(default_factory=list)

    def add(self, result: CycleResult) -> None:
        """Count `result` in."""
        self.cycles += 1
        self.changes += result.changes
        self.reruns += result.reruns
        self.violations += result.violations
        if result.signal is not None:
            self.kills[result.signal] += 1
            self.landed[result.signal] += result.landed
            self.missed += result.missed


class KillSoak:
    """A served faulty sandbox, a state directory, the expected org across cycles."""

    def __init__(
        self,
        url: str,
        folder: Path,
        *,
        seed: int,
        signals: Sequence[signal.Signals] = SIGNALS,
        after_sent_share: float = 0.5,
    ) -> None:
        self.url = url
        self.after_sent_share = after_sent_share
        self.folder = folder
        self.seed = seed
        self.rng = random.Random(seed)
        self.signals = tuple(signals)
        self.state = folder / "state"
        self.journal = self.state / "journal.sqlite"
        self.start = datetime.now(UTC).date() + timedelta(days=7)
        self.env = cli_env(GCSCHED_TEST_HOOK_SECRET=HOOK_SECRET)
        self.webhook = f"http://127.0.0.1:{_closed_port()}/hook"
        self.observer = Observer(url)
        self.expected = self.observer.view()
        self.current: dict[str, Wanted] = {}
        self.typical = 2.0  # seconds of one apply; measured by the baseline cycle
        self.cycle_no = -1
        self._signal_queue: list[signal.Signals] = []

    def close(self) -> None:
        """Close the observer."""
        self.observer.close()

    # -------------------------------------------------------- one cycle

    def cycle(self) -> CycleResult:
        """One kill (none in cycle 0: it measures a whole apply), then the checks."""
        self.cycle_no += 1
        wanted = variant(self.rng)
        intended, expected = self._intended(wanted)
        file = self.folder / f"cycle{self.cycle_no}.yaml"
        file.write_text(soak_yaml(wanted, start=self.start, webhook=self.webhook))
        after = last_step_id(self.journal)
        result = CycleResult(
            self.cycle_no, None, False, False, sum(intended.values()), 0
        )
        if self.cycle_no > 0:
            self._kill(file, result)
        began = time.monotonic()
        converged = False
        for attempt in range(MAX_RERUNS):
            done = self._cli("apply", str(file), "--yes", *self._target())
            result.reruns = attempt + 1
            if done.returncode == 0:
                converged = True
                break
        if self.cycle_no == 0:
            self.typical = max(0.5, time.monotonic() - began)
        where = f"seed {self.seed} cycle {self.cycle_no} signal {result.signal}"
        if not converged:
            tail = done.stderr.strip().splitlines()[-3:]
            result.violations.append(f"{where}: apply did not converge: {tail}")
        self._check(file, intended, expected, after, where, result.violations)
        self.current = wanted
        if result.violations:
            self.expected = self.observer.view()  # go on from what the org holds
        else:
            self.expected = expected
        return result

    def _target(self) -> tuple[str, ...]:
        return ("--api-url", self.url, "--state-dir", str(self.state))

    def _cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env=self.env, timeout=180)

    def _kill(self, file: Path, result: CycleResult) -> None:
        if not self._signal_queue:  # every signal once per block, in random order
            self._signal_queue = self.rng.sample(self.signals, k=len(self.signals))
        sig = self._signal_queue.pop()
        result.signal = sig.name
        concurrency = self.rng.choice((1, 2, 4))
        # Some kills at a moment drawn over the whole apply (startup, plan,
        # writes), the rest (`after_sent_share`, half by default) a short random
        # time after the first step left `planned`.
        after_sent = self.rng.random() < self.after_sent_share
        delay = self.rng.uniform(0, 0.3 if after_sent else 1.2 * self.typical)
        argv = gcsched_argv(
            "apply", str(file), "--yes", "--concurrency", str(concurrency)
        )
        with subprocess.Popen(
            [*argv, *self._target()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env,
        ) as proc:
            if after_sent:
                deadline = time.monotonic() + 4 * self.typical + 10
                while (
                    proc.poll() is None
                    and not in_flight(self.journal)
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.01)
            time.sleep(delay)
            if proc.poll() is not None:
                result.missed = True
                return
            proc.send_signal(sig)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                result.violations.append(
                    f"seed {self.seed} cycle {self.cycle_no}: "
                    f"apply ignored {sig.name} for 60 s"
                )
        result.landed = in_flight(self.journal)

    # -------------------------------------------------------- expectations

    def _intended(
        self, wanted: dict[str, Wanted]
    ) -> tuple[Counter[tuple[str, str]], OrgView]:
        """The changes from the current file to `wanted`, and the org they lead to."""
        intended: Counter[tuple[str, str]] = Counter()
        schedules = dict(self.expected.schedules)
        pacing = dict(self.expected.pacing)
        for tid, old in self.current.items():
            if tid not in wanted:
                intended["delete", tid] += 1
                del schedules[old.family, tid]
        for tid, item in wanted.items():
            key = (item.family, tid)
            if key not in schedules:
                intended["create", tid] += 1
                schedules[key] = (1, item.end)
            elif schedules[key][1] != item.end:
                intended["update", tid] += 1
                schedules[key] = (schedules[key][0] + 1, item.end)
            version, value = pacing[tid]
            if item.pacing is not None and item.pacing != value:
                intended["pacing", tid] += 1
                pacing[tid] = (version + 1, item.pacing)
        return intended, OrgView(schedules, pacing)

    def _check(
        self,
        file: Path,
        intended: Counter[tuple[str, str]],
        expected: OrgView,
        after: int,
        where: str,
        violations: list[str],
    ) -> None:
        plan = self._cli("plan", str(file), "--detailed-exitcode", *self._target())
        if plan.returncode != 0:
            violations.append(
                f"{where}: re-plan exit {plan.returncode}: {plan.stdout[-300:]}"
            )
        seen = self.observer.view()
        for key in sorted(set(seen.schedules) | set(expected.schedules)):
            got, want = seen.schedules.get(key), expected.schedules.get(key)
            if got != want:
                violations.append(
                    f"{where}: schedule {key}: org has {got}, expected {want}"
                )
        for tid in sorted(expected.pacing):
            got_p, want_p = seen.pacing.get(tid), expected.pacing[tid]
            if got_p != want_p:
                violations.append(
                    f"{where}: pacing of {tid}: org has (version, value) {got_p},"
                    f" expected {want_p}"
                )
        confirmed = confirmed_since(self.journal, after)
        if confirmed != intended:
            violations.append(
                f"{where}: confirmed steps {dict(confirmed - intended)} beyond, "
                f"{dict(intended - confirmed)} short of the intended changes"
            )
        verify = self._cli("audit", "verify", "--state-dir", str(self.state))
        if verify.returncode != 0:
            violations.append(
                f"{where}: audit verify exit {verify.returncode}: {verify.stderr}"
            )
        total, problems = journal_facts(self.journal)
        entries = audit_entries(self.state / "audit.jsonl")
        if entries != total:
            violations.append(
                f"{where}: {entries} audit entries, {total} confirmed steps"
            )
        violations += [f"{where}: {p}" for p in problems]


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def kill_soak(
    folder: Path,
    *,
    seed: int,
    faults: Sequence[str] = FAULTS,
    signals: Sequence[signal.Signals] = SIGNALS,
    after_sent_share: float = 0.5,
) -> Iterator[KillSoak]:
    """A `KillSoak` over a fresh served sandbox: `faults`, `--fault-seed seed`.

    `after_sent_share` of the kills wait for the first sent step (so they land
    mid-run); the others fall anywhere in the apply, start-up included.
    """
    seed_file = folder / "seed.json"
    seed_file.write_text(json.dumps(soak_seed()))
    fault_args = [arg for spec in faults for arg in ("--fault", spec)]
    with ExitStack() as stack:
        # A shell's background job starts with SIGINT ignored and children
        # inherit that, so apply would shrug SIGINT off: handle it here, and
        # the children start with the default (KeyboardInterrupt in Python).
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            stack.callback(signal.signal, signal.SIGINT, signal.SIG_IGN)
        url = stack.enter_context(
            served_sandbox(
                "--seed",
                str(seed_file),
                "--rate-limit",
                "0",
                "--token-mint-limit",
                "0",
                "--fault-seed",
                str(seed),
                *fault_args,
            )
        )
        soak = KillSoak(
            url, folder, seed=seed, signals=signals, after_sent_share=after_sent_share
        )
        stack.callback(soak.close)
        yield soak


def run_soak(
    soak: KillSoak,
    *,
    kills: int,
    landed: int = 0,
    max_cycles: int | None = None,
    seconds: float | None = None,
    progress: Callable[[CycleResult], None] | None = None,
) -> SoakTotals:
    """The baseline cycle, then kill cycles until `kills` were sent and `landed` landed.

    Bounded by `max_cycles` (default 3 × kills + 5) and `seconds` of wall time.
    """
    cap = max_cycles if max_cycles is not None else 3 * kills + 5
    ends = time.monotonic() + seconds if seconds is not None else None
    totals = SoakTotals()
    while totals.cycles == 0 or (
        totals.cycles <= cap
        and (sum(totals.kills.values()) < kills or sum(totals.landed.values()) < landed)
        and (ends is None or time.monotonic() < ends)
    ):
        result = soak.cycle()
        totals.add(result)
        if progress is not None:
            progress(result)
    return totals
