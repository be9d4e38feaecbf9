"""A big org: 5,000 campaigns, 2,000 hand-made schedules; plan and apply as processes.

Issue 13's big-org case. One seed: 5,000 power campaigns spread over 250
contact lists (20 campaigns a list), and 2,000 schedules "made by hand" (not
gcsched's: no name marker, no ownership record) on campaigns 3,001-5,000, each
a month of weekday intervals, 09:00-17:00 in one of four US zones, so the
hand-made schedules of one list overlap each other (pairs the run cannot
change: counted, never computed). Two schedule files, on campaigns from 1 up,
so every list the file uses also carries hand-made schedules:

* small: 50 schedules over a quarter (weekdays, two windows);
* five-year: 1,000 schedules over five years (weekdays, two windows).

The commands run in turn against one fresh `gcsched sandbox serve` (no rate
limit unless --rate-limit: the apply measures gcsched's own work), each timed
from outside as a whole process: wall and CPU seconds and peak RSS from
`os.wait4` (`conflicts_scale.measure`). Rows: `plan` of the small file, `plan`
and `apply --yes` of the five-year file, then the journal's size (its SQLite
side files included) and a second `plan --detailed-exitcode`, whose summary
line is printed ("No changes: ..." when the apply landed everything). The last
lines say what the five-year apply's requests imply at
--budget-limit per minute (300: the real org's default).

`--memory-top N` measures instead where the memory of `plan` of the
five-year file goes: the plan runs in this process under `tracemalloc`, a
thread keeps a snapshot whenever the traced memory grows by 5 %, and the N
source lines holding the most at the largest snapshot are printed (slow:
tracemalloc costs several times the plan's own time).

    .venv/bin/python bench/big_org.py [--campaigns 5000] [--lists 250]
        [--hand-made 2000] [--small 50] [--big 1000] [--years 5]
        [--rate-limit 0] [--budget-limit 300] [--memory-top N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from apply_throughput import served, stats
from conflicts_scale import GCSCHED, Measured, measure

from gcsched.client.pacing import BUDGET_SHARE
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix")
_WINDOWS = '[{days: [mon-fri], start: "09:00", end: "12:00"}, ' + (
    '{days: [mon-fri], start: "13:00", end: "17:00"}]'
)


def _campaign(n: int) -> str:
    return f"Big {n:05d}"


def _hand_made(target: str, n: int, first: date) -> dict[str, object]:
    """A schedule made in the UI: a month of weekday intervals, no gcsched marker."""
    days = [first + timedelta(days=d) for d in range(31)]
    intervals = [
        {"start": f"{d.isoformat()}T09:00:00", "end": f"{d.isoformat()}T17:00:00"}
        for d in days
        if d.weekday() < 5
    ]
    return {
        "family": "campaigns",
        "target": target,
        "name": f"set by hand {n}",
        "timeZone": _ZONES[n % len(_ZONES)],
        "version": 1 + n % 4,
        "intervals": intervals,
    }


def write_seed(folder: Path, args: argparse.Namespace, first: date) -> Path:
    """The org: campaigns over `args.lists` lists, hand-made schedules on the last."""
    lists = [
        {"name": f"List {n:04d}", "size": 2_000 + 37 * n}
        for n in range(1, args.lists + 1)
    ]
    campaigns = [
        {
            "name": _campaign(n),
            "dialingMode": "power",
            "contactList": f"List {1 + n % args.lists:04d}",
        }
        for n in range(1, args.campaigns + 1)
    ]
    hand = range(args.campaigns - args.hand_made + 1, args.campaigns + 1)
    seed = {
        "org": {"name": "Big Org", "domain": "big"},
        "contactLists": lists,
        "campaigns": campaigns,
        "schedules": [_hand_made(_campaign(n), n, first) for n in hand],
    }
    path = folder / "seed.json"
    path.write_text(json.dumps(seed))
    return path


def write_file(folder: Path, name: str, count: int, until: date, first: date) -> Path:
    """`count` schedules on campaigns 1..count, weekdays, two windows each."""
    lines = [
        "version: 1",
        "policy: {audience_conflicts: warn, max_change_fraction: 1.0}",
        "schedules:",
    ]
    for n in range(1, count + 1):
        lines += [
            f"  - campaign: {_campaign(n)}",
            f"    time_zone: {_ZONES[n % len(_ZONES)]}",
            f"    priority: {1 + n % 10}",
            f"    windows: {_WINDOWS}",
            f"    from: {first.isoformat()}",
            f"    until: {until.isoformat()}",
        ]
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass(frozen=True)
class Figures:
    """The measured processes and sizes of one run of the bench."""

    small_plan: Measured
    big_plan: Measured
    big_apply: Measured
    replan: Measured
    journal_mib: float
    apply_requests: int
    apply_429s: int


def _journal_mib(state: Path) -> float:
    size = sum(
        p.stat().st_size for p in state.iterdir() if p.name.startswith("journal.sqlite")
    )
    return size / 2**20


def run(args: argparse.Namespace) -> Figures:
    """Seed, then plan the small file, plan and apply the big one, re-plan it."""
    first = datetime.now(UTC).date() + timedelta(days=7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed = write_seed(folder, args, first)
        small = write_file(
            folder, "small.yaml", args.small, first + timedelta(weeks=13), first
        )
        until = first.replace(year=first.year + args.years)
        big = write_file(folder, "big.yaml", args.big, until, first)
        state = folder / "state"
        with served(seed, args.rate_limit, 0) as url:
            common = ["--api-url", url, "--state-dir", str(state)]
            small_plan = measure([GCSCHED, "plan", str(small), *common])
            _say("small plan", small_plan)
            big_plan = measure([GCSCHED, "plan", str(big), *common])
            _say("five-year plan", big_plan)
            before = stats(url)["requests_total"]
            big_apply = measure([GCSCHED, "apply", str(big), "--yes", *common])
            _say("five-year apply", big_apply)
            figures = stats(url)
            replan = measure(
                [GCSCHED, "plan", str(big), "--detailed-exitcode", *common]
            )
            _say("re-plan", replan)
        return Figures(
            small_plan,
            big_plan,
            big_apply,
            replan,
            _journal_mib(state),
            figures["requests_total"] - before,
            figures["rate_limited"],
        )


def memory_top(args: argparse.Namespace, top: int) -> str:
    """The `top` source lines holding the most memory at the plan's peak."""
    from gcsched.cli.app import main as gcsched_main  # only this mode runs it here

    first = datetime.now(UTC).date() + timedelta(days=7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed = write_seed(folder, args, first)
        until = first.replace(year=first.year + args.years)
        big = write_file(folder, "big.yaml", args.big, until, first)
        os.environ["GENESYSCLOUD_OAUTHCLIENT_ID"] = DEFAULT_CLIENT_ID
        os.environ["GENESYSCLOUD_OAUTHCLIENT_SECRET"] = DEFAULT_CLIENT_SECRET
        os.environ["NO_COLOR"] = "1"
        kept: list[tracemalloc.Snapshot] = []
        done = threading.Event()

        def sample() -> None:
            largest = 0
            while not done.wait(0.3):
                now = tracemalloc.get_traced_memory()[0]
                if now > largest * 1.05:
                    largest = now
                    kept[:] = [tracemalloc.take_snapshot()]

        with served(seed, args.rate_limit, 0) as url:
            sys.argv = ["gcsched", "plan", str(big), "--api-url", url]
            sys.argv += ["--state-dir", str(folder / "state")]
            out = sys.stdout
            tracemalloc.start()
            watcher = threading.Thread(target=sample, daemon=True)
            watcher.start()
            try:
                with open(os.devnull, "w") as sys.stdout:
                    gcsched_main()
            except SystemExit:
                pass
            finally:
                sys.stdout = out
                done.set()
                watcher.join()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    ignore = tracemalloc.Filter(False, tracemalloc.__file__)
    stats = kept[0].filter_traces([ignore]).statistics("lineno")
    lines = [f"traced peak {peak / 2**20:.0f} MiB; at the largest snapshot:"]
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = frame.filename.split("/src/")[-1]
        lines.append(
            f"{stat.size / 2**20:8.1f} MiB {stat.count:>10,} blocks  "
            f"{where}:{frame.lineno}"
        )
    return "\n".join(lines)


def _say(what: str, m: Measured) -> None:
    print(
        f"  {what}: {m.seconds:.1f} s wall, {m.cpu:.1f} s CPU, {m.rss_mib:.0f} MiB",
        file=sys.stderr,
        flush=True,
    )


def _conflict_line(m: Measured) -> str:
    """How many conflict lines the plan printed, and its line on the fixed pairs."""
    lines = m.stdout.decode(errors="replace").splitlines()
    shown = sum(1 for s in lines if "audience conflict" in s)
    fixed = [s.strip() for s in lines if "this run does not change" in s]
    tail = fixed[0] if fixed else "no line on conflicts between fixed schedules"
    return f"{shown:,} conflict lines printed; {tail}"


def _summary_line(m: Measured) -> str:
    """The plan's one-sentence summary ("No changes: ..." or "Plan: ...")."""
    lines = m.stdout.decode(errors="replace").splitlines()
    found = [s.strip() for s in lines if s.startswith(("No changes", "Plan:"))]
    return found[-1] if found else "(no summary line)"


def table(f: Figures) -> str:
    """The Markdown table of the figures."""
    rows = [
        ("`plan` small file", f.small_plan),
        ("`plan` five-year file", f.big_plan),
        ("`apply --yes` five-year file", f.big_apply),
        ("`plan --detailed-exitcode` after", f.replan),
    ]
    out = ["| command | wall s | CPU s | peak MiB |", "|---|---:|---:|---:|"]
    out += [
        f"| {name} | {m.seconds:.1f} | {m.cpu:.1f} | {m.rss_mib:.0f} |"
        for name, m in rows
    ]
    return "\n".join(out)


def budget_note(requests: int, limit: int) -> str:
    """What the apply's requests cost at `limit` per minute (one budget a minute)."""
    budget = math.floor(limit * BUDGET_SHARE)
    waits = max(0, math.ceil(requests / budget) - 1)
    return (
        f"at --rate-limit {limit}: {requests} requests are {waits + 1} budgets of "
        f"{budget}, so at least {waits} minute waits (>= {60 * waits} s) on top"
    )


def main() -> None:
    """Run the bench and print the machine, the figures and the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=5000)
    parser.add_argument("--lists", type=int, default=250)
    parser.add_argument("--hand-made", type=int, default=2000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--big", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rate-limit", type=int, default=0)
    parser.add_argument("--budget-limit", type=int, default=300)
    parser.add_argument("--memory-top", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.big + args.hand_made > args.campaigns:
        parser.error("--big and --hand-made must fit in --campaigns")
    if args.memory_top:
        began = time.monotonic()
        print(memory_top(args, args.memory_top))
        print(f"({time.monotonic() - began:.0f} s, load {os.getloadavg()[0]:.1f})")
        return
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
        f"{args.campaigns} campaigns on {args.lists} lists, {args.hand_made} "
        f"hand-made schedules; files of {args.small} (13 weeks) and {args.big} "
        f"({args.years} years); rate limit {args.rate_limit or 'off'}",
        flush=True,
    )
    figures = run(args)
    print(f"small plan: {_conflict_line(figures.small_plan)}")
    print(f"five-year plan: {_conflict_line(figures.big_plan)}")
    print(
        f"apply: {figures.apply_requests} requests, {figures.apply_429s} x 429; "
        f"journal after: {figures.journal_mib:.1f} MiB; load at the end "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"re-plan after the apply: {_summary_line(figures.replan)}")
    print(budget_note(figures.apply_requests, args.budget_limit))
    print(table(figures))


if __name__ == "__main__":
    main()
