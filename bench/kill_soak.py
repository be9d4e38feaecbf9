"""Kill soak: signal `gcsched apply` N times at random moments over a faulty sandbox.

Runs the harness of tests/integration/kill_soak.py: a served sandbox with
latency, 5xx, drops and 429s (`--fault-seed` = `--seed`), files alternating
creates, updates, deletes, voice and messaging pacing changes, and per cycle one
SIGKILL, SIGINT or SIGTERM, re-runs until apply exits 0, then the invariants
(empty re-plan, one version per intended change, confirmed steps = intended
changes, `audit verify`, audit entries = confirmed steps, one outbox event per
confirmed schedule step). Prints per-signal counts, kills that landed mid-run
(read from the journal), every violation with the seed and cycle that found
it, the wall time and the machine. Exit 1 if any violation was found.

    .venv/bin/python bench/kill_soak.py [--kills 200] [--seed 20261127]
        [--minutes 120] [--no-write-drops]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS / "integration"), str(TESTS)]

from kill_soak import (  # noqa: E402
    FAULTS,
    SAFE_FAULTS,
    CycleResult,
    kill_soak,
    run_soak,
)


def _progress(result: CycleResult) -> None:
    landed = "landed" if result.landed else ("done" if result.missed else "early")
    print(
        f"cycle {result.cycle}: {result.signal or 'baseline'} {landed},"
        f" {result.changes} changes, {result.reruns} apply run(s),"
        f" {len(result.violations)} violation(s)",
        file=sys.stderr,
        flush=True,
    )
    for line in result.violations:
        print(f"  {line}", file=sys.stderr, flush=True)


def main() -> int:
    """Run the soak and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--minutes", type=float, default=120.0, help="wall-time cap")
    parser.add_argument(
        "--no-write-drops",
        action="store_true",
        help="drop only GET answers (the CI variant), not those of writes",
    )
    args = parser.parse_args()
    faults = SAFE_FAULTS if args.no_write_drops else FAULTS
    began = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="gcsched-soak-") as folder,
        kill_soak(Path(folder), seed=args.seed, faults=faults) as soak,
    ):
        totals = run_soak(
            soak, kills=args.kills, seconds=args.minutes * 60, progress=_progress
        )
    wall = time.monotonic() - began
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"machine: {platform.system()} {platform.release()} {platform.machine()},"
        f" {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"faults: {' '.join(faults)}")
    print(f"cycles: {totals.cycles} (1 baseline), intended changes: {totals.changes}")
    sent = sum(totals.kills.values())
    landed = sum(totals.landed.values())
    done = totals.missed
    print(f"kills sent: {sent}, landed mid-run: {landed}, apply already done: {done}")
    for name in sorted(totals.kills):
        print(f"  {name}: {totals.kills[name]} sent, {totals.landed[name]} landed")
    print(f"apply runs to converge after a kill: {totals.reruns}")
    print(f"violations: {len(totals.violations)}")
    for line in totals.violations:
        print(f"  {line}")
    print(f"wall time: {wall:.0f} s ({wall / max(1, totals.cycles):.1f} s per cycle)")
    return 1 if totals.violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
