"""Many campaigns on one contact list: plan and apply as whole processes.

Each size N seeds a fresh `gcsched sandbox serve` (one contact list, N power
campaigns on it) and writes a file scheduling all N on weekdays over a quarter,
in three overlapping shapes, under ``audience_conflicts: warn``: every pair of
campaigns conflicts, N x (N - 1) / 2 pairs. `gcsched plan FILE`, `gcsched plan
FILE --json` and then `gcsched apply FILE --yes` run against it, each timed from
outside: wall time, CPU time and peak RSS of that process (``ru_utime +
ru_stime`` and ``ru_maxrss`` from `os.wait4`; on a loaded machine the wall time
grows, the CPU time hardly moves). The sandbox serves without rate limit by
default, so the apply measures gcsched's own work; ``--rate-limit 300`` gives
the real org's budget. The table also shows the plan's JSON size, its pair
entries and the journal's size after the apply.

    .venv/bin/python bench/conflicts_scale.py [--sizes 50,120,350]
        [--rate-limit 0] [--weeks 13]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

sys.path.insert(0, str(Path(__file__).resolve().parent))
from apply_throughput import served

GCSCHED = str(Path(sys.executable).with_name("gcsched"))
LIST = "Shared List"
_SHAPES = (("09:00", "17:00"), ("11:00", "19:00"), ("13:00", "20:00"))


@dataclass(frozen=True)
class Measured:
    """One whole process: wall and CPU seconds, peak RSS (MiB) and its stdout."""

    seconds: float
    cpu: float
    rss_mib: float
    stdout: bytes


def write_inputs(folder: Path, count: int, weeks: int) -> tuple[Path, Path]:
    """A seed with `count` campaigns on ONE contact list, and a file for all."""
    seed = {
        "org": {"name": "Bench Org", "domain": "bench"},
        "contactLists": [{"name": LIST, "size": 50_000}],
        "campaigns": [
            {"name": f"Bench {n:04d}", "dialingMode": "power", "contactList": LIST}
            for n in range(1, count + 1)
        ],
    }
    seed_path = folder / "seed.json"
    seed_path.write_text(json.dumps(seed))
    start = datetime.now(UTC).date() + timedelta(days=7)
    until = start + timedelta(weeks=weeks)
    lines = [
        "version: 1",
        "policy: {audience_conflicts: warn, max_change_fraction: 1.0}",
        "schedules:",
    ]
    for n in range(1, count + 1):
        begin, end = _SHAPES[n % len(_SHAPES)]
        lines += [
            f"  - campaign: Bench {n:04d}",
            "    time_zone: America/Chicago",
            f"    priority: {1 + n % 10}",
            f'    windows: [{{days: [mon-fri], start: "{begin}", end: "{end}"}}]',
            f"    from: {start.isoformat()}",
            f"    until: {until.isoformat()}",
        ]
    file_path = folder / "bench.yaml"
    file_path.write_text("\n".join(lines) + "\n")
    return seed_path, file_path


def measure(argv: list[str]) -> Measured:
    """Run `argv` to its end; its wall time and peak RSS (Linux: KiB → MiB)."""
    env = {
        **os.environ,
        "GENESYSCLOUD_OAUTHCLIENT_ID": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": DEFAULT_CLIENT_SECRET,
        "NO_COLOR": "1",
    }
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 2):  # 2: plan with changes is fine too
            text = err.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{argv[1]} exited {proc.returncode}: {text}")
        cpu = usage.ru_utime + usage.ru_stime
        return Measured(seconds, cpu, usage.ru_maxrss / 1024, out.read())


@dataclass(frozen=True)
class Row:
    """The figures of one size."""

    campaigns: int
    pairs: int
    text: Measured
    plan: Measured
    plan_bytes: int
    apply: Measured
    journal_mib: float


def run_size(count: int, args: argparse.Namespace) -> Row:
    """Plan then apply `count` campaigns on one list against a fresh sandbox."""
    with tempfile.TemporaryDirectory() as folder:
        seed, file = write_inputs(Path(folder), count, args.weeks)
        state = Path(folder) / "state"
        with served(seed, args.rate_limit, 0) as url:
            common = ["--api-url", url, "--state-dir", str(state)]
            text = measure([GCSCHED, "plan", str(file), *common])
            plan = measure([GCSCHED, "plan", str(file), "--json", *common])
            data = json.loads(plan.stdout)
            apply = measure([GCSCHED, "apply", str(file), "--yes", *common])
        journal = state / "journal.sqlite"
        size = sum(
            p.stat().st_size for p in state.iterdir() if p.name.startswith(journal.name)
        )
    return Row(
        count,
        len(data["conflicts"]),
        text,
        plan,
        len(plan.stdout),
        apply,
        size / 2**20,
    )


def table(rows: list[Row]) -> str:
    """The Markdown table of the rows."""
    out = [
        "| campaigns | pairs | plan s (CPU) | plan MiB | plan --json s (CPU) "
        "| MiB | JSON | apply s (CPU) | apply MiB | journal |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    out += [
        f"| {r.campaigns} | {r.pairs:,} | {r.text.seconds:.1f} ({r.text.cpu:.1f}) | "
        f"{r.text.rss_mib:.0f} | {r.plan.seconds:.1f} ({r.plan.cpu:.1f}) | "
        f"{r.plan.rss_mib:.0f} | {r.plan_bytes / 2**20:.1f} MiB | "
        f"{r.apply.seconds:.1f} ({r.apply.cpu:.1f}) | {r.apply.rss_mib:.0f} "
        f"| {r.journal_mib:.1f} MiB |"
        for r in rows
    ]
    return "\n".join(out)


def main() -> None:
    """Run the sizes and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,120,350")
    parser.add_argument("--rate-limit", type=int, default=0)
    parser.add_argument("--weeks", type=int, default=13)
    args = parser.parse_args()
    rows = []
    for count in (int(s) for s in args.sizes.split(",")):
        row = run_size(count, args)
        print(
            f"{count} campaigns: plan {row.text.seconds:.1f} s "
            f"{row.text.rss_mib:.0f} MiB, --json {row.plan.seconds:.1f} s "
            f"{row.plan.rss_mib:.0f} MiB, apply {row.apply.seconds:.1f} s "
            f"{row.apply.rss_mib:.0f} MiB",
            file=sys.stderr,
        )
        rows.append(row)
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, rate limit {args.rate_limit or 'off'}, "
        f"{args.weeks} weeks"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
