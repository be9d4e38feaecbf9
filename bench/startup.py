"""Benchmark: start-up of `gcsched --version` and `gcsched validate` on small files.

Not a test. Run: ``.venv/bin/python bench/startup.py [--base COMMIT] [--runs 7]``.

Issue 13 item 1's yardstick: the CPU time (user + system, from the child's
rusage) of each command as a whole process, beside the time the official
Genesys SDK takes just to import (``import PureCloudPlatformClientV2``), all
commands interleaved in one loop so every one sees the same load, the minimum
of ``--runs`` rounds kept. With ``--base``, the same commands also run on that
commit's ``src`` (``git archive``, put first on ``PYTHONPATH``) for a before /
after table. gcsched's modules are byte-compiled first, as an installed
package's are (see bench/plan_scale.py on ``PYTHONDONTWRITEBYTECODE``). The
floor row is what pydantic alone costs: YAML, one model, one validation.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SMALL = """\
version: 1
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00"}
    from: 2026-12-01
    until: 2026-12-31
"""

SDK = "import PureCloudPlatformClientV2"
FLOOR = (
    "import yaml\n"
    "from pydantic import BaseModel\n"
    "class M(BaseModel):\n"
    "    x: int\n"
    "M.model_validate(yaml.safe_load('x: 1'))\n"
)


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU time of `argv` run once, output discarded."""
    child = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Time the commands and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a commit to compare with (before)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    gcsched = str(Path(python).with_name("gcsched"))
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp, "small.yaml")
        small.write_text(SMALL, encoding="utf-8")
        commands = {
            "`gcsched --version`": ["--version"],
            "`gcsched validate`, 1 schedule": ["validate", str(small)],
            "`gcsched validate examples/q4.yaml`": ["validate", "examples/q4.yaml"],
            "`gcsched validate examples/q4.yaml --json`": [
                "validate",
                "examples/q4.yaml",
                "--json",
            ],
        }
        sides = {"after": dict(os.environ)}
        compileall.compile_dir(ROOT / "src", quiet=1)
        if args.base:
            base = Path(tmp, "base")
            base.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.base, "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            compileall.compile_dir(base / "src", quiet=1)
            sides = {
                "before": {**os.environ, "PYTHONPATH": str(base / "src")},
                **sides,
            }
        cases: list[tuple[str, str, list[str], dict[str, str]]] = [
            ("sdk", "", [python, "-c", SDK], sides["after"]),
            ("floor", "", [python, "-c", FLOOR], sides["after"]),
        ]
        for label, argv in commands.items():
            for side, env in sides.items():
                cases.append((label, side, [python, gcsched, *argv], env))
        best: dict[tuple[str, str], float] = {}
        os.chdir(ROOT)
        for _ in range(args.runs + 1):  # the first round also warms the disk cache
            for label, side, argv, env in cases:
                seconds = cpu_seconds(argv, env)
                key = (label, side)
                best[key] = min(best.get(key, seconds), seconds)
    sdk = best[("sdk", "")]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"min CPU s of {args.runs} interleaved rounds; load average {load}")
    print(f"`import PureCloudPlatformClientV2`: {sdk:.3f} s\n")
    names = list(sides)
    print("| command | " + " | ".join(f"{n} CPU s | share" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for label in commands:
        cells = [f"{best[label, n]:.3f} | {best[label, n] / sdk:.1%}" for n in names]
        print(f"| {label} | " + " | ".join(cells) + " |")
    floor = best[("floor", "")]
    print(f"| floor: YAML + pydantic + one model | {floor:.3f} | {floor / sdk:.1%} |")


if __name__ == "__main__":
    main()
