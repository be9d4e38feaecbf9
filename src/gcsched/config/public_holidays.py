"""Public holiday calendars: ``calendars: {fl: {holidays: US-FL}}``.

Dates and names come from the `holidays` package, observed days included
(``Independence Day (observed)`` on a Monday). The package is pinned exactly
in pyproject.toml: an upgrade can move a date or rename a holiday, and so change
bodies and plan checksums. It is imported only when a file uses such a
calendar, so `validate` of other files and `--help` never load it.

Codes are ISO 3166-1 alpha-2 (``US``, ``FR``, ``AU``) or ISO 3166-2
(``US-FL``, ``GB-ENG``, ``CA-ON``): the country, and optionally one of the
subdivisions the package knows for it.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from gcsched.domain.model import DayRange

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["check_code", "covered_years", "holiday_ranges"]

#: Holiday names in English where the package has them (else its own language).
_LANGUAGE = "en_US"


@functools.cache
def _supported() -> Mapping[str, tuple[str, ...]]:
    """Country code to its subdivision codes, as the package lists them."""
    import holidays

    listed = holidays.list_supported_countries(include_aliases=False)
    return {country: tuple(subdivs) for country, subdivs in listed.items()}


def _codes() -> list[str]:
    supported = _supported()
    return [
        *supported,
        *(f"{country}-{sub}" for country, subs in supported.items() for sub in subs),
    ]


def check_code(code: str) -> str:
    """The code as the package spells it (``us-fl`` → ``US-FL``).

    Raises:
        ValueError: no country or subdivision of that code, with the closest
            known codes as a hint.
    """
    country, _, subdiv = code.strip().partition("-")
    supported = _supported()
    found = next((c for c in supported if c.lower() == country.lower()), None)
    if found is not None and not subdiv:
        return found
    if found is not None:
        sub = next((s for s in supported[found] if s.lower() == subdiv.lower()), None)
        if sub is not None:
            return f"{found}-{sub}"
        typed = subdiv.upper()
        close = [x for x in supported[found] if typed.startswith(x) and x]
        close += difflib.get_close_matches(typed, supported[found], n=1)
        hint = f"did you mean {found}-{close[0]}? " if close else ""
        known = ", ".join(supported[found]) or "none"
        msg = (
            f"the holidays package knows no subdivision {subdiv!r} of {found}; "
            f"{hint}use {found} alone or one of: {known}"
        )
        raise ValueError(msg)
    close = difflib.get_close_matches(code.upper(), _codes(), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    msg = (
        f"unknown holiday code {code!r}: write an ISO 3166-1 country (US, FR, AU) "
        f"or ISO 3166-2 subdivision (US-FL, GB-ENG, CA-ON){hint}"
    )
    raise ValueError(msg)


def _calendar(code: str, years: range | None = None) -> HolidayBase:
    import holidays

    country, _, subdiv = check_code(code).partition("-")
    probe = holidays.country_holidays(country, subdiv=subdiv or None)
    language = _LANGUAGE if _LANGUAGE in probe.supported_languages else None
    return holidays.country_holidays(
        country, subdiv=subdiv or None, years=years, language=language
    )


@functools.cache
def covered_years(code: str) -> tuple[int, int]:
    """The first and last year the package computes holidays for `code`.

    Taken from the package itself: each country's class says when its holidays
    start (``start_year``) and the package stops at ``end_year`` (2100 in 0.109);
    outside that range it returns no holidays at all, silently.
    """
    calendar = _calendar(code)
    return int(calendar.start_year), int(calendar.end_year)


@functools.cache
def holiday_ranges(code: str, first: int, last: int) -> tuple[DayRange, ...]:
    """Every holiday of `code` from `first` to `last` (inclusive), by date.

    Days the package covers only: years outside `covered_years` give nothing
    (the caller warns). Two holidays on one day are one range with both names.
    """
    low, high = covered_years(code)
    years = range(max(first, low), min(last, high) + 1)
    if not years:
        return ()
    calendar = _calendar(code, years)
    days: list[tuple[date, str]] = sorted(calendar.items())
    return tuple(DayRange(day, day, str(name)) for day, name in days)
