"""`gcsched drift FILE [--json] [--since 7d]` against the embedded sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import EXAMPLE, run

from gcsched.cli.drift_cmd import parse_since
from gcsched.sandbox import SandboxState, entity_id


@pytest.fixture
def state(tmp_path: Path) -> str:
    """A state dir whose embedded org has the example applied."""
    where = str(tmp_path / "state")
    applied = run("apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", where)
    assert applied.exit_code == 0, applied.output
    return where


def _colleague_edits(state: str, user: str) -> None:
    """`user` moves Win-back's schedule to another zone "in the UI"."""
    path = Path(state) / "sandbox.json"
    org = SandboxState.load(path)
    org.edit_behind_back(
        "campaigns",
        entity_id("campaign", "Win-back"),
        {"timeZone": "America/Denver"},
        user=user,
    )
    org.save(path)


def test_no_drift_after_an_apply_exits_0(state: str) -> None:
    result = run("drift", str(EXAMPLE), "--sandbox", "--state-dir", state)
    assert result.exit_code == 0, result.output
    assert "No drift" in result.output
    assert "11 schedule(s)" in result.output


def test_a_colleagues_edit_exits_4_and_names_who_and_what(state: str) -> None:
    _colleague_edits(state, "Jane Admin")
    result = run("drift", str(EXAMPLE), "--sandbox", "--state-dir", state)
    assert result.exit_code == 4, result.output
    text = result.output
    assert "campaign Win-back: edited outside gcsched" in text
    assert "who: Jane Admin" in text
    assert "timeZone: America/New_York → America/Denver" in text
    assert "1 external change(s) added to the audit log" in text
    shown = run("audit", "show", "--run", "external", "--state-dir", state)
    assert shown.exit_code == 0
    assert "Win-back" in shown.output  # the table wraps its columns
    assert "Jane" in shown.output
    verified = run("audit", "verify", "--state-dir", state)
    assert verified.exit_code == 0, verified.output


def test_json_shape(state: str) -> None:
    _colleague_edits(state, "Jane Admin")
    result = run(
        "drift",
        str(EXAMPLE),
        "--json",
        "--since",
        "2d",
        "--sandbox",
        "--state-dir",
        state,
    )
    assert result.exit_code == 4, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "org",
        "file",
        "checked",
        "window",
        "drift",
        "notes",
        "recorded",
    }
    assert data["checked"] == 11
    (found,) = data["drift"]
    assert set(found) == {
        "family",
        "target",
        "how",
        "version_written",
        "version_now",
        "when",
        "authors",
        "fields",
        "changes",
        "note",
    }
    assert found["target"]["name"] == "Win-back"
    assert found["authors"] == ["Jane Admin"]
    assert found["changes"][0]["author"] == {
        "kind": "user",
        "id": found["changes"][0]["author"]["id"],
        "name": "Jane Admin",
    }
    assert found["changes"][0]["properties"] == ["timeZone"]


def test_bad_since_is_a_usage_error(state: str) -> None:
    result = run(
        "drift", str(EXAMPLE), "--since", "soon", "--sandbox", "--state-dir", state
    )
    assert result.exit_code == 2
    assert "--since" in result.output


@pytest.mark.parametrize(
    ("text", "hours"), [("30m", 0.5), ("12h", 12), ("7d", 168), (" 2w ", 336)]
)
def test_parse_since(text: str, hours: float) -> None:
    assert parse_since(text).total_seconds() == hours * 3600


@pytest.mark.parametrize("text", ["0d", "400d", "7", "d7", "7y"])
def test_parse_since_refuses(text: str) -> None:
    import typer

    with pytest.raises(typer.BadParameter):
        parse_since(text)


def test_without_the_audit_permission_the_author_is_unknown(state: str) -> None:
    _colleague_edits(state, "Jane Admin")
    path = Path(state) / "sandbox.json"
    org = SandboxState.load(path)
    everything = {"outbound:campaign:view", "outbound:schedule:view"} | {
        f"outbound:{kind}:view"
        for kind in (
            "messagingCampaign",
            "campaignSequence",
            "callableTimeSet",
            "contactList",
            "emailCampaignSchedule",
            "messagingCampaignSchedule",
            "whatsAppCampaignSchedule",
        )
    }
    org.clients["sandbox-client-id"].permissions = frozenset(everything)
    org.save(path)
    result = run("drift", str(EXAMPLE), "--sandbox", "--state-dir", state)
    assert result.exit_code == 4, result.output
    assert "who: unknown" in result.output
    assert "note: changed, author unknown (needs audits:audit:view)" in result.output
    assert "note: the platform audit trail was not read" in result.output
