"""Zone names: legacy names need `allow_legacy_zone`, non-zones are refused.

`time_zone: EST` was accepted silently, and EST never moves to daylight time:
from 14 March a 09:00-20:00 EST window runs 10:00-21:00 in New York.
"""

from __future__ import annotations

import pytest

from gcsched.config import loads
from gcsched.config.zone_links import LINKS
from gcsched.errors import ConfigError

LEGACY = [
    "Etc/GMT+5",
    "Etc/GMT-3",
    "Etc/GMT",
    "Etc/UCT",
    "EST",
    "MST",
    "HST",
    "EST5EDT",
    "CST6CDT",
    "MST7MDT",
    "PST8PDT",
    "CET",
    "EET",
    "MET",
    "WET",
    "GMT",
    "UCT",
    "Universal",
    "Zulu",
    "Greenwich",
    "US/Eastern",
    "US/Pacific",
    "Asia/Calcutta",
    "Europe/Kiev",
]
GOOD = ["America/Phoenix", "Asia/Kolkata", "UTC", "Etc/UTC", "Europe/Amsterdam"]


def _file(zone: str, extra: str = "", window: str = "") -> str:
    return (
        "version: 1\nschedules:\n  - campaign: A\n"
        f"    time_zone: {zone}\n{extra}"
        f"    windows: [{{days: daily, start: '09:00', end: '17:00'{window}}}]\n"
    )


def _reasons(text: str) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "z.yaml")
    return caught.value.reasons


@pytest.mark.parametrize("zone", LEGACY)
def test_legacy_names_are_errors_unless_allowed(zone: str) -> None:
    (reason,) = _reasons(_file(zone))
    assert reason.startswith(f"z.yaml:4:16: schedules[0].time_zone: {zone!r} is ")
    assert reason.endswith("or set allow_legacy_zone: true to keep it")
    loaded = loads(_file(zone, "    allow_legacy_zone: true\n"), "z.yaml")
    assert loaded.schedules[0].time_zone == zone


@pytest.mark.parametrize("zone", GOOD)
def test_good_names_need_no_opt_in(zone: str) -> None:
    assert loads(_file(zone), "z.yaml").schedules[0].time_zone == zone


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory"])
def test_tzdata_files_are_not_zones_even_when_legacy_is_allowed(zone: str) -> None:
    (reason,) = _reasons(_file(zone, "    allow_legacy_zone: true\n"))
    assert f"{zone!r} is a tzdata file, not a time zone" in reason


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("EST", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("CST", "America/Chicago"),
        ("MST", "America/Denver"),
        ("GMT", "Europe/London"),
        ("BST", "Europe/London"),
        ("CET", "Europe/Paris"),
        ("AEST", "Australia/Sydney"),
        ("IST", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
    ],
)
def test_suggestions_follow_meaning_not_spelling(written: str, meant: str) -> None:
    (reason,) = _reasons(_file(written))
    assert f"use {meant!r}" in reason or f"did you mean {meant!r}?" in reason, reason


def test_a_window_may_opt_in_for_its_own_zone() -> None:
    allowed = _file("UTC", window=", time_zone: EST, allow_legacy_zone: true")
    assert loads(allowed, "z.yaml").schedules[0].windows[0].time_zone == "EST"
    (reason,) = _reasons(_file("UTC", window=", time_zone: EST"))
    assert reason.startswith("z.yaml:5:")
    assert "schedules[0].windows[0].time_zone: 'EST' is a legacy" in reason
    inherited = _file("UTC", "    allow_legacy_zone: true\n", ", time_zone: EST")
    assert loads(inherited, "z.yaml").schedules[0].windows[0].time_zone == "EST"


def test_the_link_table_is_tzdata_backward_without_country_zones() -> None:
    assert LINKS["US/Eastern"] == "America/New_York"
    assert LINKS["Asia/Calcutta"] == "Asia/Kolkata"
    assert "Europe/Amsterdam" not in LINKS  # still the Netherlands' zone.tab entry
    assert all("/" in target or target == "Etc/UTC" for target in LINKS.values())


def test_the_shipped_zone_list_is_a_subset_of_every_known_zone() -> None:
    """The quick check (tzdata's own list) may only ever accept what the full
    walk of the zone directories accepts, and it must not be empty (else every
    file pays for the walk)."""
    from gcsched.config.values import _shipped_zone_names, zone_names

    shipped = _shipped_zone_names()
    assert "America/Chicago" in shipped
    assert shipped <= zone_names()
    assert not shipped & {"localtime", "posixrules", "Factory"}
