"""Which zone names a schedule may use, and what to write instead.

Decided by name, never by behaviour: `America/Phoenix` and `Asia/Kolkata` never
change offset and are right, while `EST` (a link to America/Panama since tzdata
2024b) is a trap: it never moves to daylight time, so from mid-March a
09:00-20:00 EST window runs 10:00-21:00 in New York.

- `NOT_ZONES` (`localtime`, `posixrules`, `Factory`) are tzdata files, not
  places: always refused.
- `legacy_zone_hint` names the legacy names: `Etc/*` but `Etc/UTC`, the POSIX-style
  and fixed-offset names (`EST`, `CST6CDT`, `CET`, `GMT`, `Zulu`, ...) and the
  backward-compatibility links of tzdata's `backward` file (`US/Eastern`; the
  table is `gcsched.config.zone_links`). They are errors unless the schedule (or
  window) says `allow_legacy_zone: true`.
- `meant_zone` suggests a zone by meaning for abbreviations people write
  (`PST` → America/Los_Angeles), not by spelling (`PST` → `MST`).
"""

from __future__ import annotations

from gcsched.config.zone_links import LINKS

__all__ = ["ALLOWED_UTC", "NOT_ZONES", "legacy_zone_hint", "meant_zone"]

NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
ALLOWED_UTC = frozenset({"UTC", "Etc/UTC"})

_NEW_YORK = "America/New_York"
_CHICAGO = "America/Chicago"
_DENVER = "America/Denver"
_LOS_ANGELES = "America/Los_Angeles"
_LONDON = "Europe/London"
_PARIS = "Europe/Paris"

#: Abbreviations and legacy names → the zone they are usually meant as.
_MEANT: dict[str, str] = {
    "Eastern": _NEW_YORK,
    "Central": _CHICAGO,
    "Mountain": _DENVER,
    "Pacific": _LOS_ANGELES,
    "EST": _NEW_YORK,
    "EDT": _NEW_YORK,
    "ET": _NEW_YORK,
    "EST5EDT": _NEW_YORK,
    "CST": _CHICAGO,
    "CDT": _CHICAGO,
    "CT": _CHICAGO,
    "CST6CDT": _CHICAGO,
    "MST": _DENVER,
    "MDT": _DENVER,
    "MT": _DENVER,
    "MST7MDT": _DENVER,
    "PST": _LOS_ANGELES,
    "PDT": _LOS_ANGELES,
    "PT": _LOS_ANGELES,
    "PST8PDT": _LOS_ANGELES,
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "GMT": _LONDON,
    "BST": _LONDON,
    "UK": _LONDON,
    "Greenwich": _LONDON,
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "CET": _PARIS,
    "CEST": _PARIS,
    "MET": _PARIS,
    "MEST": _PARIS,
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
    "UCT": "UTC",
    "Universal": "UTC",
    "Zulu": "UTC",
    "Z": "UTC",
}
_FIXED = frozenset(
    {"EST", "MST", "HST", "GMT", "UCT", "Universal", "Zulu", "Greenwich"}
    | {"EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "EET", "MET", "WET"}
)
_OFFSET = "a fixed offset that never moves to daylight (summer) time"
_UTC_ALIAS = "another spelling of UTC"
_FIXED_WHY = {
    "EST": _OFFSET,
    "MST": _OFFSET,
    "HST": _OFFSET,
    "GMT": _OFFSET,
    "Greenwich": _OFFSET,
    "UCT": _UTC_ALIAS,
    "Universal": _UTC_ALIAS,
    "Zulu": _UTC_ALIAS,
}


def meant_zone(name: str) -> str | None:
    """The zone an abbreviation or legacy name is usually meant as, if known."""
    return _MEANT.get(name) or _MEANT.get(name.upper()) or _MEANT.get(name.title())


def legacy_zone_hint(name: str) -> str | None:
    """Why `name` is a legacy zone name and what to write instead; None if it is not.

    Args:
        name: a zone name tzdata knows.

    Returns:
        A message for the file author, or None for a good name.
    """
    if name in ALLOWED_UTC:
        return None
    if name in _FIXED:
        why = _FIXED_WHY.get(name, "an old POSIX-style rule, not a place")
        use = meant_zone(name) or "UTC"
        also = (
            " (or UTC for no daylight saving)" if name in ("GMT", "Greenwich") else ""
        )
        return f"{name!r} is a legacy zone name, {why}; use {use!r}{also}"
    if name.startswith("Etc/"):
        target = LINKS.get(name)
        if target in ALLOWED_UTC:
            return f"{name!r} is a legacy zone name; use 'UTC'"
        return (
            f"{name!r} is a fixed offset that never follows daylight saving time "
            "(and Etc/GMT+5 means UTC-5); use the zone of the place, such as "
            f"{_NEW_YORK!r}, or 'UTC'"
        )
    target = LINKS.get(name)
    if target is not None:
        use = "UTC" if target in ALLOWED_UTC else target
        return f"{name!r} is an old name kept for compatibility; use {use!r}"
    return None
