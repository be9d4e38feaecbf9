"""The calling-hour check of a schedule file, wired for validate, plan and apply.

When it runs (the start-up choice, docs/compliance.md): only when
``policy.compliance.mode`` is not ``off`` and a schedule has a `purpose` (its
own or ``policy.purpose``): the purpose selects the rules, so a file that
declares none is not checked and never loads the packs. Each schedule's
contacts are its `contacts`, else ``policy.contacts``, else the country of its
time zone (with a note saying so).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from gcsched.domain.compliance import (
    ComplianceHook,
    ComplianceReport,
    ContactLocalGuard,
    ContactTarget,
    Finding,
    calendar_gaps,
    check_schedule,
)
from gcsched.domain.expansion import Expansion
from gcsched.domain.legal_hours import HolidayCalendar, LegalRule
from gcsched.domain.model import DayRange, ScheduleFile

__all__ = ["GuardProvider", "compliance_hook", "file_compliance", "needs_check"]

GuardProvider = Callable[[str], ContactLocalGuard | None]
"""Campaign (target) id → the org's contact-local guard for it, or None."""


def needs_check(file: ScheduleFile) -> bool:
    """True when the file asks for the calling-hour check (see the module doc)."""
    policy = file.policy
    if policy.compliance.mode == "off":
        return False
    return policy.purpose is not None or any(
        s.purpose is not None for s in file.schedules
    )


def _freeze(
    names: Sequence[str], calendars: Sequence[tuple[str, tuple[DayRange, ...]]]
) -> tuple[HolidayCalendar, ...]:
    by_name = dict(calendars)
    result: list[HolidayCalendar] = []
    for name in names:
        days: set[date] = set()
        for item in by_name.get(name, ()):
            day = item.start
            while day <= item.end:
                days.add(day)
                day = date.fromordinal(day.toordinal() + 1)
        result.append(HolidayCalendar(name, name, frozenset(days), 1, 9999, "file"))
    return tuple(result)


def file_compliance(
    file: ScheduleFile,
    expansions: Sequence[Expansion],
    *,
    guards: GuardProvider | None = None,
    target_ids: Mapping[str, str] | None = None,
) -> ComplianceReport | None:
    """Check every expanded schedule of `file` against the calling-hour rules.

    Args:
        file: the schedule file (policy, calendars, each schedule's keys).
        expansions: the schedules' occurrences (from the domain check).
        guards: the org's guards by campaign id (None offline).
        target_ids: schedule label → its campaign id (for `guards`).

    Returns:
        The report, or None when the file asks for no check.

    Raises:
        ConfigError: a pack named in the file is missing or invalid.
    """
    if not needs_check(file):
        return None
    from gcsched.config.regions import region_table
    from gcsched.config.rule_packs import load_packs
    from gcsched.config.zone_links import LINKS

    policy = file.policy
    packs = load_packs(
        policy.compliance.packs, base=os.path.dirname(os.path.abspath(file.path))
    )
    table = region_table()
    freeze = _freeze(policy.compliance.freeze, file.calendars)
    findings: list[Finding] = []
    notes: list[str] = []
    for expansion in expansions:
        schedule = expansion.schedule
        label = schedule.label
        purpose = schedule.purpose or policy.purpose
        if purpose is None:
            notes.append(f"{label}: no purpose (nor policy.purpose): not checked")
            continue
        regions = schedule.contacts or policy.contacts
        if regions is None:
            zone = LINKS.get(schedule.time_zone, schedule.time_zone)
            country = table.country_of(zone)
            if country is None:
                notes.append(
                    f"{label}: no contacts, and {schedule.time_zone} belongs to no "
                    "country: not checked; add contacts: [REGION, ...]"
                )
                continue
            notes.append(
                f"{label}: no contacts: checked as if every contact were in "
                f"{country}, the country of {schedule.time_zone}; say "
                "contacts: [REGION, ...]"
            )
            regions = (country,)
        targets: list[ContactTarget] = []
        rules: dict[str, tuple[LegalRule, ...]] = {}
        uncovered: list[str] = []
        for written in regions:
            for region, zones in table.expand(written):
                found = packs.rules_for(region, purpose)
                rules[region] = found
                if not found:
                    uncovered.append(region)
                targets.extend(ContactTarget(written, region, z) for z in zones)
        if uncovered:
            notes.append(
                f"{label}: no rule pack covers {', '.join(uncovered)} for "
                f"purpose {purpose} (packs: {', '.join(p for p, _, _ in packs.packs)})"
            )
        spans = [(o.start, o.end) for o in expansion.occurrences]
        guard = None
        if guards is not None and target_ids is not None and label in target_ids:
            guard = guards(target_ids[label])
        findings.extend(
            check_schedule(
                spans,
                schedule=label,
                targets=targets,
                rules=rules,
                calendars=packs.calendars(
                    c for rs in rules.values() for r in rs for c in r.banned_calendars
                ),
                freeze=freeze,
                guard=guard,
                guarded_by=schedule.guarded_by == "genesys",
            )
        )
        used = sorted(
            {c for rs in rules.values() for r in rs for c in r.banned_calendars}
        )
        notes.extend(
            calendar_gaps(
                spans,
                schedule=label,
                calendars=list(packs.calendars(used).values()),
            )
        )
    return ComplianceReport(
        mode=policy.compliance.mode,
        findings=tuple(findings),
        notes=tuple(notes),
        packs=tuple(p for p, _, _ in packs.packs),
    )


def compliance_hook(
    file: ScheduleFile, guards: GuardProvider | None
) -> ComplianceHook | None:
    """The check as the engine's plan asks for it (None: the file asks for none).

    The lead wires the org's guards with one line: ``Connection.guard_provider
    = ...`` (or ``plan(..., guards=...)``).
    """
    if not needs_check(file):
        return None

    def hook(
        expansions: Sequence[Expansion], target_ids: Mapping[str, str]
    ) -> ComplianceReport | None:
        return file_compliance(file, expansions, guards=guards, target_ids=target_ids)

    return hook
