"""`--sandbox` state (issue 11 #5) and early failures without warnings (11 #19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import EXAMPLE, GCSCHED

from gcsched import connect
from gcsched.api.sandbox import SandboxState
from served_sandbox import served_sandbox

pytestmark = pytest.mark.anyio


def _schedule_count(state_dir: Path) -> int:
    saved = SandboxState.load(state_dir / "sandbox.json")
    return sum(len(items) for items in saved.schedules.values())


async def test_a_read_only_command_never_saves_over_an_apply(tmp_path: Path) -> None:
    """`plan --sandbox` open during `apply --sandbox` leaves the apply's writes."""
    async with connect(sandbox=True, state_dir=tmp_path) as reader:
        async with connect(sandbox=True, state_dir=tmp_path) as writer:
            outcome = await writer.apply(EXAMPLE)
            assert outcome.run is not None
            assert outcome.run.status == "succeeded"
        applied = _schedule_count(tmp_path)
        await reader.plan(EXAMPLE)  # loaded before the apply: a stale org
    assert _schedule_count(tmp_path) == applied > _demo_count()


def _demo_count() -> int:
    return sum(len(items) for items in SandboxState.demo().schedules.values())


async def test_each_write_is_saved_before_the_run_ends(tmp_path: Path) -> None:
    """A process killed after a write keeps it: the org is on disk at once."""
    demo = _demo_count()
    async with connect(sandbox=True, state_dir=tmp_path) as conn:
        await conn.apply(EXAMPLE)
        saved = _schedule_count(tmp_path)  # still inside: nothing saved "on exit"
    assert saved > demo


def test_a_wrong_secret_ends_without_never_awaited_warnings(tmp_path: Path) -> None:
    """The CLI against the served sandbox with a wrong secret: exit 1, no warning."""
    with served_sandbox("--rate-limit", "0") as url:
        done = subprocess.run(
            [
                *(sys.executable, "-W", "default", "-c", GCSCHED, "plan"),
                *(str(EXAMPLE), "--api-url", url, "--state-dir", str(tmp_path)),
            ],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "GENESYSCLOUD_OAUTHCLIENT_ID": "sandbox-client-id",
                "GENESYSCLOUD_OAUTHCLIENT_SECRET": "not-the-secret",
            },
            timeout=60,
            check=False,
        )
    assert done.returncode == 1, done.stderr
    assert "refused the OAuth client" in done.stderr
    assert "never awaited" not in done.stderr
    assert "RuntimeWarning" not in done.stderr
