"""Which IANA zones an ISO 3166 region spans: shipped data with its sources.

Countries come from tzdata's ``zone1970.tab`` (in the `tzdata` package): every
zone whose country list names the country. Subdivisions whose rules differ (US
states, Canadian provinces, Australian states) come from
``subdivisions.yaml`` next to this module, each country's table citing its
source. A country with a subdivision table means all its subdivisions, each
checked with its own rules; any other country is one region.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files

import yaml

__all__ = [
    "REGION_PATTERN",
    "RegionTable",
    "region_table",
]

REGION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
_REGION = re.compile(REGION_PATTERN)


@dataclass(frozen=True, slots=True)
class RegionTable:
    """Zones per country (zone1970.tab) and per listed subdivision.

    Attributes:
        countries: country code → its zones, sorted.
        subdivisions: subdivision code (``US-FL``) → its zones, in table order.
        sources: country code → the cited source of its subdivision table.
        primary: zone → the first country zone1970.tab lists for it.
    """

    countries: dict[str, tuple[str, ...]]
    subdivisions: dict[str, tuple[str, ...]]
    sources: dict[str, str]
    primary: dict[str, str]

    def known(self, region: str) -> bool:
        """True for a country of zone1970.tab or a subdivision of the table."""
        return region in self.countries or region in self.subdivisions

    def expand(self, region: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The (region, zones) pairs `region` means: a country with a
        subdivision table is every subdivision; anything else is itself."""
        if region in self.subdivisions:
            return ((region, self.subdivisions[region]),)
        parts = tuple(
            (code, zones)
            for code, zones in self.subdivisions.items()
            if code.startswith(region + "-")
        )
        return parts or ((region, self.countries[region]),)

    def country_of(self, zone: str) -> str | None:
        """The country zone1970.tab lists first for `zone` (links resolved
        by the caller), or None."""
        return self.primary.get(zone)

    def suggest(self, region: str) -> str:
        """A hint for an unknown region."""
        if not _REGION.match(region):
            return (
                "use an ISO 3166 code: a country such as US or GB, or a "
                "subdivision such as US-FL or CA-ON"
            )
        country = region.split("-", maxsplit=1)[0]
        if country not in self.countries:
            return f"{country} is not an ISO 3166 country tzdata knows"
        listed = sorted(c for c in self.subdivisions if c.startswith(country + "-"))
        if listed:
            return f"known subdivisions of {country}: {', '.join(listed)}"
        return f"{country} has no subdivision table; use {country}"


def _zone1970() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    text = files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text("utf-8")
    countries: dict[str, set[str]] = {}
    primary: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, _coordinates, zone, *_ = line.split("\t")
        listed = codes.split(",")
        primary[zone] = listed[0]
        for code in listed:
            countries.setdefault(code, set()).add(zone)
    return {c: tuple(sorted(z)) for c, z in countries.items()}, primary


@functools.cache
def region_table() -> RegionTable:
    """The shipped table (read once per process)."""
    countries, primary = _zone1970()
    raw = yaml.safe_load(
        files("gcsched.config").joinpath("subdivisions.yaml").read_text("utf-8")
    )
    subdivisions: dict[str, tuple[str, ...]] = {}
    sources: dict[str, str] = {}
    for country, table in raw.items():
        sources[country] = f"{table['source']} ({table['source_url']})"
        for code, zones in table["regions"].items():
            subdivisions[code] = tuple(zones)
    return RegionTable(countries, subdivisions, sources, primary)
