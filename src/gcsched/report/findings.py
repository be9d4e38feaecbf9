"""Calling-hour findings in a report: attached to the value, drawn as a panel.

`with_compliance` adds the findings and each row's no-call spans to a report
(`gcsched.api.compliance.report_compliance` computes them); `findings_panel` is
the HTML section listing them; the timeline shades each row's no-call time
(``nc`` in the page data).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from html import escape

from gcsched.domain.compliance import ComplianceReport
from gcsched.report.model import Report

__all__ = ["findings_panel", "with_compliance"]


def with_compliance(
    report: Report,
    compliance: ComplianceReport,
    no_call: Mapping[str, tuple[tuple[datetime, datetime], ...]],
) -> Report:
    """`report` with the findings, their warnings and each row's no-call spans."""
    rows = tuple(
        dataclasses.replace(row, no_call=no_call.get(row.label, ()))
        for row in report.rows
    )
    return dataclasses.replace(
        report,
        rows=rows,
        compliance=compliance,
        warnings=(*report.warnings, *compliance.warnings()),
    )


def findings_panel(report: Report) -> str:
    """The findings as an HTML section ("" when the file asks for no check)."""
    compliance = report.compliance
    if compliance is None:
        return ""
    if not compliance.findings:
        body = "<p>No window reaches outside the legal hours of its contacts.</p>"
    else:
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                "status",
                "schedule",
                "region",
                "zone",
                "first exposure (contact-local)",
                "min/week",
                "allowed",
                "rule",
            )
        )
        rows = []
        for f in compliance.findings:
            status = (
                "error"
                if f.status == "violation" and compliance.mode == "enforce"
                else f.status
            )
            more = f" (+{f.days - 1} days)" if f.days > 1 else ""
            cells = (
                status,
                f.schedule,
                f.region,
                f.zone if f.contacts is None else f"{f.zone} ({f.contacts:,} contacts)",
                f.sample + more,
                str(f.minutes_per_week),
                f.allowed,
                f"{f.rule_id}: {f.citation}",
            )
            rows.append(
                f'<tr class="finding {status}">'
                + "".join(f"<td>{escape(c)}</td>" for c in cells)
                + "</tr>"
            )
        body = (
            f'<table class="findings"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        '<section class="panel" aria-labelledby="hours-h">'
        f'<h2 id="hours-h">Calling hours ({len(compliance.findings)} '
        f"finding(s), mode {escape(compliance.mode)})</h2>{body}"
        '<p class="muted">Contact-local legal hours from the rule packs '
        f"({escape(', '.join(compliance.packs))}); shaded on each row: when some "
        "of its contacts may not be called. Research, not legal advice.</p>"
        "</section>"
    )
