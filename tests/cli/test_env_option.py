"""`--env NAME` and `plan --env all` from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import run

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from gcsched.sandbox.demo import DEMO_ORG_ID, DEMO_SEED

sys.path.insert(0, str(Path(__file__).parents[1]))
from served_sandbox import served_sandbox

OTHER_ORG = "0b9e2d71-3c4a-4f5e-8d6b-1a2b3c4d5e6f"
FILE = """\
version: 1
environments:
  dev: {{api_url: "{dev}", org_id: {dev_org}}}
  eu-prod: {{api_url: "{prod}", org_id: {prod_org}}}
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows: [{{days: [mon-fri], start: "09:00", end: "17:00"}}]
    from: 2026-12-01
    until: 2027-01-31
"""


def _env(**extra: str) -> dict[str, str]:
    return {
        "GENESYSCLOUD_OAUTHCLIENT_ID_DEV": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET_DEV": DEFAULT_CLIENT_SECRET,
        "GENESYSCLOUD_OAUTHCLIENT_ID_EU_PROD": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET_EU_PROD": DEFAULT_CLIENT_SECRET,
        "GENESYSCLOUD_OAUTHCLIENT_ID": "",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": "",
        "GCSCHED_API_URL": "",
        "GENESYSCLOUD_REGION": "",
        **extra,
    }


def _write(tmp_path: Path, **urls: str) -> Path:
    path = tmp_path / "teams.yaml"
    values = {"dev": "http://127.0.0.1:9", "prod": "http://127.0.0.1:9"}
    values.update(urls)
    values.setdefault("dev_org", DEMO_ORG_ID)
    values.setdefault("prod_org", OTHER_ORG)
    path.write_text(FILE.format(**values), encoding="utf-8")
    return path


def test_a_file_with_environments_needs_env(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = run("plan", str(path), "--state-dir", str(tmp_path / "s"), env=_env())
    assert result.exit_code == 2
    assert "names environments dev, eu-prod: choose one with --env NAME" in (
        result.stderr
    )


def test_apply_takes_one_environment(tmp_path: Path) -> None:
    path = _write(tmp_path)
    result = run(
        "apply",
        str(path),
        "--env",
        "all",
        "--yes",
        "--state-dir",
        str(tmp_path),
        env=_env(),
    )
    assert result.exit_code == 2
    assert "--env all is for plan only" in result.stderr


def test_env_all_on_a_file_without_environments(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(FILE.split("environments:", maxsplit=1)[0] + "schedules: []\n")
    result = run("plan", str(path), "--env", "all", env=_env())
    assert result.exit_code == 2
    assert "names no environments" in result.stderr


@pytest.fixture(scope="module")
def two_orgs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    seed = tmp_path_factory.mktemp("seed") / "other.json"
    other = json.loads(json.dumps(DEMO_SEED))
    other["org"] = {"name": "Acme EU (sandbox)", "id": OTHER_ORG, "domain": "eu"}
    seed.write_text(json.dumps(other), encoding="utf-8")
    with (
        served_sandbox("--rate-limit", "0") as dev,
        served_sandbox("--rate-limit", "0", "--seed", str(seed)) as prod,
    ):
        yield dev, prod


def test_plan_env_all_plans_every_org(
    tmp_path: Path, two_orgs: tuple[str, str]
) -> None:
    dev, prod = two_orgs
    path = _write(tmp_path, dev=dev, prod=prod)
    out = tmp_path / "plans.json"
    result = run(
        "plan",
        str(path),
        "--env",
        "all",
        "--detailed-exitcode",
        "--markdown",
        "--out",
        str(out),
        "--state-dir",
        str(tmp_path / "s"),
        env=_env(),
    )
    assert result.exit_code == 4, result.output
    text = result.stdout
    assert f"(sandbox\\) (`{DEMO_ORG_ID}`), environment dev" in text
    assert f"(`{OTHER_ORG}`), environment eu-prod" in text
    assert f"gcsched apply {path} --env eu-prod --checksum" in text
    assert "environment dev: exit code 4" in text
    assert "environment eu-prod: exit code 4" in text
    document = json.loads(out.read_text())
    assert document["exit_code"] == 4
    plans = {e["environment"]: e["plan"] for e in document["environments"]}
    assert plans["dev"]["org"]["id"] == DEMO_ORG_ID
    assert plans["eu-prod"]["org"]["id"] == OTHER_ORG
    assert plans["dev"]["environment"] == "dev"
    assert text.count("--checksum") == 2  # one reviewed checksum per environment


def test_plan_env_all_exit_code_is_the_highest(
    tmp_path: Path, two_orgs: tuple[str, str]
) -> None:
    """eu-prod's org_id names another org: refused (3) there, 0 in dev."""
    dev, prod = two_orgs
    path = _write(tmp_path, dev=dev, prod=prod, prod_org="someone-else")
    result = run(
        "plan",
        str(path),
        "--env",
        "all",
        "--json",
        "--state-dir",
        str(tmp_path / "s"),
        env=_env(),
    )
    assert result.exit_code == 3, result.output
    document = json.loads(result.stdout)
    codes = {e["environment"]: e["exit_code"] for e in document["environments"]}
    assert codes == {"dev": 0, "eu-prod": 3}
    (refused,) = [e for e in document["environments"] if e["error"]]
    assert "environment eu-prod is org someone-else" in refused["error"]


def test_plan_one_environment_connects_with_its_credentials(
    tmp_path: Path, two_orgs: tuple[str, str]
) -> None:
    dev, prod = two_orgs
    path = _write(tmp_path, dev=dev, prod=prod)
    wrong = _env(GENESYSCLOUD_OAUTHCLIENT_SECRET_EU_PROD="not-the-secret")
    ok = run("plan", str(path), "--env", "dev", "--state-dir", str(tmp_path), env=wrong)
    assert ok.exit_code == 0, ok.output
    assert "environment dev" in ok.stdout
    refused = run(
        "plan", str(path), "--env", "eu-prod", "--state-dir", str(tmp_path), env=wrong
    )
    assert refused.exit_code == 1, refused.output  # its own (wrong) secret was used


def test_plan_env_all_as_text_on_the_sandbox(tmp_path: Path) -> None:
    """Every environment against the embedded sandbox: one section each."""
    path = tmp_path / "envs.yaml"
    path.write_text(
        FILE.replace('{{api_url: "{dev}", org_id: {dev_org}}}', "{{}}")
        .replace('{{api_url: "{prod}", org_id: {prod_org}}}', "{{until: 2027-01-15}}")
        .format(),
        encoding="utf-8",
    )
    out = tmp_path / "plans.json"
    args = (
        "plan",
        str(path),
        "--env",
        "all",
        "--sandbox",
        "--state-dir",
        str(tmp_path),
    )
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Plan for org Acme Outbound (sandbox)") == 2
    assert ", environment dev" in result.stdout
    assert "environment eu-prod: exit code 0" in result.stdout
    pending = run(*args, "--detailed-exitcode", "--out", str(out))
    assert pending.exit_code == 4, pending.output
    assert json.loads(out.read_text())["exit_code"] == 4


@pytest.mark.parametrize("form", ["--json", "--markdown"])
def test_plan_env_all_on_the_sandbox_one_refused(tmp_path: Path, form: str) -> None:
    path = tmp_path / "envs.yaml"
    path.write_text(
        FILE.replace('{{api_url: "{dev}", org_id: {dev_org}}}', "{{}}")
        .replace('{{api_url: "{prod}", org_id: {prod_org}}}', "{{org_id: elsewhere}}")
        .format(),
        encoding="utf-8",
    )
    result = run(
        "plan",
        str(path),
        "--env",
        "all",
        form,
        "--sandbox",
        "--state-dir",
        str(tmp_path),
    )
    assert result.exit_code == 3, result.output
    if form == "--json":
        codes = [e["exit_code"] for e in json.loads(result.stdout)["environments"]]
        assert codes == [0, 3]
    else:
        assert "(sandbox\\) (`" in result.stdout
        assert "environment eu-prod: error: environment eu-prod is org elsewhere" in (
            result.stderr
        )
        assert "environment eu-prod: exit code 3" in result.stdout
