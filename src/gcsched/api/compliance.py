"""The calling-hour check of a schedule file, wired for validate, plan and apply.

When it runs (the start-up choice, docs/compliance.md): only when
``policy.compliance.mode`` is not ``off`` and a schedule has a `purpose` (its
own or ``policy.purpose``): the purpose selects the rules, so a file that
declares none is not checked and never loads the packs. Each schedule's
contacts are its `contacts`, else ``policy.contacts``, else the country of its
time zone (with a note saying so). At plan time (and in ``report --live``) the
zones checked are those the campaign's contact list really spans, from the
org's time-zone mapping preview (`gcsched.domain.list_audience`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from gcsched.domain.compliance import (
    ComplianceHook,
    ComplianceReport,
    ContactLocalGuard,
    ContactTarget,
    Finding,
    GuardLookup,
    ListAudience,
    ZoneLookup,
    calendar_gaps,
    check_schedule,
    no_call_spans,
)
from gcsched.domain.dst import zone as load_zone
from gcsched.domain.expansion import Expansion
from gcsched.domain.legal_hours import HolidayCalendar, LegalRule
from gcsched.domain.list_audience import live_targets
from gcsched.domain.model import DayRange, Schedule, ScheduleFile
from gcsched.domain.purposes import needs_check

if TYPE_CHECKING:
    from gcsched.engine.live import LiveCalendar
    from gcsched.report import Report

__all__ = [
    "GuardProvider",
    "RegionRules",
    "compliance_hook",
    "file_compliance",
    "live_report_compliance",
    "needs_check",
    "report_compliance",
    "show_rules",
]

GuardProvider = GuardLookup
"""Campaign (target) id → the org's contact-local guard for it, or None."""


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


@dataclass(frozen=True, slots=True)
class _Audience:
    """One schedule's contacts as the check sees them."""

    purpose: str
    targets: tuple[ContactTarget, ...]
    rules: dict[str, tuple[LegalRule, ...]]
    calendars: tuple[str, ...]


class _Checker:
    """The packs, regions and freeze calendars of one file, loaded once."""

    def __init__(self, file: ScheduleFile) -> None:
        from gcsched.config.regions import region_table
        from gcsched.config.rule_packs import load_packs

        self.file = file
        policy = file.policy
        self.packs = load_packs(
            policy.compliance.packs, base=os.path.dirname(os.path.abspath(file.path))
        )
        self.table = region_table()
        self.freeze = _freeze(policy.compliance.freeze, file.calendars)
        self.notes: list[str] = []
        self._by_zone: dict[str, tuple[str, ...]] | None = None

    def regions_of(self, zone: str) -> tuple[str, ...]:
        """The known regions that span `zone`: the subdivisions listing it,
        else its country (zone1970.tab); () for a zone of no country."""
        if self._by_zone is None:
            by_zone: dict[str, list[str]] = {}
            for code, zones in self.table.subdivisions.items():
                for z in zones:
                    by_zone.setdefault(z, []).append(code)
            self._by_zone = {z: tuple(codes) for z, codes in by_zone.items()}
        found = self._by_zone.get(zone)
        if found:
            return found
        country = self.table.country_of(zone)
        return () if country is None else (country,)

    def audience(
        self, schedule: Schedule, seen: ListAudience | None = None
    ) -> _Audience | None:
        """The schedule's purpose, targets and rules (None: not checked).

        `seen`, read from the org at plan time, says which zones the
        campaign's contacts are in (`gcsched.domain.list_audience`).
        """
        from gcsched.config.zone_links import LINKS

        policy = self.file.policy
        label = schedule.label
        purpose = schedule.purpose or policy.purpose
        if purpose is None:
            self.notes.append(f"{label}: no purpose (nor policy.purpose): not checked")
            return None
        if seen is not None and seen.counts is not None:
            counts: dict[str, int] = {}
            for zone, count in seen.counts.items():
                name = LINKS.get(zone, zone)
                counts[name] = counts.get(name, 0) + count
            seen = replace(seen, counts=counts)
        previewed = seen is not None and seen.counts is not None
        regions = schedule.contacts or policy.contacts
        written = regions is not None
        if regions is None:
            zone = LINKS.get(schedule.time_zone, schedule.time_zone)
            country = self.table.country_of(zone)
            if country is None and not previewed:
                self.notes.append(
                    f"{label}: no contacts, and {schedule.time_zone} belongs to no "
                    "country: not checked; add contacts: [REGION, ...]"
                )
                return None
            if not previewed:
                self.notes.append(
                    f"{label}: no contacts: checked as if every contact were in "
                    f"{country}, the country of {schedule.time_zone}; say "
                    "contacts: [REGION, ...]"
                )
            regions = () if country is None else (country,)
        targets: tuple[ContactTarget, ...] = tuple(
            ContactTarget(written_as, region, z)
            for written_as in regions
            for region, zones in self.table.expand(written_as)
            for z in zones
        )
        if seen is not None:
            targets, notes = live_targets(
                label, targets, seen, self.regions_of, written=written
            )
            self.notes.extend(notes)
        rules: dict[str, tuple[LegalRule, ...]] = {}
        uncovered: list[str] = []
        for target in targets:
            if target.region not in rules:
                found = self.packs.rules_for(target.region, purpose)
                rules[target.region] = found
                if not found:
                    uncovered.append(target.region)
        if uncovered:
            names = ", ".join(p for p, _, _ in self.packs.packs)
            self.notes.append(
                f"{label}: no rule pack covers {', '.join(uncovered)} for "
                f"purpose {purpose} (packs: {names})"
            )
        calendars = tuple(
            sorted({c for rs in rules.values() for r in rs for c in r.banned_calendars})
        )
        return _Audience(purpose, targets, rules, calendars)

    def check(
        self,
        schedule: Schedule,
        audience: _Audience,
        spans: Sequence[tuple[datetime, datetime]],
        guard: ContactLocalGuard | None,
    ) -> tuple[Finding, ...]:
        """The findings of one schedule, and notes for calendars it outruns."""
        calendars = self.packs.calendars(audience.calendars)
        self.notes.extend(
            calendar_gaps(
                spans, schedule=schedule.label, calendars=list(calendars.values())
            )
        )
        return check_schedule(
            spans,
            schedule=schedule.label,
            targets=audience.targets,
            rules=audience.rules,
            calendars=calendars,
            freeze=self.freeze,
            guard=guard,
            guarded_by=schedule.guarded_by == "genesys",
        )

    def report(self, findings: Sequence[Finding]) -> ComplianceReport:
        """The report of the file."""
        return ComplianceReport(
            mode=self.file.policy.compliance.mode,
            findings=tuple(findings),
            notes=tuple(self.notes),
            packs=tuple(p for p, _, _ in self.packs.packs),
        )


def file_compliance(
    file: ScheduleFile,
    expansions: Sequence[Expansion],
    *,
    guards: GuardProvider | None = None,
    target_ids: Mapping[str, str] | None = None,
    zones: ZoneLookup | None = None,
) -> ComplianceReport | None:
    """Check every expanded schedule of `file` against the calling-hour rules.

    Args:
        file: the schedule file (policy, calendars, each schedule's keys).
        expansions: the schedules' occurrences (from the domain check).
        guards: the org's guards by campaign id (None offline).
        target_ids: schedule label → its campaign id (for `guards`, `zones`).
        zones: where each campaign's contacts are, from the org's time-zone
            mapping previews (None offline: the file's regions).

    Returns:
        The report, or None when the file asks for no check.

    Raises:
        ConfigError: a pack named in the file is missing or invalid.
    """
    if not needs_check(file):
        return None
    checker = _Checker(file)
    findings: list[Finding] = []
    for expansion in expansions:
        schedule = expansion.schedule
        target = (target_ids or {}).get(schedule.label)
        seen = None if zones is None or target is None else zones(target)
        audience = checker.audience(schedule, seen)
        if audience is None:
            continue
        guard = None
        if guards is not None and target is not None:
            guard = guards(target)
        spans = [(o.start, o.end) for o in expansion.occurrences]
        findings.extend(checker.check(schedule, audience, spans, guard))
    return checker.report(findings)


def _row_compliance(
    checker: _Checker,
    value: Report,
    schedules: Sequence[Schedule],
    guard_of: Callable[[str], ContactLocalGuard | None],
    seen_of: Callable[[str], ListAudience | None],
) -> Report:
    """`value` with the findings of `schedules` (matched to rows by label) and
    each row's no-call spans."""
    from gcsched.report.findings import with_compliance

    findings: list[Finding] = []
    no_call: dict[str, tuple[tuple[datetime, datetime], ...]] = {}
    by_label = {s.label: s for s in schedules}
    for row in value.rows:
        schedule = by_label.get(row.label)
        if schedule is None:
            continue
        audience = checker.audience(schedule, seen_of(row.label))
        if audience is None:
            continue
        spans = [(o.start, o.end) for o in row.occurrences]
        findings.extend(checker.check(schedule, audience, spans, guard_of(row.label)))
        tz = load_zone(row.zone)
        low = datetime.combine(value.start, time(), tz).astimezone(UTC)
        high = datetime.combine(value.end + timedelta(days=1), time(), tz).astimezone(
            UTC
        )
        no_call[row.label] = no_call_spans(
            (low, high),
            targets=audience.targets,
            rules=audience.rules,
            calendars=checker.packs.calendars(audience.calendars),
            freeze=checker.freeze,
        )
    return with_compliance(value, checker.report(findings), no_call)


def _nothing(_label: str) -> None:
    return None


def report_compliance(file: ScheduleFile, value: Report) -> Report:
    """`value` (a file's report) with its calling-hour findings and, on each
    row, the time some of its contacts may not be called (offline: no guard).

    A file that asks for no check gets `value` back unchanged.
    """
    if not needs_check(file):
        return value
    return _row_compliance(_Checker(file), value, file.schedules, _nothing, _nothing)


def live_report_compliance(
    value: Report,
    calendar: LiveCalendar,
    *,
    file: ScheduleFile | None = None,
    purpose: str | None = None,
) -> Report:
    """`value` (the org's report, `report --live`) with calling-hour findings.

    The campaigns `file` schedules take its purpose, contacts and
    ``guarded_by`` (a schedule's own, else the file's ``policy``); `purpose`
    is the purpose of the rest, whose contacts are where their lists' time-zone
    mapping previews say (else the country of their zone). ``policy.compliance``
    (mode, packs, freeze) comes from `file`, else the defaults (``warn``, the
    packs on by default). Zones and guards come from the org
    (`calendar.guards`); a schedule with no purpose is not checked, said in one
    note.

    Raises:
        InputError: `purpose` is not a known purpose.
        ConfigError: a pack the file names is missing or invalid.
    """
    from gcsched.domain.model import Policy
    from gcsched.domain.purposes import PURPOSES
    from gcsched.errors import InputError

    if purpose is not None and purpose not in PURPOSES:
        msg = f"unknown purpose {purpose!r}; use one of {', '.join(PURPOSES)}"
        raise InputError(msg)
    policy = file.policy if file is not None else Policy()
    if policy.compliance.mode == "off":
        return value
    target_ids = calendar.target_ids
    named = (
        {}
        if file is None
        else {(s.target.kind, s.target.ref): s for s in file.schedules}
    )
    checked: list[Schedule] = []
    unchecked: list[str] = []
    for live in calendar.schedules:
        kind = live.target.kind
        ours = named.get((kind, live.label)) or named.get(
            (kind, target_ids.get(live.label, live.label))
        )
        if ours is not None:
            chosen = replace(
                live,
                purpose=ours.purpose or policy.purpose or purpose,
                contacts=ours.contacts or policy.contacts,
                guarded_by=ours.guarded_by,
            )
        else:
            chosen = replace(live, purpose=purpose, contacts=None, guarded_by=None)
        if chosen.purpose is None:
            unchecked.append(live.label)
        else:
            checked.append(chosen)
    scope = ScheduleFile(
        path=file.path if file is not None else "<live>",
        sha256="",
        schedules=tuple(checked),
        policy=replace(policy, purpose=None, contacts=None),
        calendars=file.calendars if file is not None else (),
    )
    checker = _Checker(scope)
    if unchecked:
        checker.notes.append(
            f"not checked (no purpose: give --purpose, or a purpose in --file): "
            f"{', '.join(unchecked)}"
        )
    guards = calendar.guards

    def guard_of(label: str) -> ContactLocalGuard | None:
        target = target_ids.get(label)
        return None if guards is None or target is None else guards.guard_for(target)

    def seen_of(label: str) -> ListAudience | None:
        target = target_ids.get(label)
        return None if guards is None or target is None else guards.zones_for(target)

    result = _row_compliance(checker, value, checked, guard_of, seen_of)
    if guards is None or not guards.warnings:
        return result
    return replace(result, warnings=(*result.warnings, *guards.warnings))


def compliance_hook(
    file: ScheduleFile, guards: GuardProvider | None
) -> ComplianceHook | None:
    """The check as the engine's plan asks for it (None: the file asks for none).

    The plan passes the guards it read from the org (automatic time-zone
    mapping, callable time sets) and the zones each campaign's contacts are in
    (time-zone mapping previews); `guards`, when given (``plan(...,
    guards=...)`` or ``Connection.guard_provider``), is used instead of the
    read guards.
    """
    if not needs_check(file):
        return None

    def hook(
        expansions: Sequence[Expansion],
        target_ids: Mapping[str, str],
        live: GuardLookup | None,
        zones: ZoneLookup | None,
    ) -> ComplianceReport | None:
        chosen = guards if guards is not None else live
        return file_compliance(
            file, expansions, guards=chosen, target_ids=target_ids, zones=zones
        )

    return hook


@dataclass(frozen=True, slots=True)
class RegionRules:
    """What `gcsched rules show REGION` prints for one region."""

    region: str
    zones: tuple[str, ...]
    rules: tuple[LegalRule, ...]
    calendars: tuple[HolidayCalendar, ...]


def show_rules(
    region: str | None = None,
    *,
    packs: Sequence[str] | None = None,
    purpose: str | None = None,
) -> tuple[RegionRules, ...]:
    """The rules of the packs, per region (`gcsched rules show`).

    Args:
        region: an ISO 3166 region (a country lists each of its subdivisions
            with their own rules); None: every rule, under its jurisdiction.
        packs: pack names or paths (default: the packs on by default).
        purpose: only rules for this purpose.

    Raises:
        InputError: an unknown region.
        ConfigError: an unknown or invalid pack.
    """
    from gcsched.config.regions import region_table
    from gcsched.config.rule_packs import load_packs
    from gcsched.domain.purposes import PURPOSES
    from gcsched.errors import InputError

    if purpose is not None and purpose not in PURPOSES:
        msg = f"unknown purpose {purpose!r}; use one of {', '.join(PURPOSES)}"
        raise InputError(msg)
    pack_set = load_packs(packs)
    table = region_table()
    rules = [
        r for r in pack_set.rules.values() if purpose is None or purpose in r.purposes
    ]
    if region is None:
        places = sorted({r.jurisdiction for r in rules})
        pairs = [
            (p, table.countries.get(p) or table.subdivisions.get(p, ())) for p in places
        ]
        chosen = [
            (p, zones, [r for r in rules if r.jurisdiction == p]) for p, zones in pairs
        ]
    else:
        if not table.known(region):
            msg = f"unknown region {region!r}: {table.suggest(region)}"
            raise InputError(msg)
        chosen = [
            (code, zones, [r for r in rules if r.applies_in(code)])
            for code, zones in table.expand(region)
        ]
    result: list[RegionRules] = []
    for code, zones, found in chosen:
        names = sorted({c for r in found for c in r.banned_calendars})
        result.append(
            RegionRules(
                code,
                tuple(zones),
                tuple(found),
                tuple(pack_set.calendars(names).values()),
            )
        )
    return tuple(result)
