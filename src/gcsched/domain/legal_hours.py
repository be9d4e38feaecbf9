"""Calling-hour rules as the pure domain sees them: plain frozen values.

The config layer reads rule packs (YAML shipped in `gcsched/rulepacks/`, or the
user's own) and builds these; `gcsched.domain.compliance` checks schedules
against them. Hours are contact-local wall-clock minutes of the day, half-open
``[start, end)`` (end 1440 is midnight), one tuple of spans per ISO weekday.

Holiday calendars are defined by their rules (a fixed date, "the last Monday in
May", Easter + n days) with an observed-day shift, and evaluated here per year;
a calendar covers a declared range of years, and the check warns when a
schedule runs past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil.easter import easter

from gcsched.domain.purposes import PURPOSES, Purpose

__all__ = [
    "DAY_MINUTES",
    "OBSERVED",
    "PURPOSES",
    "TIERS",
    "DayRule",
    "HolidayCalendar",
    "LegalRule",
    "MinuteSpan",
    "Observed",
    "Purpose",
    "Tier",
    "calendar_days",
    "clock",
    "covers_region",
    "hours_text",
    "rule_date",
]

DAY_MINUTES = 24 * 60

Tier = Literal["primary", "summary", "vendor"]
TIERS: tuple[Tier, ...] = ("primary", "summary", "vendor")
Observed = Literal["none", "sunday_to_monday", "nearest_weekday"]
OBSERVED: tuple[Observed, ...] = ("none", "sunday_to_monday", "nearest_weekday")

MinuteSpan = tuple[int, int]
"""``[start, end)`` in minutes after local midnight; 0 <= start < end <= 1440."""

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class DayRule:
    """One holiday of a calendar, by its rule.

    Exactly one form: a fixed `month`/`day`; a `weekday` (ISO 1-7) of `month`,
    the `nth` one (1-5, or -1 for the last), counted from day `on_or_after`
    of the month (default 1); or `easter` days after Western Easter Sunday
    (negative: before). `since`/`until` bound the years it exists (inclusive).
    """

    name: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    on_or_after: int = 1
    easter: int | None = None
    since: int | None = None
    until: int | None = None


def _nth_weekday(year: int, rule: DayRule) -> date | None:
    assert rule.month is not None
    assert rule.weekday is not None
    assert rule.nth is not None
    if rule.nth < 0:
        next_month = date(year + rule.month // 12, rule.month % 12 + 1, 1)
        last = next_month - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - rule.weekday) % 7)
    first = date(year, rule.month, rule.on_or_after)
    found = first + timedelta(days=(rule.weekday - first.isoweekday()) % 7)
    found += timedelta(weeks=rule.nth - 1)
    return found if found.month == rule.month else None


def rule_date(rule: DayRule, year: int) -> date | None:
    """The date `rule` falls on in `year` (None: not that year)."""
    if (rule.since is not None and year < rule.since) or (
        rule.until is not None and year > rule.until
    ):
        return None
    if rule.easter is not None:
        return easter(year) + timedelta(days=rule.easter)
    if rule.weekday is not None:
        return _nth_weekday(year, rule)
    assert rule.month is not None
    assert rule.day is not None
    return date(year, rule.month, rule.day)


def _observed(day: date, mode: Observed) -> date:
    weekday = day.isoweekday()
    if mode == "none" or weekday < 6:
        return day
    if weekday == 7:
        return day + timedelta(days=1)
    return day - timedelta(days=1) if mode == "nearest_weekday" else day


def calendar_days(
    rules: Iterable[DayRule], years: range, observed: Observed = "none"
) -> frozenset[date]:
    """Every date of the rules over `years`; a shifted holiday keeps both days.

    Keeping the day itself as well as its observed day is the stricter reading
    (a call ban on either); docs/compliance.md says so.
    """
    days: set[date] = set()
    for rule in rules:
        for year in years:
            found = rule_date(rule, year)
            if found is not None:
                days.add(found)
                days.add(_observed(found, observed))
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """A named set of whole days on which a rule bans calls.

    Attributes:
        name: how rules and `policy.compliance.freeze` name it.
        title: what it is, for people.
        days: its dates over the years it covers.
        first_year: the first year it covers.
        last_year: the last year it covers (inclusive).
        source: how it is defined ("rules", or the `holidays` package and
            country it comes from).
    """

    name: str
    title: str
    days: frozenset[date]
    first_year: int
    last_year: int
    source: str = "rules"

    def covers(self, day: date) -> bool:
        """True when `day` lies in the years this calendar knows."""
        return self.first_year <= day.year <= self.last_year


@dataclass(frozen=True, slots=True)
class LegalRule:
    """One calling-hour rule of a pack.

    Attributes:
        id: unique across the packs loaded, e.g. ``us-tcpa``.
        pack: the pack it came from.
        jurisdiction: ISO 3166 code it applies in: a country (``US``, every
            subdivision) or a subdivision (``US-FL``).
        purposes: the call purposes it covers.
        hours: allowed contact-local spans per ISO weekday (index 0 = Monday);
            an empty tuple bans the day.
        banned_calendars: names of calendars whose days are banned whole.
        caps: informational limits (not checked: gcsched sees no call counts).
        effective_from: first local date it applies (None: always has).
        effective_until: last local date it applies, inclusive (None: open).
        citation: the legal text it rests on.
        source_url: where that was read.
        tier: how reliable the source is: primary law, summary, vendor table.
        verified_on: when the rule was last compared with its source.
        note: caveats, in a sentence.
    """

    id: str
    pack: str
    jurisdiction: str
    purposes: frozenset[str]
    hours: tuple[tuple[MinuteSpan, ...], ...]
    citation: str
    source_url: str
    tier: Tier
    verified_on: date
    banned_calendars: tuple[str, ...] = ()
    caps: tuple[str, ...] = ()
    effective_from: date | None = None
    effective_until: date | None = None
    note: str = ""

    def applies_in(self, region: str) -> bool:
        """True when the rule's jurisdiction is `region` or contains it."""
        return covers_region(self.jurisdiction, region)

    def in_force(self, day: date) -> bool:
        """True when the rule applies on local date `day`."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    def hours_on(self, day: date) -> tuple[MinuteSpan, ...]:
        """The allowed spans on `day` by weekday alone (calendars not applied)."""
        return self.hours[day.weekday()]


def covers_region(jurisdiction: str, region: str) -> bool:
    """True when `jurisdiction` (``US`` or ``US-FL``) includes `region`."""
    return region == jurisdiction or region.startswith(jurisdiction + "-")


def clock(minutes: int) -> str:
    """``HH:MM`` for minutes after midnight (1440 is ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _spans_text(spans: tuple[MinuteSpan, ...]) -> str:
    if not spans:
        return "no calls"
    return ", ".join(f"{clock(a)}–{clock(b)}" for a, b in spans)


def hours_text(rule: LegalRule) -> str:
    """The weekly hours in a line: ``Mon–Fri 09:00–21:00; Sat–Sun no calls``."""
    parts: list[str] = []
    start = 0
    for index in range(1, 8):
        if index < 7 and rule.hours[index] == rule.hours[start]:
            continue
        days = (
            _DAY_ABBR[start]
            if index - 1 == start
            else f"{_DAY_ABBR[start]}–{_DAY_ABBR[index - 1]}"
        )
        parts.append(f"{days} {_spans_text(rule.hours[start])}")
        start = index
    text = "every day " + parts[0].split(" ", 1)[1] if len(parts) == 1 else ""
    text = text or "; ".join(parts)
    if rule.banned_calendars:
        text += "; no calls on " + ", ".join(rule.banned_calendars)
    return text
