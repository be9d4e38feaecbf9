"""`.pre-commit-hooks.yaml`: a well-formed manifest whose entry, run the way
pre-commit runs it (the entry split like a shell, then the file names), passes
a good schedule file and fails a bad one."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from cli_support import EXAMPLE

ROOT = Path(__file__).parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
#: The keys pre-commit's manifest schema knows (pre_commit/clientlib.py).
KNOWN = {
    "id", "name", "entry", "language", "alias", "files", "exclude", "types",
    "types_or", "exclude_types", "additional_dependencies", "args", "always_run",
    "fail_fast", "pass_filenames", "description", "language_version",
    "log_file", "minimum_pre_commit_version", "require_serial", "stages",
    "verbose",
}  # fmt: skip


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (hook,) = hooks
    assert isinstance(hook, dict)
    return hook


def _run_entry(hook: dict[str, Any], *files: Path) -> subprocess.CompletedProcess[str]:
    """Run the hook as pre-commit does: its `language: python` environment puts
    the package's console scripts on PATH."""
    scripts = Path(sys.executable).parent
    assert shutil.which("gcsched", path=str(scripts)), "gcsched is not installed"
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *map(str, files)]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_the_manifest_is_a_pre_commit_manifest() -> None:
    hook = _hook()
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert set(hook) <= KNOWN
    assert hook["id"] == "gcsched-validate"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("schedules/q4.yaml")
    assert pattern.search("org/schedules/q4.yml")
    assert not pattern.search(".github/workflows/gcsched.yml")
    assert not pattern.search("schedules/teams/a.yaml")  # included files: not alone


def test_the_entry_passes_good_files_and_fails_a_bad_one(tmp_path: Path) -> None:
    hook = _hook()
    good = _run_entry(hook, EXAMPLE, EXAMPLE)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count("q4.yaml") >= 2  # each file validated
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nschedules:\n  - campaign: X\n    time_zone: Mars/Base\n"
    )
    failed = _run_entry(hook, bad, EXAMPLE)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert "bad.yaml:4" in failed.stdout + failed.stderr
