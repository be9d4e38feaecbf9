"""Benchmark: expansion + conflict detection for 1,000 and 5,000 schedules x 1 year.

Not a test. Run: ``.venv/bin/python bench/plan_scale.py [--sizes 1000 5000]``.
``--interleave N [--before SRC]`` instead runs every command once per round for
N rounds (the SDK's import included) and keeps each one's minimum CPU time: on
a shared machine the rounds see the same load; ``--before`` also times the
gcsched source tree SRC (e.g. ``git archive BASE src | tar -x -C /tmp/base``,
then ``--before /tmp/base/src``) in the same rounds.

Two parts. The domain part times expansion and the conflict check in process.
The whole-process part times ``gcsched validate FILE`` as a user runs it (start-up,
YAML, validation, expansion, conflicts, output), median of 5, on generated files
of the same sizes, beside the time the official Genesys SDK takes just to
import (``import PureCloudPlatformClientV2``), measured in the same run; issue 13
targets: 1,000 schedules <= 20 % of the SDK's import, 5,000 <= 6 x that.

Each schedule is a weekday window (start 07:00-12:00, 4-8 hours) in one of eight
zones, over 2026, with a few holidays. Audiences: most campaigns dial their own
contact list; every tenth one shares the list of the previous campaign, and every
fiftieth also dials one of ten big shared lists (so conflicts exist, as in a file
that needs fixing, without every pair of campaigns colliding). Timed:

- expansion alone (occurrences per second; as the check expands, without
  making `Occurrence` objects);
- `gcsched.domain.check` (expansion + sweep-line conflict detection + ranking);
- the naive pairwise baseline (every pair of occurrences compared, as a check
  without the sweep would do) timed on a 2,500-interval sample in the same run and
  extrapolated by n squared to the full occurrence count.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from gcsched.domain import check, expand, expansion_range
from gcsched.domain.model import DayRange, Policy, Schedule, Target, Weekday, Window

ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
)
WEEKDAYS = frozenset(
    {
        Weekday.MONDAY,
        Weekday.TUESDAY,
        Weekday.WEDNESDAY,
        Weekday.THURSDAY,
        Weekday.FRIDAY,
    }
)
HOLIDAYS = (
    DayRange(date(2026, 1, 1), date(2026, 1, 1)),
    DayRange(date(2026, 7, 3), date(2026, 7, 3)),
    DayRange(date(2026, 12, 24), date(2026, 12, 26)),
)
TODAY = date(2026, 1, 1)
SAMPLE = 2_500


def make(n: int, seed: int = 7) -> list[Schedule]:
    """n weekday schedules over 2026 with mixed zones and shared audiences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = rng.randint(7, 12)
        length = rng.randint(4, 8)
        window = Window(
            start=datetime(2000, 1, 1, start).time(),
            end=datetime(2000, 1, 1, (start + length) % 24).time(),
            days=WEEKDAYS,
        )
        out.append(
            Schedule(
                target=Target("campaign", f"campaign-{i:05d}"),
                time_zone=rng.choice(ZONES),
                priority=rng.randint(1, 10),
                windows=(window,),
                from_=date(2026, 1, 1),
                until=date(2026, 12, 31),
                except_=HOLIDAYS,
                audience=_audience(i, rng),
            )
        )
    return out


def _audience(i: int, rng: random.Random) -> str:
    if i % 50 == 0:
        return f"shared-{rng.randrange(10)}"
    if i % 10 == 0:
        return f"list-{i - 1:05d}"
    return f"list-{i:05d}"


def naive_pairs(items: list[tuple[str, str, datetime, datetime]]) -> int:
    """The O(n^2) baseline: compare every pair of occurrences."""
    found = 0
    for (ka, la, sa, ea), (kb, lb, sb, eb) in itertools.combinations(items, 2):
        if ka != kb and la == lb and sa < eb and sb < ea:
            found += 1
    return found


def run(n: int) -> dict[str, float]:
    """Time one size; print and return the figures."""
    schedules = make(n)
    policy = Policy(audience_conflicts="warn", horizon_days=365)

    t0 = time.perf_counter()
    occurrences = 0
    for s in schedules:
        first, last = expansion_range(s, today=TODAY, horizon_days=365)
        occurrences += expand(s, start=first, end=last).occurrence_count
    t_expand = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = check(schedules, policy, today=TODAY)
    t_check = time.perf_counter() - t0

    items = [
        (e.schedule.label, e.schedule.audience or "", o.start, o.end)
        for e in result.expansions
        for o in e.occurrences
    ]
    sample = random.Random(1).sample(items, min(SAMPLE, len(items)))
    t0 = time.perf_counter()
    naive_pairs(sample)
    t_naive_sample = time.perf_counter() - t0
    t_naive_full = t_naive_sample * (len(items) / len(sample)) ** 2
    t_detect = max(t_check - t_expand, 1e-9)

    print(f"\n== {n:,} schedules x 1 year ==")
    print(f"occurrences             {occurrences:,}")
    print(
        f"expansion               {t_expand:.3f} s  "
        f"({occurrences / t_expand:,.0f} occ/s)"
    )
    print(
        f"check (expand+conflict) {t_check:.3f} s  "
        f"({occurrences / t_check:,.0f} occ/s), {len(result.conflicts):,} conflicts"
    )
    print(f"  conflict part         {t_detect:.3f} s (check minus expansion)")
    print(
        f"naive pairwise          {t_naive_sample:.3f} s on {len(sample):,} intervals; "
        f"extrapolated by n^2 to {len(items):,}: {t_naive_full:,.1f} s"
    )
    print(f"ratio naive / check     {t_naive_full / t_check:,.0f}x")
    target = "PASS" if n != 1000 or t_check <= 2.0 else "FAIL"
    if n == 1000:
        print(f"target 1,000 x 1 year <= 2 s: {target}")
    return {"n": n, "occ": occurrences, "check": t_check}


def schedule_file(n: int, seed: int = 7) -> str:
    """A schedule file of n campaigns x 1 year, two windows each (weekdays, Saturday).

    Zones, hours and audiences follow `make`: most campaigns dial their own list,
    every tenth shares the previous one's, every fiftieth one of ten big lists.
    """
    rng = random.Random(seed)
    lines = [
        "version: 1",
        "policy:",
        "  audience_conflicts: warn",
        "calendars:",
        "  holidays:",
        "    - 2026-01-01",
        "    - 2026-07-03",
        "    - {from: 2026-12-24, to: 2026-12-26}",
        "schedules:",
    ]
    for i in range(n):
        start = rng.randint(7, 12)
        end = start + rng.randint(4, 8)
        lines += [
            f"  - campaign: Campaign {i:05d}",
            f"    time_zone: {rng.choice(ZONES)}",
            f"    priority: {rng.randint(1, 10)}",
            f"    audience: {_audience(i, rng)}",
            "    windows:",
            f'      - {{days: [mon-fri], start: "{start:02d}:00", '
            f'end: "{end:02d}:00"}}',
            '      - {days: [sat], start: "10:00", end: "14:00"}',
            "    from: 2026-01-01",
            "    until: 2026-12-31",
            "    except: [holidays]",
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Timing:
    """Medians of one command's runs: wall time and CPU time (user + system)."""

    wall: float
    cpu: float

    def of(self, base: Timing) -> str:
        """Both figures and their share of `base` (the SDK's import)."""
        return (
            f"wall {self.wall:6.3f} s ({self.wall / base.wall:4.0%})  "
            f"cpu {self.cpu:6.3f} s ({self.cpu / base.cpu:4.0%})"
        )


def _median_seconds(argv: list[str], runs: int = 5) -> Timing:
    """Median wall and CPU time of `argv` as a whole process (output discarded).

    On a shared machine the wall time carries the other users' load; the CPU
    time of the child (from its rusage) much less so, which makes the share of
    the SDK's import comparable between runs.
    """
    subprocess.run(  # warm-up: disk caches, not timed
        argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(
            argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(statistics.median(walls), statistics.median(cpus))


def compile_gcsched() -> None:
    """Byte-compile gcsched's modules, as `pip install` does for the SDK's.

    An editable install run with PYTHONDONTWRITEBYTECODE=1 (this team's VM) would
    otherwise compile every gcsched module at every start, while the SDK's
    modules in site-packages were compiled at install: the comparison would
    time the compiler, not the import. Python reads existing bytecode under that
    setting; it only does not write it.
    """
    import compileall

    import gcsched

    compileall.compile_dir(Path(gcsched.__file__).parent, quiet=1)


def whole_process(sizes: list[int], *, compile_first: bool = True) -> None:
    """Time `gcsched validate FILE` as a user feels it, beside the SDK's import."""
    gcsched = str(Path(sys.executable).with_name("gcsched"))
    if compile_first:
        compile_gcsched()
        print("\n(gcsched's modules byte-compiled first, as an installed package)")
    sdk = _median_seconds([sys.executable, "-c", SDK_IMPORT])
    print("\n== whole process: gcsched validate FILE (median of 5) ==")
    print(
        f"official SDK import       wall {sdk.wall:6.3f} s         cpu {sdk.cpu:6.3f} s"
    )
    small = schedule_file(1)
    with tempfile.TemporaryDirectory() as tmp:
        files = {1: Path(tmp, "s1.yaml")}
        files[1].write_text(small, encoding="utf-8")
        for n in sizes:
            files[n] = Path(tmp, f"s{n}.yaml")
            files[n].write_text(schedule_file(n), encoding="utf-8")
        version = _median_seconds([gcsched, "--version"])
        print(f"gcsched --version         {version.of(sdk)}")
        results: dict[int, Timing] = {}
        for n in [1, *sizes]:
            results[n] = _median_seconds([gcsched, "validate", str(files[n])])
            print(f"validate {n:>5,} schedule(s) {results[n].of(sdk)}")
    print("(shares are of the SDK's import in the same run)")
    if 1 in results:
        verdict = "PASS" if results[1].wall <= 0.05 * sdk.wall else "FAIL"
        print(f"target 1 schedule <= 5 % of SDK import (wall): {verdict}")
    if 1000 in results:
        verdict = "PASS" if results[1000].wall <= 0.2 * sdk.wall else "FAIL"
        print(f"target 1,000 <= 20 % of SDK import (wall): {verdict}")
        if 5000 in results:
            ok = results[5000].wall <= 6 * results[1000].wall
            print(f"target 5,000 <= 6 x 1,000 (wall): {'PASS' if ok else 'FAIL'}")


def _cpu_seconds(argv: list[str], env: dict[str, str] | None = None) -> float:
    """The CPU time (user + system) of one run of `argv`, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def interleaved(sizes: list[int], rounds: int, before: Path | None) -> None:
    """Minimum CPU time of each command over `rounds` rounds of all of them.

    Each round runs the SDK's import, then `gcsched --version` and `gcsched
    validate` of each file, for this tree and (with `before`) for the source
    tree `before`, in that order: every command sees the same load.
    """
    import compileall

    compile_gcsched()
    gcsched = str(Path(sys.executable).with_name("gcsched"))
    sides: dict[str, dict[str, str] | None] = {"after": None}
    if before is not None:
        compileall.compile_dir(before, quiet=1)
        sides = {"before": {**os.environ, "PYTHONPATH": str(before)}, **sides}
    with tempfile.TemporaryDirectory() as tmp:
        files = {n: Path(tmp, f"s{n}.yaml") for n in [1, *sizes]}
        for n, file in files.items():
            file.write_text(schedule_file(n), encoding="utf-8")
        commands = {"version": [gcsched, "--version"]} | {
            f"validate {n:,}": [gcsched, "validate", str(file)]
            for n, file in files.items()
        }
        best: dict[tuple[str, str], float] = {}
        sdk = float("inf")
        for _ in range(rounds):
            sdk = min(sdk, _cpu_seconds([sys.executable, "-c", SDK_IMPORT]))
            for side, env in sides.items():
                for name, argv in commands.items():
                    cpu = _cpu_seconds(argv, env)
                    best[side, name] = min(best.get((side, name), cpu), cpu)
    print(f"\n== minimum CPU time of {rounds} interleaved rounds ==")
    print(f"official SDK import          {sdk:6.3f} s")
    for name in commands:
        cells = [
            f"{side} {best[side, name]:6.3f} s ({best[side, name] / sdk:4.0%})"
            for side in sides
        ]
        print(f"gcsched {name:<20} " + "   ".join(cells))
    if 1000 in sizes and 5000 in sizes:
        ratio = best["after", "validate 5,000"] / best["after", "validate 1,000"]
        print(f"5,000 / 1,000 (after): x{ratio:.2f}")


SDK_IMPORT = "import PureCloudPlatformClientV2"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def main() -> None:
    """Run the benchmark for the sizes asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument(
        "--no-process", action="store_true", help="skip the whole-process part"
    )
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="do not byte-compile gcsched before the whole-process part",
    )
    parser.add_argument(
        "--interleave",
        type=int,
        metavar="N",
        help="only the whole-process part: minimum CPU of N interleaved rounds",
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="SRC",
        help="with --interleave: also time the gcsched source tree SRC",
    )
    args = parser.parse_args()
    print("command  ", " ".join([sys.executable, *sys.argv]))
    print(
        "machine  ",
        platform.platform(),
        "|",
        platform.processor() or platform.machine(),
    )
    print("cpus     ", os.cpu_count(), "| python", platform.python_version())
    print("load     ", _load())
    if args.interleave:
        interleaved(args.sizes, args.interleave, args.before)
        print("\nload at the end", _load())
        return
    figures = [run(n) for n in args.sizes]
    if len(figures) >= 2:
        import math

        a, b = figures[0], figures[-1]
        grow = b["check"] / a["check"]
        nlogn = (b["occ"] * math.log(b["occ"])) / (a["occ"] * math.log(a["occ"]))
        print(
            f"\ngrowth {a['n']:,} -> {b['n']:,}: time x{grow:.2f}; "
            f"n log n predicts x{nlogn:.2f}; "
            f"n^2 would be x{(b['occ'] / a['occ']) ** 2:.1f}"
        )
    if not args.no_process:
        whole_process(args.sizes, compile_first=not args.no_compile)
    print("\nload at the end", _load())


if __name__ == "__main__":
    main()
