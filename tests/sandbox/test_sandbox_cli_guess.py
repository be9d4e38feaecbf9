"""`gcsched sandbox serve --guess NAME=VALUE`: parsing and what the server then does."""

from __future__ import annotations

import httpx
import pytest
from sdk_server import running_sandbox
from typer.testing import CliRunner

from gcsched.cli.app import app
from gcsched.sandbox import Guesses


@pytest.mark.parametrize(
    ("guess", "message"),
    [
        ("nope=1", "unknown guess 'nope'"),
        ("schedule_name=lost", "use one of kept, dropped"),
        ("listing_page_size", "expected NAME=VALUE"),
    ],
)
def test_bad_guess_exits_2_with_one_line(guess: str, message: str) -> None:
    """A bad --guess is refused before anything is served: exit 2, one line."""
    result = CliRunner().invoke(
        app, ["sandbox", "serve", "--port", "0", "--guess", guess]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "serving" not in result.output


def test_repeated_guesses_reach_the_server() -> None:
    """Every --guess is in force in the served sandbox (and shown in its stats)."""
    with running_sandbox(
        "--guess", "schedule_name=dropped", "--guess", "token_status=400"
    ) as url:
        stats = httpx.get(f"{url}/sandbox/stats").json()
        bad = httpx.post(
            f"{url}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client-id", "wrong"),
        )
    assert (
        stats["guesses"]
        == Guesses.parse(["schedule_name=dropped", "token_status=400"]).to_json()
    )
    assert bad.status_code == 400
