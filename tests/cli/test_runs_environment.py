"""`gcsched runs list` and `runs show` name each run's environment (and the
run a revert reverts)."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from gcsched.api import StatePaths
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal
from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from gcsched.sandbox.demo import DEMO_ORG_ID
from served_sandbox import served_sandbox


def test_runs_list_and_show_name_the_environment(tmp_path: Path) -> None:
    change = ChangeSpec(
        "create", Family.CAMPAIGNS, "campaign", "t1", "T1", None, None, {}
    )
    with Journal.open(StatePaths.at(tmp_path).journal) as journal:
        common = {
            "org_id": "o1",
            "org_name": "Org",
            "checksum": "c" * 64,
            "plan": {},
            "steps": [change],
        }
        prod = journal.create_run(
            file_path="envs.yaml", file_sha256="1" * 64, environment="eu-prod",
            **common,
        )  # fmt: skip
        revert = journal.create_run(
            file_path=f"revert of {prod.id}", file_sha256="2" * 64,
            environment="eu-prod", reverts=prod.id, **common,
        )  # fmt: skip
        plain = journal.create_run(
            file_path="plain.yaml", file_sha256="3" * 64, **common
        )
    listed = run("--state-dir", str(tmp_path), "runs", "list", env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    envs = {
        cells[1].strip(): cells[4].strip()
        for line in listed.output.splitlines()
        if "│" in line and (cells := line.split("│"))[1].strip().startswith("r")
    }
    assert envs == {prod.id: "eu-prod", revert.id: "eu-prod", plain.id: "-"}
    shown = run("--state-dir", str(tmp_path), "runs", "show", revert.id)
    assert shown.exit_code == 0, shown.output
    assert f"environment eu-prod, reverts {prod.id}, file" in " ".join(
        shown.output.split()
    )
    bare = run("--state-dir", str(tmp_path), "runs", "show", plain.id)
    assert "environment" not in bare.output
    assert "reverts" not in bare.output


PLAIN_FILE = """version: 1
policy: {min_existing: 0, max_change_fraction: 1, audience_conflicts: warn}
schedules:
  - campaign: Win-back
    time_zone: America/New_York
    windows: [{days: [mon-fri], start: "16:00", end: "20:00"}]
    from: 2026-12-01
    until: 2027-02-26
"""
ENV_FILE = PLAIN_FILE.replace(
    "schedules:", f"environments:\n  prod: {{org_id: {DEMO_ORG_ID}}}\nschedules:"
)


def test_a_revert_uses_the_credentials_of_the_runs_environment(
    tmp_path: Path,
) -> None:
    """Only prod's credentials are set (`..._ID_PROD`): the revert of a prod
    run finds them without a file; another --env is a usage error."""
    file = tmp_path / "s.yaml"
    file.write_text(ENV_FILE)
    state = str(tmp_path / "state")
    creds = {
        "GENESYSCLOUD_OAUTHCLIENT_ID_PROD": DEFAULT_CLIENT_ID,
        "GENESYSCLOUD_OAUTHCLIENT_SECRET_PROD": DEFAULT_CLIENT_SECRET,
    }
    with served_sandbox("--rate-limit", "0") as url:
        where = ("--api-url", url, "--insecure-http", "--state-dir", state)
        applied = run("apply", str(file), "--env", "prod", "--yes", *where, env=creds)
        assert applied.exit_code == 0, applied.output
        with Journal.open(Path(state) / "journal.sqlite") as journal:
            (first,) = journal.list_runs()
        assert first.environment == "prod"
        wrong = run("runs", "revert", first.id, "--env", "dev", "--yes", *where)
        assert wrong.exit_code == 2, wrong.output
        assert "applied in environment prod, not dev" in " ".join(wrong.output.split())
        done = run("runs", "revert", first.id, "--yes", *where, env=creds)
        assert done.exit_code == 0, done.output
        with Journal.open(Path(state) / "journal.sqlite") as journal:
            latest = journal.list_runs()[0]
    assert (latest.reverts, latest.environment) == (first.id, "prod")
    assert latest.status == "succeeded"


def test_a_revert_of_a_run_without_environment_takes_no_env(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(PLAIN_FILE)
    state = str(tmp_path / "state")
    applied = run("apply", str(file), "--yes", "--sandbox", "--state-dir", state)
    assert applied.exit_code == 0, applied.output
    with Journal.open(Path(state) / "journal.sqlite") as journal:
        (first,) = journal.list_runs()
    assert first.environment is None
    wrong = run(
        "runs",
        "revert",
        first.id,
        "--env",
        "prod",
        "--yes",
        "--sandbox",
        "--state-dir",
        state,
    )
    assert wrong.exit_code == 2, wrong.output
    text = " ".join(wrong.output.split())
    assert "applied with a file without environments, not prod: drop --env" in text
