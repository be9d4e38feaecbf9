"""Offline validation and reports of a schedule file (no network)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from gcsched.config.loader import load
from gcsched.domain.audience_note import audience_note
from gcsched.domain.conflicts import CheckResult, check
from gcsched.domain.model import DayRange, Policy, Schedule, ScheduleFile
from gcsched.domain.purposes import needs_check

if TYPE_CHECKING:
    from gcsched.domain.compliance import ComplianceReport, Finding
    from gcsched.report import Report

__all__ = ["Validation", "render_report", "report", "validate"]


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome of `validate`: the file, its check, and warnings."""

    file: ScheduleFile
    check: CheckResult
    warnings: tuple[str, ...]
    audience_warning: str = ""
    """Offline, audiences come only from the file (or are missing): the plan,
    which reads the org's contact lists, may find conflicts this check does not
    (the same words `report` shows; "" never happens offline with schedules)."""
    compliance: ComplianceReport | None = None
    """The calling-hour check (None when the file asks for none); offline, so
    no guard is known: ``guarded_by: genesys`` findings are `unverified`."""

    @property
    def rejected(self) -> tuple[object, ...]:
        """Audience conflicts the policy refuses."""
        return tuple(c for c in self.check.conflicts if c.resolution == "reject")

    @property
    def compliance_errors(self) -> tuple[Finding, ...]:
        """Calling-hour violations that refuse the file (mode ``enforce``)."""
        return () if self.compliance is None else self.compliance.errors


def validate(
    file: ScheduleFile | str | os.PathLike[str],
    *,
    today: date,
    environ: Mapping[str, str] | None = None,
    spans: bool = True,
) -> Validation:
    """Validate a schedule file offline: schema, zones, DST, overlaps, conflicts.

    `spans=False` keeps only each conflicting pair's sums (`check.pairs`),
    not every overlap (`check.conflicts`, then empty): what a reader of the
    pairs alone needs, without an object per overlap.

    Raises:
        ConfigError: every problem in the file at once.
    """
    schedule_file = file if isinstance(file, ScheduleFile) else load(file)
    env = os.environ if environ is None else environ
    result = check(
        schedule_file.schedules, schedule_file.policy, today=today, spans=spans
    )
    warnings = [
        f"webhook {endpoint.url}: the environment variable {endpoint.secret_env} "
        "is not set; `gcsched apply` will refuse to run without it"
        for endpoint in schedule_file.webhooks
        if not env.get(endpoint.secret_env)
    ]
    kinds = {s.target.kind for s in schedule_file.schedules}
    if {"campaign", "sequence"} <= kinds:
        warnings.append(
            "the file schedules sequences and campaigns: which campaigns are a "
            "sequence's members is known only in the org, and `gcsched plan` warns "
            "when one of them is also scheduled on its own"
        )
    note = audience_note(schedule_file.schedules, None, by="validate")
    hours = None
    if needs_check(schedule_file):  # the rules load only for a file that asks
        from gcsched.api.compliance import file_compliance

        hours = file_compliance(schedule_file, result.expansions)
    extra = () if hours is None else hours.warnings()
    return Validation(
        schedule_file,
        result,
        (*schedule_file.warnings, *result.warnings, *warnings, *extra),
        note,
        hours,
    )


def report(
    schedules: Sequence[Schedule],
    policy: Policy,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    title: str = "",
    source: str = "",
    calendars: Sequence[tuple[str, tuple[DayRange, ...]]] = (),
    audiences: Mapping[str, frozenset[str]] | None = None,
    sizes: Mapping[str, int] | None = None,
    list_names: Mapping[str, str] | None = None,
) -> Report:
    """The calendar of `schedules` (a file's, or the org's live ones).

    Offline (no `audiences`) the check knows only the schedules' `audience:`
    keys, and the report says so in `Report.audience_warning` (a banner in
    HTML, first of the JSON warnings); `Connection.live_calendar()` gives the
    org's audiences, sizes and list names, as the plan uses them.

    Args:
        schedules: what to draw.
        policy: how conflicts resolve (the file's policy).
        today: the date open-ended schedules start from.
        start: the first day shown (default: each schedule's own range).
        end: the last day shown.
        title: the report's title.
        source: where the schedules came from (a path, or "live org").
        calendars: the file's named calendars, drawn as holidays.
        audiences: label → contact list ids read from the org.
        sizes: contact list id → size.
        list_names: contact list id → name.
    """
    from gcsched.report import build_report

    return build_report(
        schedules,
        policy,
        today=today,
        start=start,
        end=end,
        title=title,
        source=source,
        calendars=calendars,
        audiences=audiences,
        sizes=sizes,
        list_names=list_names,
    )


def render_report(value: Report, fmt: str) -> bytes:
    """`value` as `json`, `html` or `ics` bytes."""
    import json

    from gcsched.report import to_html, to_ics, to_json

    if fmt == "json":
        return (
            json.dumps(to_json(value), indent=2, ensure_ascii=False) + "\n"
        ).encode()
    if fmt == "html":
        return to_html(value).encode()
    if fmt == "ics":
        return to_ics(value)
    msg = f"unknown report format {fmt!r}; use html, json or ics"
    raise ValueError(msg)
