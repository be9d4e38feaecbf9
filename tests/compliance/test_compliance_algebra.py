"""The contact-local interval algebra against a minute-by-minute brute force."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.domain.compliance import allowed_part, exposed_part
from gcsched.domain.legal_hours import MinuteSpan

ZONES = (
    "America/New_York",
    "America/Phoenix",
    "America/St_Johns",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kathmandu",  # +05:45
    "America/Santiago",  # DST at local midnight
    "America/Havana",  # DST at local midnight
    "Europe/London",
    "Pacific/Chatham",  # +12:45 / +13:45
)


@st.composite
def _day_spans(draw: st.DrawFn) -> tuple[MinuteSpan, ...]:
    cuts = sorted(set(draw(st.lists(st.integers(0, 1440), max_size=6))))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple((a, b) for a, b in pairs if a < b)


def _brute(
    start: datetime,
    minutes: int,
    zone: str,
    allowed: dict[date, tuple[MinuteSpan, ...]],
    weekly: tuple[tuple[MinuteSpan, ...], ...],
) -> set[int]:
    tz = ZoneInfo(zone)
    legal: set[int] = set()
    for k in range(minutes):
        local = (start + timedelta(minutes=k)).astimezone(tz)
        spans = allowed.get(local.date(), weekly[local.weekday()])
        m = local.hour * 60 + local.minute
        if any(a <= m < b for a, b in spans):
            legal.add(k)
    return legal


def _minutes(start: datetime, spans: tuple[tuple[datetime, datetime], ...]) -> set[int]:
    found: set[int] = set()
    for a, b in spans:
        first = (a - start) / timedelta(minutes=1)
        last = (b - start) / timedelta(minutes=1)
        assert first == int(first), (a, b)
        assert last == int(last), (a, b)
        found.update(range(int(first), int(last)))
    return found


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(date(1996, 1, 1), date(2037, 12, 31)),
    minute=st.integers(0, 1439),
    length=st.integers(1, 3 * 1440),
    weekly=st.tuples(*[_day_spans()] * 7),
    special=st.dictionaries(st.integers(-1, 4), _day_spans(), max_size=3),
)
def test_allowed_and_exposed_match_a_minute_by_minute_brute_force(
    zone: str,
    day: date,
    minute: int,
    length: int,
    weekly: tuple[tuple[MinuteSpan, ...], ...],
    special: dict[int, tuple[MinuteSpan, ...]],
) -> None:
    """Every minute of a random span is legal exactly when its wall time is."""
    start = datetime.combine(day, time(), UTC) + timedelta(minutes=minute)
    end = start + timedelta(minutes=length)
    by_date = {day + timedelta(days=k): spans for k, spans in special.items()}

    def allowed(on: date) -> tuple[MinuteSpan, ...]:
        return by_date.get(on, weekly[on.weekday()])

    legal = _brute(start, length, zone, by_date, weekly)
    inside = allowed_part((start, end), zone, allowed)
    outside = exposed_part((start, end), zone, allowed)
    assert _minutes(start, inside) == legal
    assert _minutes(start, outside) == set(range(length)) - legal
    assert all(a < b for a, b in (*inside, *outside))


def test_a_fall_back_fold_counts_both_readings() -> None:
    """01:00–02:00 happens twice on a fall-back night: both are outside 02:00+."""
    start = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # 00:00 EDT
    end = start + timedelta(hours=4)  # 03:00 EST
    outside = exposed_part((start, end), "America/New_York", lambda _: ((120, 1440),))
    assert sum((b - a for a, b in outside), timedelta()) == timedelta(hours=3)


def test_a_spring_forward_gap_has_no_instants() -> None:
    """02:00–03:00 does not exist on a spring-forward night."""
    start = datetime(2026, 3, 8, 6, 0, tzinfo=UTC)  # 01:00 EST
    end = datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 04:00 EDT
    inside = allowed_part((start, end), "America/New_York", lambda _: ((120, 180),))
    assert inside == ()
