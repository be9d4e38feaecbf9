"""Rule packs: YAML files of calling-hour rules, validated by pydantic models.

The shipped packs live in ``gcsched/rulepacks/*.yaml`` (package data); a file may
also name its own pack files by path (``policy.compliance.packs: [./ours.yaml]``).
A rule whose `id` an earlier pack already defined replaces it, so a user pack
overrides a shipped rule by reusing its id. Everything is converted to the plain
frozen dataclasses of `gcsched.domain.legal_hours`.

This module is imported only when a file asks for a compliance check: start-up
of every other file never reads the packs (nor the `holidays` package, which a
pack calendar uses only where the package's set is the statute's set).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gcsched.config.values import parse_day_token
from gcsched.domain.legal_hours import (
    DAY_MINUTES,
    OBSERVED,
    PURPOSES,
    DayRule,
    HolidayCalendar,
    LegalRule,
    MinuteSpan,
    Observed,
    Purpose,
    Tier,
    calendar_days,
)
from gcsched.errors import ConfigError, Problem

__all__ = [
    "PackSet",
    "load_packs",
    "shipped_pack_names",
]

_WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
_SPAN = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DayRuleModel(_Model):
    """One holiday by its rule (see `DayRule`)."""

    name: str
    date: Annotated[str, Field(pattern=r"^\d{2}-\d{2}$")] | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = None
    nth: Annotated[int, Field(ge=-1, le=5)] | None = None
    on_or_after: Annotated[int, Field(ge=1, le=31)] = 1
    easter: Annotated[int, Field(ge=-100, le=100)] | None = None
    since: int | None = None
    until: int | None = None

    def build(self) -> DayRule:
        forms = [
            self.date is not None,
            self.weekday is not None,
            self.easter is not None,
        ]
        if sum(forms) != 1:
            msg = f"{self.name}: give exactly one of date, weekday or easter"
            raise ValueError(msg)
        if self.date is not None:
            month, day = (int(p) for p in self.date.split("-"))
            date(2024, month, day)  # raises for 02-30 and the like
            return DayRule(
                self.name, month=month, day=day, since=self.since, until=self.until
            )
        if self.weekday is not None:
            if self.month is None or self.nth is None or self.nth == 0:
                msg = f"{self.name}: weekday needs month and nth (1-5 or -1)"
                raise ValueError(msg)
            return DayRule(
                self.name,
                month=self.month,
                weekday=_WEEKDAYS[self.weekday],
                nth=self.nth,
                on_or_after=self.on_or_after,
                since=self.since,
                until=self.until,
            )
        return DayRule(
            self.name, easter=self.easter, since=self.since, until=self.until
        )


class HolidaysSourceModel(_Model):
    """A calendar taken from the `holidays` package (only where its set is
    the statute's set)."""

    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdiv: str | None = None


class CalendarModel(_Model):
    """A named holiday calendar of a pack."""

    title: str
    covers: Annotated[list[int], Field(min_length=2, max_length=2)]
    observed: Literal["none", "sunday_to_monday", "nearest_weekday"] = "none"
    days: list[DayRuleModel] | None = None
    holidays: HolidaysSourceModel | None = None

    @field_validator("covers")
    @classmethod
    def _years(cls, value: list[int]) -> list[int]:
        first, last = value
        if not 1900 <= first <= last <= 2999:
            msg = "covers: [first year, last year], first <= last"
            raise ValueError(msg)
        return value


class RuleModel(_Model):
    """One rule (see `LegalRule` for the meaning of each key)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9:-]*$")]
    jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    purpose: Annotated[list[Purpose], Field(min_length=1)]
    hours: dict[str, list[str]]
    banned_calendars: list[str] = []
    caps: list[str] = []
    effective_from: date | None = None
    effective_until: date | None = None
    citation: Annotated[str, Field(min_length=1)]
    source_url: Annotated[str, Field(pattern=r"^https?://")]
    tier: Tier
    verified_on: date
    note: str = ""


class PackModel(_Model):
    """A rule pack file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str
    default: bool = True
    calendars: dict[str, CalendarModel] = {}
    rules: list[RuleModel] = []


@dataclass(frozen=True, eq=False)
class PackSet:
    """The rules and calendars of the packs a file uses.

    Attributes:
        packs: (name, title, source path) of each pack, in load order.
        rules: every rule, by id (later packs replaced earlier ids).
        calendar_names: every calendar name the packs define.
    """

    packs: tuple[tuple[str, str, str], ...]
    rules: dict[str, LegalRule]
    _calendars: dict[str, tuple[CalendarModel, str]]

    @property
    def calendar_names(self) -> tuple[str, ...]:
        """Every calendar the packs define, sorted."""
        return tuple(sorted(self._calendars))

    @functools.cache  # noqa: B019 - a PackSet lives as long as its check
    def calendar(self, name: str) -> HolidayCalendar:
        """The calendar `name`, its days computed on first use."""
        model, path = self._calendars[name]
        return _calendar(name, model, path)

    def calendars(self, names: Iterable[str]) -> dict[str, HolidayCalendar]:
        """The named calendars (computed only now: the `holidays` package is
        imported only for a calendar that uses it)."""
        return {name: self.calendar(name) for name in names}

    def rules_for(self, region: str, purpose: str) -> tuple[LegalRule, ...]:
        """The rules that apply in `region` for `purpose`."""
        return tuple(
            rule
            for rule in self.rules.values()
            if purpose in rule.purposes and rule.applies_in(region)
        )


def _pack_dir() -> Any:
    return files("gcsched").joinpath("rulepacks")


@functools.cache
def shipped_pack_names() -> tuple[tuple[str, bool], ...]:
    """(name, on by default) of every shipped pack, sorted by name."""
    found: list[tuple[str, bool]] = []
    for entry in _pack_dir().iterdir():
        if entry.name.endswith(".yaml"):
            found.append((entry.name[: -len(".yaml")], _shipped(entry.name).default))
    return tuple(sorted(found))


def _problem(path: str, where: str, message: str) -> ConfigError:
    return ConfigError([Problem(path, None, None, where, message, "bad_rule_pack")])


def _parse(text: str, path: str) -> PackModel:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _problem(path, "", f"not valid YAML: {exc}") from None
    if isinstance(raw, dict):
        raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    try:
        return PackModel.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(
                path,
                None,
                None,
                ".".join(str(p) for p in error["loc"]),
                error["msg"],
                "bad_rule_pack",
            )
            for error in exc.errors()
        ]
        raise ConfigError(problems) from None


@functools.cache
def _shipped(filename: str) -> PackModel:
    text = _pack_dir().joinpath(filename).read_text("utf-8")
    return _parse(text, f"gcsched/rulepacks/{filename}")


def _hours(model: RuleModel, path: str) -> tuple[tuple[MinuteSpan, ...], ...]:
    days: dict[int, tuple[MinuteSpan, ...]] = {}
    for token, texts in model.hours.items():
        try:
            parsed = parse_day_token(token)
        except ValueError as exc:
            raise _problem(path, f"{model.id}.hours", str(exc)) from None
        weekdays = range(1, 8) if parsed == "daily" else sorted(parsed)
        spans: list[MinuteSpan] = []
        for text in texts:
            match = _SPAN.match(text)
            if match is None:
                raise _problem(
                    path, f"{model.id}.hours.{token}", f"{text!r} is not HH:MM-HH:MM"
                )
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if not (0 <= start < end <= DAY_MINUTES and m1 < 60 and m2 < 60):
                raise _problem(
                    path,
                    f"{model.id}.hours.{token}",
                    f"{text!r}: the end must be after the start, at most 24:00",
                )
            spans.append((start, end))
        for weekday in weekdays:
            if weekday in days:
                raise _problem(path, f"{model.id}.hours", f"{token} names a day twice")
            days[int(weekday)] = tuple(sorted(spans))
    missing = [w for w in range(1, 8) if w not in days]
    if missing:
        names = ", ".join(k for k, v in _WEEKDAYS.items() if v in missing)
        raise _problem(
            path,
            f"{model.id}.hours",
            f"every weekday needs its hours ([] bans the day); missing: {names}",
        )
    return tuple(days[w] for w in range(1, 8))


def _calendar(name: str, model: CalendarModel, path: str) -> HolidayCalendar:
    first, last = model.covers
    years = range(first, last + 1)
    if (model.days is None) == (model.holidays is None):
        raise _problem(
            path, f"calendars.{name}", "give exactly one of days or holidays"
        )
    if model.holidays is not None:
        import holidays as holidays_package  # lazy: only for such calendars

        found = holidays_package.country_holidays(
            model.holidays.country, subdiv=model.holidays.subdiv, years=years
        )
        source = f"holidays package ({model.holidays.country})"
        days = frozenset(found.keys())
    else:
        observed: Observed = model.observed
        assert observed in OBSERVED
        try:
            rules = [d.build() for d in model.days or ()]
        except ValueError as exc:
            raise _problem(path, f"calendars.{name}", str(exc)) from None
        days = calendar_days(rules, years, observed)
        source = "rules"
    return HolidayCalendar(name, model.title, days, first, last, source)


def _add(model: PackModel, path: str, into: dict[str, Any]) -> None:
    rules: dict[str, LegalRule] = into["rules"]
    calendars: dict[str, tuple[CalendarModel, str]] = into["calendars"]
    for name, calendar in model.calendars.items():
        if (calendar.days is None) == (calendar.holidays is None):
            raise _problem(
                path, f"calendars.{name}", "give exactly one of days or holidays"
            )
        calendars[name] = (calendar, path)
    for rule in model.rules:
        rules.pop(rule.id, None)  # a later pack replaces the rule (and its place)
        rules[rule.id] = LegalRule(
            id=rule.id,
            pack=model.pack,
            jurisdiction=rule.jurisdiction,
            purposes=frozenset(rule.purpose),
            hours=_hours(rule, path),
            citation=rule.citation,
            source_url=rule.source_url,
            tier=rule.tier,
            verified_on=rule.verified_on,
            banned_calendars=tuple(rule.banned_calendars),
            caps=tuple(rule.caps),
            effective_from=rule.effective_from,
            effective_until=rule.effective_until,
            note=rule.note,
        )
    into["packs"].append((model.pack, model.title, path))


def is_pack_path(name: str) -> bool:
    """True when a `packs` entry names a file rather than a shipped pack."""
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def load_packs(names: Sequence[str] | None, *, base: str = ".") -> PackSet:
    """The packs a file uses, validated and converted.

    Args:
        names: shipped pack names and pack file paths, in order (later ones
            override rules of earlier ones); None: every shipped pack that is on
            by default.
        base: the directory relative pack paths are read from (the file's).

    Raises:
        ConfigError: a pack is unknown or invalid (with the pack's path).
    """
    shipped = dict(shipped_pack_names())
    wanted = [n for n, on in shipped.items() if on] if names is None else list(names)
    into: dict[str, Any] = {"rules": {}, "calendars": {}, "packs": []}
    for name in wanted:
        if is_pack_path(name):
            path = os.path.join(base, name)
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as exc:
                raise _problem(
                    path, "", f"cannot read the rule pack: {exc.strerror}"
                ) from None
            _add(_parse(text, path), path, into)
        elif name in shipped:
            _add(_shipped(f"{name}.yaml"), f"gcsched/rulepacks/{name}.yaml", into)
        else:
            known = ", ".join(shipped)
            where = "policy.compliance.packs"
            raise _problem(
                where,
                "",
                f"unknown pack {name!r}; shipped packs: {known}",
            )
    paths = {name: path for name, _, path in into["packs"]}
    for rule in into["rules"].values():
        for calendar in rule.banned_calendars:
            if calendar not in into["calendars"]:
                raise _problem(
                    paths[rule.pack],
                    f"{rule.id}.banned_calendars",
                    f"unknown calendar {calendar!r}",
                )
    return PackSet(tuple(into["packs"]), into["rules"], into["calendars"])


assert set(PURPOSES) == set(Purpose.__args__)  # type: ignore[attr-defined]
