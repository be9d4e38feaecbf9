"""Faults over real sockets: `gcsched apply` against `gcsched sandbox serve`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from integration_support import EXAMPLE, Api, run_cli

from gcsched.sandbox import entity_id
from served_sandbox import served_sandbox

WINBACK = entity_id("campaign", "Win-back")


def _content(body: dict[str, Any]) -> dict[str, Any]:
    """A schedule body without the fields the server sets on every save."""
    return {
        k: v
        for k, v in body.items()
        if k not in ("version", "dateModified", "dateCreated")
    }


def _apply(file: Path, url: str, state_dir: Path) -> tuple[int, str]:
    done = run_cli(
        "apply", str(file), "--yes", "--api-url", url, "--state-dir", str(state_dir)
    )
    return done.returncode, done.stdout + done.stderr


def _plan_exit(file: Path, url: str, state_dir: Path) -> int:
    done = run_cli(
        "plan",
        str(file),
        "--detailed-exitcode",
        "--api-url",
        url,
        "--state-dir",
        str(state_dir),
    )
    return done.returncode


@pytest.mark.slow
def test_cli_apply_under_every_socket_fault_converges(tmp_path: Path) -> None:
    """429 bursts, 5xx, drops and expiring tokens at once: re-runs reach no changes."""
    org = tmp_path / "org.json"
    state_dir = tmp_path / "state"
    faults = [
        *("--fault", "429:rate=0.08,burst=2,retry_after=1"),
        *("--fault", "5xx:rate=0.08"),
        *("--fault", "drop:rate=0.08"),
        *("--fault", "token-expiry:after=1"),
    ]
    codes = []
    with served_sandbox(
        "--state", str(org), "--rate-limit", "0", "--fault-seed", "11", *faults
    ) as url:
        for _ in range(6):
            code, output = _apply(EXAMPLE, url, state_dir)
            assert code in (0, 1), output  # ok, or stopped and resumable
            assert "Traceback" not in output
            codes.append(code)
            if code == 0:
                break
        with Api(url) as api:
            stats = api.stats()
    assert codes[-1] == 0, codes
    fired = stats["faults"]
    for kind in ("429", "5xx", "drop"):
        assert fired.get(kind, 0) > 0, fired
    with served_sandbox("--state", str(org), "--rate-limit", "0") as url:
        assert _plan_exit(EXAMPLE, url, state_dir) == 0
        with Api(url) as api:
            versions = {k: v["version"] for k, v in api.campaign_schedules().items()}
    survey = entity_id("campaign", "Lapsed Survey")
    assert versions.pop(survey) == 3
    assert set(versions.values()) == {1}, versions  # every create landed once


@pytest.mark.slow
def test_cli_concurrent_editor_exits_1_then_a_rerun_converges(tmp_path: Path) -> None:
    """A colleague saves Win-back during apply: exit 1, their version kept, then ok."""
    org = tmp_path / "org.json"
    state_dir = tmp_path / "state"
    changed = tmp_path / "q4-changed.yaml"
    text = EXAMPLE.read_text()
    old = '"16:00", end: "20:00"'
    assert old in text
    changed.write_text(text.replace(old, '"16:00", end: "19:30"'))
    with served_sandbox("--state", str(org), "--rate-limit", "0") as url:
        code, output = _apply(EXAMPLE, url, state_dir)
        assert code == 0, output
        with Api(url) as api:
            before = api.campaign_schedules()[WINBACK]
    editor = f"editor:rate=1,path={WINBACK}"
    with served_sandbox(
        "--state", str(org), "--rate-limit", "0", "--fault", editor
    ) as url:
        code, output = _apply(changed, url, state_dir)
        assert code == 1, output
        assert "conflict" in output
        with Api(url) as api:
            theirs = api.campaign_schedules()[WINBACK]
    assert theirs["version"] == before["version"] + 1  # the colleague's save
    assert _content(theirs) == _content(before)  # ours not written
    with sqlite3.connect(state_dir / "journal.sqlite") as conn:
        statuses = conn.execute(
            "SELECT status FROM steps WHERE target_id = ? AND kind = 'campaigns'"
            " ORDER BY id DESC LIMIT 1",
            (WINBACK,),
        ).fetchall()
    assert statuses == [("conflict",)]
    with served_sandbox("--state", str(org), "--rate-limit", "0") as url:
        code, output = _apply(changed, url, state_dir)
        assert code == 0, output
        assert _plan_exit(changed, url, state_dir) == 0
        with Api(url) as api:
            final = api.campaign_schedules()[WINBACK]
    assert final["version"] == theirs["version"] + 1
    assert _content(final) != _content(before)
