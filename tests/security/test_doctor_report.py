"""`gcsched doctor --json` (with the probe) holds no secret, nor does the journal."""

from __future__ import annotations

import json
import os
from pathlib import Path

from security_scan import files_under, find_leaks
from typer.testing import CliRunner

from gcsched.cli.app import app
from served_sandbox import served_sandbox

CLIENT_ID = "doctor-canary-client"
SECRET = "canary-doctor-secret-0b7e2c"


def test_doctor_json_and_state_hold_no_secret(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "defaultClient": False,
                "clients": [{"id": CLIENT_ID, "secret": SECRET}],
                "contactLists": [{"name": "L", "size": 1}],
                "campaigns": [
                    {"name": "Scratch", "contactList": "L", "dialingMode": "preview"}
                ],
            }
        )
    )
    state = tmp_path / "state"
    with served_sandbox("--seed", str(seed), "--rate-limit", "0") as url:
        env = {
            **os.environ,
            "GENESYSCLOUD_OAUTHCLIENT_ID": CLIENT_ID,
            "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET,
        }
        result = CliRunner().invoke(
            app,
            [
                "--api-url",
                url,
                "--state-dir",
                str(state),
                "doctor",
                "--probe",
                "Scratch",
                "--json",
            ],
            env=env,
        )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"org", "checks", "facts"}
    assert report["facts"]["token_error_status"] in (400, 401)
    blobs = {"doctor --json": result.stdout.encode(), **files_under(state)}
    assert not find_leaks(blobs, {"client secret": [SECRET]})
