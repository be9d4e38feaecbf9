"""`gcsched runs list` and `runs show` name each run's environment (and the
run a revert reverts)."""

from __future__ import annotations

from pathlib import Path

from cli_support import run

from gcsched.api import StatePaths
from gcsched.genesys import ChangeSpec, Family
from gcsched.journal import Journal


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
