"""One file, two orgs: names resolve per org, the org_id guard, ownership."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

import gcsched
from gcsched.client import Credentials
from gcsched.config import load
from gcsched.errors import OrgMismatchError
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.sandbox.demo import DEMO_ORG_ID

pytestmark = pytest.mark.anyio

TODAY = date(2026, 11, 27)
OTHER_ORG = "0b9e2d71-3c4a-4f5e-8d6b-1a2b3c4d5e6f"
FILE = """\
version: 1
policy: {{audience_conflicts: warn}}
environments:
  dev: {{org_id: {dev}}}
  prod: {{org_id: {prod}, until: 2027-01-15}}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows: [{{days: [mon-fri], start: "09:00", end: "17:00"}}]
    from: 2026-12-01
    until: 2027-01-31
  - campaign: Loyalty Upsell
    envs: [dev]
    time_zone: America/Chicago
    windows: [{{days: [mon-fri], start: "10:00", end: "12:00"}}]
    from: 2026-12-01
    until: 2027-01-31
"""


def _other_org(tmp_path: Path) -> SandboxState:
    """The demo org again under another org id, every object with another id."""
    path = tmp_path / "demo.json"
    SandboxState.demo().save(path)
    text = path.read_text(encoding="utf-8").replace(DEMO_ORG_ID, OTHER_ORG)
    data = json.loads(text)
    ids: dict[str, str] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            found = value.get("id")
            if isinstance(found, str) and found not in (OTHER_ORG, DEFAULT_CLIENT_ID):
                ids.setdefault(found, str(uuid.uuid5(uuid.NAMESPACE_URL, found)))
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    for old, new in ids.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return SandboxState.load(path)


def _connect(app: Any, state_dir: Path) -> Any:
    return gcsched.connect(
        api_url="http://org.test",
        transport=httpx.ASGITransport(app=app),
        credentials=Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        state_dir=state_dir,
        today=lambda: TODAY,
    )


def _file(tmp_path: Path, dev: str, prod: str) -> Path:
    path = tmp_path / "teams.yaml"
    path.write_text(FILE.format(dev=dev, prod=prod), encoding="utf-8")
    return path


async def test_names_resolve_per_org_and_envs_limit_schedules(tmp_path: Path) -> None:
    path = _file(tmp_path, DEMO_ORG_ID, OTHER_ORG)
    dev_app = create_app(SandboxState.demo(), rate_limit=0)
    prod_app = create_app(_other_org(tmp_path), rate_limit=0)
    async with _connect(dev_app, tmp_path / "dev") as org:
        dev = (await org.plan(load(path, env="dev"))).plan
    async with _connect(prod_app, tmp_path / "prod") as org:
        prod = (await org.plan(load(path, env="prod"))).plan
    assert (dev.org_id, dev.environment) == (DEMO_ORG_ID, "dev")
    assert (prod.org_id, prod.environment) == (OTHER_ORG, "prod")
    assert sorted(c.target_name for c in dev.changes if c.action == "create") == [
        "Loyalty Upsell",
        "Q4 Renewals",
    ]
    assert [c.target_name for c in prod.changes if c.action == "create"] == [
        "Q4 Renewals"
    ]
    dev_id = next(c.target_id for c in dev.changes if c.target_name == "Q4 Renewals")
    prod_id = next(c.target_id for c in prod.changes if c.target_name == "Q4 Renewals")
    assert dev_id != prod_id  # the same name, each org's own id
    assert dev.data()["environment"] == "dev"
    assert dev.checksum() != prod.checksum()


async def test_the_org_id_guard_refuses_another_org(tmp_path: Path) -> None:
    path = _file(tmp_path, DEMO_ORG_ID, OTHER_ORG)
    state = SandboxState.demo()
    before = json.loads(json.dumps(state.schedules))
    async with _connect(create_app(state, rate_limit=0), tmp_path / "s") as org:
        with pytest.raises(OrgMismatchError) as caught:
            await org.plan(load(path, env="prod"))
        with pytest.raises(OrgMismatchError):
            await org.apply(load(path, env="prod"))
        with pytest.raises(OrgMismatchError):
            await org.adopt(load(path, env="prod"), ["Q4 Renewals"])
    assert caught.value.exit_code == 3
    assert f"environment prod is org {OTHER_ORG}" in caught.value.message
    assert DEMO_ORG_ID in caught.value.message
    assert state.schedules == before  # nothing written


async def test_a_schedule_its_envs_exclude_is_deleted_there(tmp_path: Path) -> None:
    """Owned in dev, then limited to prod: dev plans it as a delete."""
    path = _file(tmp_path, DEMO_ORG_ID, OTHER_ORG)
    app = create_app(SandboxState.demo(), rate_limit=0)
    async with _connect(app, tmp_path / "dev") as org:
        done = await org.apply(load(path, env="dev"))
        assert done.ok, done.run
        path.write_text(
            path.read_text(encoding="utf-8").replace("envs: [dev]", "envs: [prod]"),
            encoding="utf-8",
        )
        again = (await org.plan(load(path, env="dev"))).plan
    assert [(c.action, c.target_name) for c in again.changes] == [
        ("delete", "Loyalty Upsell")
    ]
