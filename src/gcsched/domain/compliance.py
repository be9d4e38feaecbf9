"""The contact-local calling-hour check: which part of each window the law forbids.

A schedule runs in its own zone; the law counts hours where the contact is. For
each occurrence of a schedule, each contact region and every IANA zone that
region spans, the part of the occurrence whose contact-local wall time lies
outside a rule's allowed hours on that local date (banned weekdays, holiday
calendars and freeze calendars block whole days) is *exposed*. Exposure is
grouped per (schedule, region, zone, rule) into one `Finding`.

Guards (Genesys's own contact-local limits: automatic time-zone mapping, a
callable time set) enter through `ContactLocalGuard`. A finding is `guarded`
when the guard allows none of the exposed time, `violation` when it allows some
(or there is no guard), and `unverified` when the check runs offline for a
schedule that declares ``guarded_by: genesys``.

The interval algebra works on exact UTC instants: an occurrence is cut where
the contact zone's UTC offset changes, and within each piece wall time is UTC
plus a constant, so allowed wall-clock spans map back to UTC exactly (a
fall-back fold gives both readings; a spring-forward gap has no instants).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from gcsched.domain.dst import zone as load_zone
from gcsched.domain.expansion import Expansion
from gcsched.domain.intervals import Span, merge, subtract_all
from gcsched.domain.legal_hours import (
    DAY_MINUTES,
    HolidayCalendar,
    LegalRule,
    MinuteSpan,
    covers_region,
    hours_text,
)

__all__ = [
    "ComplianceHook",
    "ComplianceReport",
    "ContactLocalGuard",
    "ContactTarget",
    "Finding",
    "GuardLookup",
    "ListAudience",
    "Status",
    "ZoneLookup",
    "allowed_part",
    "calendar_gaps",
    "check_schedule",
    "exposed_part",
    "freeze_rule",
    "no_call_spans",
]

Status = Literal["violation", "guarded", "unverified"]
GuardLookup = Callable[[str], "ContactLocalGuard | None"]
"""Campaign (target) id → the org's contact-local guard for it, or None."""
ComplianceHook = Callable[
    [Sequence[Expansion], Mapping[str, str], "GuardLookup | None", "ZoneLookup | None"],
    "ComplianceReport | None",
]
"""How the engine asks for the check: the plan's expansions, each schedule
label's campaign id, the guards the plan read from the org and the zones each
campaign's contacts are in (both None: offline) in, the report (None: the file
asks for none) out."""
AllowedOn = Callable[[dt.date], tuple[MinuteSpan, ...]]

EVERYWHERE = "*"
"""The jurisdiction of a freeze rule: every region."""
_STEP = dt.timedelta(hours=6)  # no zone changes its offset twice within 6 h
_TICK = dt.timedelta(microseconds=1)
_ALL_DAY: tuple[MinuteSpan, ...] = ((0, DAY_MINUTES),)
_NONE: tuple[MinuteSpan, ...] = ()


class ContactLocalGuard(Protocol):
    """What the dialer itself allows, contact-local (read from the org)."""

    def windows(
        self, zone: str, day: dt.date
    ) -> tuple[tuple[dt.time, dt.time], ...] | None:
        """Contact-local [start, end) windows the dialer allows on local date `day`
        for contacts in IANA zone `zone`; None when this guard says nothing about
        that zone."""


@dataclass(frozen=True, slots=True)
class ContactTarget:
    """One place a schedule's contacts may be.

    Attributes:
        label: the region as the file wrote it (``US``); a finding names it
            when the rule covers all of it, else the subdivision.
        region: the ISO 3166 region rules are matched against (``US-FL``).
        zone: one IANA zone the region spans.
        contacts: how many of the campaign's contacts are in `zone`, from the
            org's time-zone mapping preview (None: not known).
    """

    label: str
    region: str
    zone: str
    contacts: int | None = None


@dataclass(frozen=True, slots=True)
class ListAudience:
    """The zones a campaign's contact lists span, as the org previews them.

    Attributes:
        lists: the lists in words, for notes (``contact list 'Retail Renewals'``).
        counts: IANA zone → contacts (``contactsPerTimeZone``, summed over the
            lists); None when a list has no preview (`missing` says why).
        unmapped: contacts no zone was found for (``contactsInDefaultWindow``).
        missing: why there is no preview (with `counts` None).
    """

    lists: str
    counts: Mapping[str, int] | None
    unmapped: int = 0
    missing: str = ""


ZoneLookup = Callable[[str], "ListAudience | None"]
"""Campaign (target) id → where its contacts are; None: not read (offline)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Exposure of one schedule to one rule in one region and zone, grouped.

    Attributes:
        schedule: the schedule's label.
        region: the region (see `ContactTarget.label`).
        zone: the contact zone.
        rule_id: the rule (``freeze:NAME`` for a freeze calendar).
        citation: the rule's legal citation.
        allowed: the rule's hours in words.
        first: the first exposed instant (UTC).
        last: the end of the last exposed span (UTC).
        minutes: exposed minutes in total (for `guarded`, what the guard holds
            back; else what it lets through).
        minutes_per_week: the most exposed minutes in one week (Monday to
            Sunday, by the contact-local date each exposed span starts on).
        days: contact-local dates with exposure.
        status: violation, guarded or unverified.
        sample: the first exposure in contact-local wall time.
        tier: the source tier of the rule.
        contacts: the contacts in `zone` (the list's time-zone mapping
            preview, read at plan time; None: not known).
    """

    schedule: str
    region: str
    zone: str
    rule_id: str
    citation: str
    allowed: str
    first: dt.datetime
    last: dt.datetime
    minutes: int
    minutes_per_week: int
    days: int
    status: Status
    sample: str
    tier: str = ""
    contacts: int | None = None

    def message(self) -> str:
        """One line for terminals, plans and warnings."""
        more = f" and {self.days - 1} more day(s)" if self.days > 1 else ""
        word = {
            "violation": "dials",
            "guarded": "would dial (held back by the org's guard)",
            "unverified": "dials unless the org's guard holds it back",
        }[self.status]
        where = self.zone
        if self.contacts is not None:
            where += f", {self.contacts:,} contacts"
        return (
            f"{self.schedule}: {word} {self.region} contacts ({where}) outside "
            f"legal hours: {self.sample}{more}, up to {self.minutes_per_week} "
            f"min/week; allowed {self.allowed} ({self.rule_id}: {self.citation})"
        )

    def data(self) -> dict[str, object]:
        """JSON-able, for `plan --json`, `validate --json` and reports."""
        return {
            "schedule": self.schedule,
            "region": self.region,
            "zone": self.zone,
            "rule": self.rule_id,
            "citation": self.citation,
            "tier": self.tier,
            "allowed": self.allowed,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "minutes": self.minutes,
            "minutes_per_week": self.minutes_per_week,
            "days": self.days,
            "status": self.status,
            "sample": self.sample,
            "contacts": self.contacts,
        }


def _offset(tz: dt.tzinfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None
    return offset


def _change(tz: dt.tzinfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """The first instant in (low, high] whose offset differs from low's."""
    before = _offset(tz, low)
    while high - low > _TICK:
        middle = low + (high - low) / 2
        if _offset(tz, middle) == before:
            low = middle
        else:
            high = middle
    return high


def _pieces(span: Span, tz: dt.tzinfo) -> list[tuple[Span, dt.timedelta]]:
    """`span` cut where the zone's UTC offset changes: (piece, offset) pairs."""
    start, end = span
    result: list[tuple[Span, dt.timedelta]] = []
    low = probe = start
    offset = _offset(tz, low)
    last = end - _TICK
    while probe < last:
        nxt = min(probe + _STEP, last)
        if _offset(tz, nxt) == offset:
            probe = nxt
            continue
        cut = _change(tz, probe, nxt)
        result.append(((low, cut), offset))
        low = probe = cut
        offset = _offset(tz, cut)
    result.append(((low, end), offset))
    return result


def allowed_part(span: Span, zone: str, allowed: AllowedOn) -> tuple[Span, ...]:
    """The instants of `span` whose wall time in `zone` the spans allow.

    Args:
        span: ``[start, end)`` in UTC (aware datetimes).
        zone: the contact's IANA zone.
        allowed: the allowed minute spans of a local date.

    Returns:
        Sorted, disjoint UTC spans inside `span`.
    """
    tz = load_zone(zone)
    found: list[Span] = []
    for (low, high), offset in _pieces(span, tz):
        wall_low = (low + offset).replace(tzinfo=None)
        wall_high = (high + offset).replace(tzinfo=None)
        day = wall_low.date()
        while day <= (wall_high - _TICK).date():
            midnight = dt.datetime.combine(day, dt.time())
            for a, b in allowed(day):
                s = max(midnight + dt.timedelta(minutes=a), wall_low)
                e = min(midnight + dt.timedelta(minutes=b), wall_high)
                if s < e:
                    found.append(
                        (
                            (s - offset).replace(tzinfo=dt.UTC),
                            (e - offset).replace(tzinfo=dt.UTC),
                        )
                    )
            day += dt.timedelta(days=1)
    return merge(found)


def exposed_part(span: Span, zone: str, allowed: AllowedOn) -> tuple[Span, ...]:
    """The instants of `span` whose wall time in `zone` the spans do not allow."""
    return subtract_all([span], allowed_part(span, zone, allowed))


def _rule_hours(rule: LegalRule, calendars: Mapping[str, HolidayCalendar]) -> AllowedOn:
    banned = [calendars[name] for name in rule.banned_calendars if name in calendars]

    def allowed(day: dt.date) -> tuple[MinuteSpan, ...]:
        if not rule.in_force(day):
            return _ALL_DAY
        if any(day in calendar.days for calendar in banned):
            return _NONE
        return rule.hours_on(day)

    return allowed


def _guard_hours(guard: ContactLocalGuard, zone: str) -> AllowedOn:
    def allowed(day: dt.date) -> tuple[MinuteSpan, ...]:
        windows = guard.windows(zone, day)
        if windows is None:
            return _ALL_DAY  # the guard says nothing: it holds nothing back
        spans: list[MinuteSpan] = []
        for start, end in windows:
            a = start.hour * 60 + start.minute
            b = end.hour * 60 + end.minute
            if b == 0:
                b = DAY_MINUTES  # "00:00" as an end is midnight
            if b > a:
                spans.append((a, b))
            elif b < a:  # past midnight: the two ends of the same local date
                spans.extend(((a, DAY_MINUTES), (0, b)))
        return tuple(sorted(spans))

    return allowed


def freeze_rule(calendar: HolidayCalendar) -> LegalRule:
    """A freeze calendar as a rule: every hour allowed but on its days."""
    return LegalRule(
        id=f"freeze:{calendar.name}",
        pack="policy",
        jurisdiction=EVERYWHERE,
        purposes=frozenset(),
        hours=(_ALL_DAY,) * 7,
        citation="policy.compliance.freeze",
        source_url="",
        tier="primary",
        verified_on=dt.date.min,
        banned_calendars=(calendar.name,),
    )


def _minutes(spans: Sequence[Span]) -> int:
    seconds = sum((e - s).total_seconds() for s, e in spans)
    return round(seconds / 60)


def _group(
    schedule: str,
    target: ContactTarget,
    rule: LegalRule,
    counted: Sequence[Span],
    status: Status,
) -> Finding:
    tz = load_zone(target.zone)
    whole = rule.jurisdiction == EVERYWHERE or covers_region(
        rule.jurisdiction, target.label
    )
    weeks: dict[tuple[int, int], float] = defaultdict(float)
    days: set[dt.date] = set()
    for start, end in counted:
        local = start.astimezone(tz)
        iso = local.isocalendar()
        weeks[(iso.year, iso.week)] += (end - start).total_seconds() / 60
        days.add(local.date())
        days.add((end - _TICK).astimezone(tz).date())
    first_start, first_end = counted[0]
    local_start = first_start.astimezone(tz)
    local_end = first_end.astimezone(tz)
    sample = (
        f"{local_start:%Y-%m-%d %a} {local_start:%H:%M}–{local_end:%H:%M} "
        f"{local_start.tzname()}"
    )
    return Finding(
        schedule=schedule,
        region=target.label if whole else target.region,
        zone=target.zone,
        rule_id=rule.id,
        citation=rule.citation,
        allowed=hours_text(rule),
        first=first_start,
        last=counted[-1][1],
        minutes=_minutes(counted),
        minutes_per_week=round(max(weeks.values())),
        days=len(days),
        status=status,
        sample=sample,
        tier=rule.tier,
        contacts=target.contacts,
    )


def check_schedule(
    occurrences: Sequence[Span],
    *,
    schedule: str,
    targets: Sequence[ContactTarget],
    rules: Mapping[str, Sequence[LegalRule]],
    calendars: Mapping[str, HolidayCalendar],
    freeze: Sequence[HolidayCalendar] = (),
    guard: ContactLocalGuard | None = None,
    guarded_by: bool = False,
) -> tuple[Finding, ...]:
    """Every finding of one schedule against the rules of its contact regions.

    Args:
        occurrences: the schedule's ``[start, end)`` UTC spans.
        schedule: its label, for findings.
        targets: the (region, zone) pairs its contacts may be in.
        rules: region → the rules that apply there for the schedule's purpose.
        calendars: holiday calendars by name (rules name them).
        freeze: calendars whose days are banned in every region.
        guard: the org's contact-local guard for this schedule, if read.
        guarded_by: the file says the org's guards hold contacts back
            (``guarded_by: genesys``); without a `guard` findings are
            `unverified`, not violations.

    Returns:
        One finding per (region label, zone, rule) with exposure, ordered by
        region, zone and rule.
    """
    spans = merge(occurrences)
    frozen = {c.name: c for c in freeze}
    all_calendars = {**calendars, **frozen}
    freeze_rules = [freeze_rule(c) for c in freeze]
    cache: dict[tuple[str, str], tuple[Span, ...]] = {}
    guard_cache: dict[tuple[str, Span], tuple[Span, ...]] = {}
    found: dict[tuple[str, str, str], Finding] = {}
    for target in targets:
        for rule in (*rules.get(target.region, ()), *freeze_rules):
            whole = rule.jurisdiction == EVERYWHERE or covers_region(
                rule.jurisdiction, target.label
            )
            key = (target.label if whole else target.region, target.zone, rule.id)
            if key in found:
                continue
            memo = (target.zone, rule.id)
            if memo not in cache:
                hours = _rule_hours(rule, all_calendars)
                cache[memo] = tuple(
                    part
                    for span in spans
                    for part in exposed_part(span, target.zone, hours)
                )
            exposed = cache[memo]
            if not exposed:
                continue
            status: Status
            counted: Sequence[Span] = exposed
            if guard is not None:
                hours = _guard_hours(guard, target.zone)
                through: list[Span] = []
                for part in exposed:
                    if (target.zone, part) not in guard_cache:
                        guard_cache[(target.zone, part)] = allowed_part(
                            part, target.zone, hours
                        )
                    through.extend(guard_cache[(target.zone, part)])
                status = "violation" if through else "guarded"
                counted = through or exposed
            else:
                status = "unverified" if guarded_by else "violation"
            found[key] = _group(schedule, target, rule, counted, status)
    return tuple(found[key] for key in sorted(found))


def calendar_gaps(
    occurrences: Sequence[Span],
    *,
    schedule: str,
    calendars: Sequence[HolidayCalendar],
) -> tuple[str, ...]:
    """Warnings for calendars the schedule's dates run past (UTC dates, ±1 day)."""
    if not occurrences:
        return ()
    first = min(s for s, _ in occurrences).date() - dt.timedelta(days=1)
    last = max(e for _, e in occurrences).date() + dt.timedelta(days=1)
    return tuple(
        f"{schedule}: holiday calendar {c.name} covers {c.first_year}–"
        f"{c.last_year}; the schedule runs {first.year}–{last.year}, so days "
        "outside those years are not checked for its holidays"
        for c in calendars
        if not (c.covers(first) and c.covers(last))
    )


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """The calling-hour check of a file: findings, notes, and how they count.

    Attributes:
        mode: ``enforce``, ``warn`` or ``off`` (from ``policy.compliance``).
        findings: every finding, by schedule, region, zone and rule.
        notes: warnings about the check itself (no contacts given, a region no
            pack covers, a calendar that ends before the schedule).
        packs: the packs used, by name.
    """

    mode: str
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()

    @property
    def violations(self) -> tuple[Finding, ...]:
        """Findings with status ``violation``."""
        return tuple(f for f in self.findings if f.status == "violation")

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Violations that refuse the file (``enforce`` only)."""
        return self.violations if self.mode == "enforce" else ()

    def warnings(self) -> tuple[str, ...]:
        """Notes, then the findings that are warnings (not errors, not guarded)."""
        return (
            *(f"calling hours: {note}" for note in self.notes),
            *(
                f"calling hours: {f.message()}"
                for f in self.findings
                if f.status == "unverified"
                or (f.status == "violation" and self.mode != "enforce")
            ),
        )

    def data(self) -> list[dict[str, object]]:
        """The findings as JSON-able data."""
        return [f.data() for f in self.findings]


def no_call_spans(
    span: Span,
    *,
    targets: Sequence[ContactTarget],
    rules: Mapping[str, Sequence[LegalRule]],
    calendars: Mapping[str, HolidayCalendar],
    freeze: Sequence[HolidayCalendar] = (),
) -> tuple[Span, ...]:
    """When some contact of the targets may not be called, within `span` (UTC):
    the union, over every region, zone and rule, of the time outside its hours
    (what a report shades on the schedule's row)."""
    all_calendars = {**calendars, **{c.name: c for c in freeze}}
    freeze_rules = [freeze_rule(c) for c in freeze]
    seen: set[tuple[str, str]] = set()
    parts: list[Span] = []
    for target in targets:
        for rule in (*rules.get(target.region, ()), *freeze_rules):
            if (target.zone, rule.id) in seen:
                continue
            seen.add((target.zone, rule.id))
            parts.extend(
                exposed_part(span, target.zone, _rule_hours(rule, all_calendars))
            )
    return merge(parts)
