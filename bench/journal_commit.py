"""Journal commit cost: WAL + synchronous=FULL (what gcsched uses) vs NORMAL.

Each measured commit is one real state transition (`Journal.mark_sent`, one
``BEGIN IMMEDIATE … COMMIT``) on a fresh journal in a temporary directory on the
same file system as the state dir would be (``--dir``). Also times audit-log
appends (write + fsync per entry) and verification. Run:

    .venv/bin/python bench/journal_commit.py [--n 2000] [--dir PATH]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from gcsched.audit import AuditLog, digest
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal
from gcsched.telemetry.metrics import percentile


def _ms(values: list[float], q: float) -> float:
    value = percentile(values, q)
    assert value is not None, "no samples"
    return value * 1000


def bench_journal(directory: Path, sync: str, n: int) -> dict[str, float]:
    path = directory / f"journal-{sync.lower()}.db"
    with Journal.open(path) as journal:
        journal.db.query(f"PRAGMA synchronous = {sync}")
        [[level]] = journal.db.query("PRAGMA synchronous")
        assert level == {"FULL": 2, "NORMAL": 1}[sync]
        specs = [
            ChangeSpec(
                "update",
                Family.CAMPAIGNS,
                "campaign",
                f"id{i}",
                f"C{i}",
                1,
                {"v": 1},
                {"v": 2},
            )
            for i in range(n)
        ]
        run = journal.create_run(
            org_id="o", org_name="O", file_path="f", file_sha256="s",
            checksum="c", plan={}, steps=specs,
        )  # fmt: skip
        steps = journal.steps(run.id)
        latencies = []
        start = time.perf_counter()
        for step in steps:
            t0 = time.perf_counter()
            journal.mark_sent(step.id)
            latencies.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
    return {
        "commits_per_s": n / total,
        "p50_ms": _ms(latencies, 0.5),
        "p99_ms": _ms(latencies, 0.99),
    }


def bench_audit(directory: Path, n: int) -> dict[str, float]:
    log = AuditLog(directory / "audit.jsonl")
    body = digest({"name": "gcsched:Q4", "intervals": []})
    start = time.perf_counter()
    hashes = [
        log.append(
            {
                "time": "2026-11-27T20:53:01+00:00",
                "run_id": "r1",
                "step_id": i,
                "actor": "client",
                "action": "update",
                "target": {"kind": "campaign", "id": f"id{i}", "name": f"C{i}"},
                "before_digest": body,
                "after_digest": body,
            }
        )
        for i in range(n)
    ]
    appended = time.perf_counter() - start
    start = time.perf_counter()
    assert log.verify(hashes).ok
    verified = time.perf_counter() - start
    return {"appends_per_s": n / appended, "verified_entries_per_s": n / verified}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="commits per mode")
    parser.add_argument(
        "--dir", type=Path, default=Path(), help="where to write (default: here,"
        " where the .gcsched state dir lives)"
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        directory = Path(tmp)
        print(f"journal commits ({args.n} transitions each, in {directory})")
        print(f"{'mode':<12}{'commits/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
        for sync in ("FULL", "NORMAL"):
            r = bench_journal(directory, sync, args.n)
            print(
                f"WAL+{sync:<8}{r['commits_per_s']:>12.0f}"
                f"{r['p50_ms']:>10.3f}{r['p99_ms']:>10.3f}"
            )
        a = bench_audit(directory, args.n)
        print(
            f"audit log: {a['appends_per_s']:.0f} appends/s (fsync each), "
            f"{a['verified_entries_per_s']:.0f} entries/s verified"
        )


if __name__ == "__main__":
    main()
