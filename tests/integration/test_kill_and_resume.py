"""Kill `gcsched apply` (SIGKILL, SIGINT, SIGTERM) at random moments; re-runs converge.

The short CI run of the soak in bench/kill_soak.py: the same harness
(`kill_soak.py`), over a served sandbox with latency, 5xx, dropped answers and
429s. Whether a kill landed mid-run is read from the journal, so a slow machine
needs more cycles (bounded), never a different verdict.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from kill_soak import SAFE_FAULTS, SIGNALS, kill_soak, run_soak

SEED = 20261127
LANDED = 12  # kills that must land between a run's first sent step and its end
MAX_CYCLES = 30


@pytest.mark.slow
def test_signals_at_random_moments_under_faults_then_reruns_converge(
    tmp_path: Path,
) -> None:
    """12+ kills landed mid-run: every invariant holds after every re-run."""
    with kill_soak(tmp_path, seed=SEED, faults=SAFE_FAULTS) as soak:
        totals = run_soak(soak, kills=LANDED, landed=LANDED, max_cycles=MAX_CYCLES)
        faults = httpx.get(f"{soak.url}/sandbox/stats", timeout=10).json()["faults"]
    assert totals.violations == [], "\n".join(totals.violations)
    assert sum(totals.landed.values()) >= LANDED, (totals.cycles, dict(totals.landed))
    assert all(totals.landed[s.name] >= 1 for s in SIGNALS), dict(totals.landed)
    fired = {kind for kind, count in faults.items() if count}
    assert {"5xx", "drop", "429", "latency"} <= fired, faults
    assert totals.changes >= 10 * totals.cycles
