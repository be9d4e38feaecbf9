"""The contact-local guard model: ATZM, callable time sets, previews."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest

from gcsched.domain.guards import (
    END_OF_DAY,
    AtzmGuard,
    ContactLocalGuard,
    TimeSetGuard,
    atzm_guard,
    in_zone,
    list_zones,
    time_set_guard,
    zone_columns,
)

NANP = frozenset({"America/New_York", "America/Chicago", "America/Phoenix"})
MONDAY_WINTER = date(2027, 1, 11)
MONDAY_SUMMER = date(2027, 7, 12)
SUNDAY = date(2027, 1, 10)


def _settings(*windows: dict[str, Any]) -> dict[str, Any]:
    return {"automaticTimeZoneMapping": {"callableWindows": list(windows)}}


def test_atzm_default_window_ends_a_minute_early() -> None:
    """No windows set: 08:00-21:00 local in a mapped zone, dialling stops 20:59."""
    guard = atzm_guard({}, NANP)
    assert guard.windows("America/Chicago", MONDAY_WINTER) == ((time(8), time(20, 59)),)
    assert guard.windows("America/Phoenix", SUNDAY) == ((time(8), time(20, 59)),)


def test_atzm_org_windows() -> None:
    """The org's mapped window replaces the default, in every mapped zone."""
    guard = atzm_guard(
        _settings(
            {
                "mapped": {
                    "earliestCallableTime": "09:00",
                    "latestCallableTime": "20:00",
                },
                "unmapped": {
                    "earliestCallableTime": "13:00",
                    "latestCallableTime": "17:00",
                    "timeZoneId": "America/Chicago",
                },
            }
        ),
        NANP,
    )
    assert guard.windows("America/New_York", MONDAY_WINTER) == (
        (time(9), time(19, 59)),
    )
    # an unmapped contact in Los Angeles: 13:00-16:59 Chicago is 11:00-14:59 there
    assert guard.windows("America/Los_Angeles", MONDAY_WINTER) == (
        (time(11), time(14, 59)),
    )
    assert "mapped 09:00-20:00" in guard.describe()
    assert "13:00-17:00 America/Chicago" in guard.describe()


def test_atzm_unmapped_default_follows_eastern_dst() -> None:
    """Unmapped: 14:00-20:00 Eastern; seen from Phoenix (no DST) it moves an hour."""
    guard = atzm_guard({}, frozenset())
    assert guard.windows("America/Phoenix", MONDAY_WINTER) == (
        (time(12), time(17, 59)),
    )
    assert guard.windows("America/Phoenix", MONDAY_SUMMER) == (
        (time(11), time(16, 59)),
    )


def test_atzm_unmapped_window_crossing_midnight_in_the_contact_zone() -> None:
    """14:00-19:59 Eastern is 19:00-00:59 London: two pieces on one London date."""
    guard = atzm_guard({}, NANP)
    assert guard.windows("Europe/London", MONDAY_WINTER) == (
        (time(0), time(0, 59)),
        (time(19), END_OF_DAY),
    )


def test_unmapped_contacts_in_st_johns_are_dialled_later() -> None:
    """14:00-20:00 Eastern is 15:30-21:30 in St. John's: with unmapped contacts on
    the list the dialer may call there until 21:29; without, until 20:59."""
    zones = NANP | {"America/St_Johns"}
    guard = atzm_guard({}, zones)
    assert guard.windows("America/St_Johns", MONDAY_WINTER) == (
        (time(8), time(21, 29)),
    )
    mapped_only = replace(guard, unmapped_contacts=False)
    assert mapped_only.windows("America/St_Johns", MONDAY_WINTER) == (
        (time(8), time(20, 59)),
    )


def test_atzm_malformed_windows_fall_back_to_defaults() -> None:
    """Windows that do not parse are not windows; with none left, the defaults."""
    guard = atzm_guard(
        _settings(
            {
                "mapped": {"earliestCallableTime": "soon"},
                "unmapped": {"earliestCallableTime": "14:00"},
            }
        ),
        NANP,
    )
    assert guard == AtzmGuard(mappable=NANP)


def test_atzm_several_windows_are_united() -> None:
    """Two callableWindows entries: what the dialer may allow is their union."""
    guard = atzm_guard(
        _settings(
            {
                "mapped": {
                    "earliestCallableTime": "08:00",
                    "latestCallableTime": "12:00",
                }
            },
            {
                "mapped": {
                    "earliestCallableTime": "11:00",
                    "latestCallableTime": "18:00",
                }
            },
        ),
        NANP,
    )
    # with unmapped contacts, 14:00-19:59 Eastern (13:00-18:59 here) joins in
    assert guard.windows("America/Chicago", MONDAY_WINTER) == ((time(8), time(18, 59)),)


def test_a_minute_early_at_the_edges() -> None:
    """A window to midnight stops 23:59; one shorter than a minute is gone."""
    guard = AtzmGuard(
        mapped=((time(22), END_OF_DAY), (time(0), time(0, 0, 30))),
        mappable=NANP,
        unmapped_contacts=False,
    )
    assert guard.windows("America/Chicago", MONDAY_WINTER) == (
        (time(22), time(23, 59)),
    )


US_HOURS = {
    "id": "ts1",
    "name": "US Business Hours",
    "callableTimes": [
        {
            "timeZoneId": "America/Chicago",
            "timeSlots": [
                {"startTime": "08:00:00.000", "stopTime": "21:00:00.000", "day": d}
                for d in range(1, 6)
            ]
            + [{"startTime": "09:00:00.000", "stopTime": "18:00:00.000", "day": 6}],
        }
    ],
}


def test_callable_time_set_slots_per_zone_and_weekday() -> None:
    """The set's slots for its zone, by weekday; no slot that day is no window."""
    guard = time_set_guard(US_HOURS)
    assert guard.windows("America/Chicago", MONDAY_WINTER) == ((time(8), time(21)),)
    assert guard.windows("America/Chicago", date(2027, 1, 16)) == ((time(9), time(18)),)
    assert guard.windows("America/Chicago", SUNDAY) == ()
    assert guard.zones() == ("America/Chicago",)
    assert guard.describe() == "callable time set US Business Hours (America/Chicago)"


def test_a_zone_with_no_guard() -> None:
    """A zone the set has no callable time for: the guard says nothing (None)."""
    guard = time_set_guard(US_HOURS)
    assert guard.windows("America/New_York", MONDAY_WINTER) is None
    empty = time_set_guard({"id": "x", "callableTimes": [{"timeSlots": []}]})
    assert empty.windows("America/Chicago", MONDAY_WINTER) is None
    assert empty.describe() == "callable time set x (empty)"


def test_callable_time_matched_by_name_is_converted() -> None:
    """A callable time named after the contact's zone: its slots, in that zone."""
    guard = time_set_guard(
        {
            "name": "Named",
            "callableTimes": [
                {
                    "name": "America/Denver",
                    "timeZoneId": "America/Chicago",
                    "timeSlots": [
                        {"startTime": "08:00:00", "stopTime": "17:00:00", "day": 1},
                        {"startTime": "bad", "stopTime": "17:00:00", "day": 2},
                    ],
                }
            ],
        }
    )
    assert guard.windows("America/Denver", MONDAY_WINTER) == ((time(7), time(16)),)


def test_slot_to_midnight_and_unknown_zones() -> None:
    """A stop not after the start runs to midnight; an unknown zone gives nothing."""
    guard = time_set_guard(
        {
            "name": "Late",
            "callableTimes": [
                {
                    "timeZoneId": "America/Chicago",
                    "timeSlots": [
                        {"startTime": "18:00:00", "stopTime": "00:00:00", "day": 1}
                    ],
                },
                {
                    "name": "Europe/Paris",
                    "timeZoneId": "Nowhere/Zone",
                    "timeSlots": [
                        {"startTime": "08:00:00", "stopTime": "09:00:00", "day": 1}
                    ],
                },
            ],
        }
    )
    assert guard.windows("America/Chicago", MONDAY_WINTER) == ((time(18), END_OF_DAY),)
    # Monday 18:00-24:00 Chicago is Monday 19:00 to Tuesday 01:00 in New York
    assert in_zone(
        guard.times[0].on, "America/Chicago", "America/New_York", date(2027, 1, 12)
    ) == ((time(0), time(1)),)
    assert guard.windows("Europe/Paris", MONDAY_WINTER) == ()


def test_guards_satisfy_the_protocol() -> None:
    """Both guards have the compliance check's `windows(zone, day)` shape."""
    guards: list[ContactLocalGuard] = [AtzmGuard(), TimeSetGuard("t", ())]
    assert [g.windows("America/Chicago", SUNDAY) for g in guards] == [
        ((time(13), time(18, 59)),),  # unmapped: 14:00-19:59 Eastern
        None,
    ]


@pytest.mark.parametrize(
    ("contact_list", "expected"),
    [
        ({"phoneColumns": [{"columnName": "Phone"}]}, ()),
        (
            {
                "phoneColumns": [
                    {"columnName": "Phone", "callableTimeColumnName": "TZ"},
                    "junk",
                ],
                "emailColumns": [{"contactableTimeColumn": "MailTZ"}],
            },
            ("TZ", "MailTZ"),
        ),
        ({"whatsAppColumns": [{"contactableTimeColumnName": "TZ"}]}, ("TZ",)),
    ],
)
def test_zone_columns(contact_list: dict[str, Any], expected: tuple[str, ...]) -> None:
    """The columns a callable time set matches contacts by."""
    assert zone_columns(contact_list) == expected


def test_list_zones_of_a_preview() -> None:
    """contactsPerTimeZone: the zones with contacts; the rest in the default window."""
    zones = list_zones(
        {
            "contactsPerTimeZone": {
                "America/New_York": 10,
                "America/Chicago": 0,
                "x": "many",
            },
            "contactsInDefaultWindow": 3,
            "contactListSize": 13,
        }
    )
    assert zones.zones == frozenset({"America/New_York"})
    assert (zones.in_default_window, zones.size) == (3, 13)
    assert list_zones({}).zones == frozenset()
