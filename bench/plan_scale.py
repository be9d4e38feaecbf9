"""Benchmark: expansion + conflict detection for 1,000 and 5,000 schedules x 1 year.

Not a test. Run: ``.venv/bin/python bench/plan_scale.py [--sizes 1000 5000]``.

Each schedule is a weekday window (start 07:00-12:00, 4-8 hours) in one of eight
zones, over 2026, with a few holidays. Audiences: most campaigns dial their own
contact list; every tenth one shares the list of the previous campaign, and every
fiftieth also dials one of ten big shared lists (so conflicts exist, as in a file
that needs fixing, without every pair of campaigns colliding). Timed:

- expansion alone (occurrences per second);
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
import sys
import time
from datetime import date, datetime

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
        occurrences += len(expand(s, start=first, end=last).occurrences)
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


def main() -> None:
    """Run the benchmark for the sizes asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    print("command  ", " ".join([sys.executable, *sys.argv]))
    print(
        "machine  ",
        platform.platform(),
        "|",
        platform.processor() or platform.machine(),
    )
    print("cpus     ", os.cpu_count(), "| python", platform.python_version())
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


if __name__ == "__main__":
    main()
