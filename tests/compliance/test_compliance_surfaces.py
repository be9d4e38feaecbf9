"""Where findings show: validate, plan (JSON, Markdown, text), apply, report,
`gcsched rules show`, and the plan's guard provider."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date, time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import gcsched
from gcsched.cli.app import app, hoist_globals
from gcsched.errors import ComplianceRefusedError


def run(*args: str) -> Result:
    """The CLI as the console script runs it (global options hoisted)."""
    return CliRunner().invoke(app, hoist_globals(list(args)), catch_exceptions=False)


TODAY = date(2026, 11, 27)


def _file(tmp_path: Path, *, mode: str = "warn", extra: str = "") -> Path:
    path = tmp_path / "hours.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            version: 1
            policy:
              purpose: telemarketing
              compliance: {{mode: {mode}}}
            schedules:
              - campaign: Q4 Renewals
                time_zone: America/New_York
                contacts: [US-FL]
                windows:
                  - {{days: [mon-fri], start: "09:00", end: "21:00"}}
                from: 2026-12-07
                until: 2026-12-11
            {extra}"""
        ),
        encoding="utf-8",
    )
    return path


def test_validate_warns_under_warn_and_refuses_under_enforce(tmp_path: Path) -> None:
    warn = run("validate", str(_file(tmp_path)))
    assert warn.exit_code == 0, warn.output
    assert "calling hours: Q4 Renewals: dials US-FL contacts" in warn.output
    enforce = run("validate", str(_file(tmp_path, mode="enforce")))
    assert enforce.exit_code == 3, enforce.output
    assert "error: calling hours:" in enforce.output
    assert "refused by policy.compliance.mode: enforce" in enforce.output
    data = json.loads(
        run("validate", "--json", str(_file(tmp_path, mode="enforce"))).output
    )
    assert data["valid"] is False
    assert data["compliance_mode"] == "enforce"
    assert {f["rule"] for f in data["compliance"]} == {"us-fl"}


def test_the_example_and_files_without_purpose_are_unchanged() -> None:
    result = run(
        "validate", "--json", str(Path(__file__).parents[2] / "examples" / "q4.yaml")
    )
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert (data["compliance"], data["compliance_mode"]) == ([], "off")


def test_plan_shows_findings_in_text_json_and_markdown(tmp_path: Path) -> None:
    path = _file(tmp_path, mode="enforce")
    state = ["--sandbox", "--state-dir", str(tmp_path / "state")]
    text = run(*state, "plan", str(path))
    assert text.exit_code == 3, text.output
    assert "error: calling hours: Q4 Renewals: dials US-FL" in text.output
    data = json.loads(run(*state, "plan", "--json", str(path)).output)
    assert [f["rule"] for f in data["compliance"]] == ["us-fl"]
    assert data["compliance"][0]["status"] == "violation"
    markdown = run(*state, "plan", "--markdown", str(path)).output
    assert "### Calling hours (contact-local)" in markdown
    assert r"| error | Q4 Renewals | US\-FL | America/New\_York |" in markdown
    apply = run(*state, "apply", "--yes", str(path))
    assert apply.exit_code == 3, apply.output
    assert "calling-hour violation(s) are refused" in apply.output


class _Guard:
    def __init__(self, end: time) -> None:
        self.end = end

    def windows(self, zone: str, day: date) -> tuple[tuple[time, time], ...] | None:
        return ((time(8), self.end),)


@pytest.mark.anyio
async def test_a_guard_provider_decides_guarded_or_violation(tmp_path: Path) -> None:
    path = _file(tmp_path, mode="enforce", extra="    guarded_by: genesys\n")
    asked: list[str] = []

    def tight(campaign_id: str) -> _Guard:
        asked.append(campaign_id)
        return _Guard(time(20))

    async with gcsched.connect(sandbox=True, state_dir=tmp_path / "s") as org:
        # the plan reads the org's guards: Retail Renewals maps time zones with
        # the default 08:00-21:00 window, wider than Florida's 20:00
        live = await org.plan(path, today=TODAY)
        assert live.plan.compliance is not None
        assert [f.status for f in live.plan.compliance.findings] == ["violation"]
        guarded = await org.plan(path, today=TODAY, guards=tight)
        assert guarded.plan.compliance is not None
        assert [f.status for f in guarded.plan.compliance.findings] == ["guarded"]
        assert asked
        assert all(asked)
        assert "guarded: Q4 Renewals" in "\n".join(
            line for _, line in gcsched.plan.render_text(guarded.plan)
        )
        org.guard_provider = lambda _id: _Guard(time(21))
        wide = await org.plan(path, today=TODAY)
        assert wide.plan.compliance_errors
        with pytest.raises(ComplianceRefusedError):
            await org.apply(path, today=TODAY, confirm=lambda _plan: True)


def test_report_json_and_html_carry_the_findings(tmp_path: Path) -> None:
    path = _file(tmp_path)
    out = tmp_path / "r.json"
    assert run("report", str(path), "--format", "json", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert [f["rule"] for f in data["compliance"]] == ["us-fl"]
    assert data["schedules"][0]["compliance"] == data["compliance"]
    html = tmp_path / "r.html"
    assert run("report", str(path), "-o", str(html)).exit_code == 0
    page = html.read_text()
    assert 'aria-labelledby="hours-h"' in page
    assert "us-fl: Fla. Stat." in page
    assert 'class="sw nocall"' in page
    payload = json.loads(
        re.search(r'id="gcsched-data">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    no_call = payload["rows"][0]["nc"]
    assert no_call
    assert all(len(span) == 4 for span in no_call)


def test_report_of_a_file_with_no_findings(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        _file(tmp_path).read_text().replace('end: "21:00"', 'end: "17:00"'),
        encoding="utf-8",
    )
    html = tmp_path / "r.html"
    assert run("report", str(path), "-o", str(html)).exit_code == 0
    assert "No window reaches outside the legal hours" in html.read_text()


def test_rules_show_prints_citations() -> None:
    texas = run("rules", "show", "US-TX")
    assert texas.exit_code == 0
    assert "us-tx [telemarketing]: Mon–Sat 09:00–21:00; Sun 12:00–21:00" in texas.output
    assert "Tex. Bus. & Com. Code 301.051" in texas.output
    assert "not legal advice" in texas.output
    louisiana = run("rules", "show", "US-LA", "--purpose", "telemarketing")
    assert "calendar us-la-holidays" in louisiana.output
    assert "us-reg-f" not in louisiana.output
    data = json.loads(run("rules", "show", "CA", "--json").output)
    assert {item["region"] for item in data} >= {"CA-BC", "CA-ON"}
    bc = next(item for item in data if item["region"] == "CA-BC")
    assert {r["id"] for r in bc["rules"]} == {"ca-crtc", "ca-bc"}
    everything = run("rules", "show", "--pack", "us-states-vendor")
    assert "US-KY" in everything.output
    assert "cap (not checked)" not in everything.output
    nowhere = run("rules", "show", "JP")
    assert "no rule in the packs" in nowhere.output
    assert run("rules", "show", "XX").exit_code == 2
    assert run("rules", "show", "US", "--purpose", "sales").exit_code == 2
