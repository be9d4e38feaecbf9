"""Hypothesis properties of expansion, overlap detection and Genesys bodies."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcsched.domain import (
    canonical_body,
    expand,
    find_overlaps,
    parse_body,
    render_body,
)
from gcsched.domain.model import (
    Alteration,
    DayRange,
    Schedule,
    Target,
    TimedRange,
    Weekday,
    Window,
)

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
]
TODAY = date(2026, 1, 1)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

clock = st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15))
dates = st.dates(date(2026, 1, 1), date(2026, 12, 31))
day_sets = st.none() | st.frozensets(st.sampled_from(list(Weekday)), min_size=1)


@st.composite
def windows(draw: st.DrawFn, on: date | None = None) -> Window:
    start = draw(clock)
    end = draw(clock.filter(lambda t: t != start))
    days = draw(day_sets)
    if days is not None and on is not None:
        days = days | {Weekday(on.isoweekday())}
    return Window(
        start=start,
        end=end,
        days=days,
        every=draw(st.integers(1, 3)),
        end_of_day=end == time(0),
    )


@st.composite
def day_ranges(draw: st.DrawFn) -> DayRange:
    first = draw(dates)
    return DayRange(first, first + timedelta(days=draw(st.integers(0, 3))))


@st.composite
def timed_ranges(draw: st.DrawFn) -> TimedRange:
    day = draw(dates)
    start = datetime.combine(
        day, time(draw(st.integers(1, 22)), draw(st.sampled_from([0, 30])))
    )
    return TimedRange(start, start + timedelta(minutes=draw(st.integers(1, 48)) * 30))


@st.composite
def schedules(
    draw: st.DrawFn,
    *,
    alterations: bool = True,
    includes: bool = True,
    intervals: bool = True,
    zones: bool = True,
) -> Schedule:
    """Schedules in the normal form that render→parse preserves."""
    zone = draw(st.sampled_from(ZONES))
    first = draw(dates)
    count = until = None
    if draw(st.booleans()):
        until = first + timedelta(days=draw(st.integers(0, 120)))
    elif draw(st.booleans()):
        count = draw(st.integers(1, 40))
    own = draw(st.lists(windows(on=first), min_size=1, max_size=3))
    zoned = [
        w
        if not zones or not draw(st.booleans())
        else Window(
            start=w.start,
            end=w.end,
            days=w.days,
            every=w.every,
            end_of_day=w.end_of_day,
            time_zone=draw(st.sampled_from([z for z in ZONES if z != zone])),
        )
        for w in own
    ]
    alteration = st.one_of(day_ranges(), timed_ranges())
    excepts: tuple[Alteration, ...] = ()
    include: tuple[Alteration, ...] = ()
    if alterations:
        excepts = tuple(draw(st.lists(alteration, max_size=4)))
    if includes:
        include = tuple(draw(st.lists(alteration, max_size=2)))
    one_offs: tuple[TimedRange, ...] = ()
    if intervals:
        one_offs = tuple(draw(st.lists(timed_ranges(), max_size=2)))
    name = draw(st.none() | st.text("abcdefgh XYZ-", min_size=1, max_size=12))
    if name is not None and (not name.strip() or name.strip() != name):
        name = None
    return Schedule(
        target=Target("campaign", "Q4 Renewals"),
        time_zone=zone,
        windows=tuple(zoned),
        intervals=one_offs,
        from_=first,
        until=until,
        count=count,
        except_=excepts,
        include=include,
        name=name,
    )


def _span(s: Schedule) -> tuple[date, date]:
    assert s.from_ is not None
    return s.from_ - timedelta(days=2), (s.until or s.from_ + timedelta(days=130))


def _wall_day(day: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


@SETTINGS
@given(schedules(includes=False, intervals=False, zones=False))
def test_no_occurrence_touches_an_excluded_day(s: Schedule) -> None:
    """No instant of an excluded local day is inside any occurrence.

    One zone per schedule: windows in different zones merged into one occurrence
    legitimately cover a day excluded in one zone but not yet in the other.
    """
    first, last = _span(s)
    result = expand(s, start=first, end=last)
    for day in result.excluded:
        for occ in result.occurrences:
            lo, hi = _wall_day(day, occ.zone)
            assert occ.end <= lo or occ.start >= hi, (day, occ)


@SETTINGS
@given(schedules(alterations=False, includes=False, intervals=False))
def test_occurrences_start_at_the_window_start_or_right_after_a_gap(
    s: Schedule,
) -> None:
    """Every start is the window's wall time, or the first instant after a DST gap."""
    first, last = _span(s)
    for occ in expand(s, start=first, end=last).occurrences:
        assert occ.window is not None
        window = s.windows[occ.window]
        tz = ZoneInfo(occ.zone)
        local = occ.local_start
        asked = datetime.combine(local.date(), window.start)
        readings = {asked.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)}
        exists = all(r.astimezone(tz).replace(tzinfo=None) == asked for r in readings)
        if exists:
            assert occ.start == min(readings)
        else:
            before = (occ.start - timedelta(seconds=1)).astimezone(tz).utcoffset()
            assert before != local.utcoffset()
            assert local.replace(tzinfo=None) > asked


@SETTINGS
@given(schedules(includes=False, intervals=False))
def test_occurrences_stay_inside_from_until_and_count(s: Schedule) -> None:
    """Local start dates lie within from/until; count caps each window."""
    first, last = _span(s)
    result = expand(s, start=first, end=last)
    assert s.from_ is not None
    per_window = Counter(o.window for o in result.occurrences)
    for occ in result.occurrences:
        day = occ.local_start.date()
        assert s.from_ <= day
        if s.until is not None:
            assert day <= s.until + timedelta(days=1)
    if s.count is not None:
        # a timed exclusion can split one occurrence into two pieces
        timed = sum(isinstance(a, TimedRange) for a in s.except_)
        assert all(n <= s.count * (1 + timed) for n in per_window.values())
    spans = [(o.start, o.end) for o in result.occurrences]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


instants = st.integers(0, 200).map(
    lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m * 15)
)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 6), instants, instants), max_size=60))
def test_sweep_line_equals_brute_force(
    items: list[tuple[int, datetime, datetime]],
) -> None:
    """find_overlaps reports exactly the pairs a pairwise comparison finds."""
    got = Counter((frozenset({a, b}), s, e) for a, b, s, e in find_overlaps(items))
    want: Counter[tuple[frozenset[int], datetime, datetime]] = Counter()
    for (ka, sa, ea), (kb, sb, eb) in itertools.combinations(items, 2):
        if ka != kb and sa < ea and sb < eb and max(sa, sb) < min(ea, eb):
            want[(frozenset({ka, kb}), max(sa, sb), min(ea, eb))] += 1
    assert got == want


@SETTINGS
@given(schedules())
def test_render_then_parse_gives_the_schedule_back(s: Schedule) -> None:
    """parse_body(render_body(s)) == s for schedules with from set (normal form)."""
    body = render_body(s, today=TODAY)
    assert parse_body(body, target=s.target) == s


def _perturb(body: dict[str, Any], suffix: str) -> dict[str, Any]:
    out = dict(body, id="abc", version=4, campaign={"id": "c"})
    out["intervals"] = [
        {"start": i["start"] + suffix, "end": i["end"] + suffix}
        for i in body["intervals"]
    ]
    recs = []
    for original in body["recurrences"]:
        rec = dict(original, id="r", start=original["start"] + ".000" + suffix)
        pattern = dict(rec["pattern"])
        if "daysOfWeek" in pattern:
            pattern["daysOfWeek"] = list(reversed(pattern["daysOfWeek"]))
        rec["pattern"] = pattern
        if "timeZone" not in rec:
            rec["timeZone"] = body["timeZone"]
        recs.append(rec)
    out["recurrences"] = recs
    return out


@SETTINGS
@given(schedules(), st.sampled_from(["", "Z"]))
def test_canonical_body_round_trip(s: Schedule, suffix: str) -> None:
    """canonical(render(parse(canonical(b)))) == canonical(b) for accepted bodies."""
    body = _perturb(render_body(s, today=TODAY), suffix)
    canonical = canonical_body(body)
    again = render_body(parse_body(canonical, target=s.target), today=TODAY)
    assert canonical_body(again) == canonical
