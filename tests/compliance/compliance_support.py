"""Helpers: a schedule file as text, validated, and its calling-hour findings."""

from __future__ import annotations

import textwrap
from datetime import date

from gcsched.api.validation import Validation, validate
from gcsched.config import loads
from gcsched.domain.compliance import ComplianceReport, Finding


def file_text(
    *,
    zone: str,
    contacts: str | None,
    days: str,
    start: str,
    end: str,
    from_: str,
    until: str,
    purpose: str = "telemarketing",
    extra: str = "",
    policy: str = "",
) -> str:
    contacts_line = f"    contacts: {contacts}\n" if contacts else ""
    return textwrap.dedent(
        f"""\
        version: 1
        policy:
          purpose: {purpose}
        {policy}
        schedules:
          - campaign: Outbound
            time_zone: {zone}
        """
    ) + (
        f"{contacts_line}"
        f"    windows:\n"
        f'      - {{days: [{days}], start: "{start}", end: "{end}"}}\n'
        f"    from: {from_}\n"
        f"    until: {until}\n"
        f"{extra}"
    )


def check_text(text: str) -> Validation:
    return validate(loads(text, "f.yaml"), today=date(2026, 1, 1))


def report_of(text: str) -> ComplianceReport:
    result = check_text(text)
    assert result.compliance is not None
    return result.compliance


def finding(report: ComplianceReport, zone: str, rule: str) -> Finding:
    found = [f for f in report.findings if f.zone == zone and f.rule_id == rule]
    assert len(found) == 1, [(f.zone, f.rule_id) for f in report.findings]
    return found[0]


def rules_hit(report: ComplianceReport, zone: str) -> set[str]:
    return {f.rule_id for f in report.findings if f.zone == zone}
