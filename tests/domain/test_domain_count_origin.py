"""`count` without `from`: occurrences follow the body sent to Genesys.

The rendered recurrence of such a window starts on the first matching day on or
after today and runs `count` times (a Numbered range); checks and reports must
see those same days, whatever date range they expand over.
"""

from __future__ import annotations

from datetime import date, time

from gcsched.domain import check, expand, render_body
from gcsched.domain.model import Policy, Schedule, Target, Window
from gcsched.report.build import build_report

TODAY = date(2026, 3, 1)
COUNTED = Window(start=time(9), end=time(10), count=3)


def _days(occurrences: object) -> list[str]:
    return [o.start.date().isoformat() for o in occurrences]  # type: ignore[attr-defined]


def test_rendered_body_counts_from_today() -> None:
    """The Numbered recurrence starts today (the reference the tests compare to)."""
    schedule = Schedule(Target("campaign", "A"), "UTC", windows=(COUNTED,))
    rec = render_body(schedule, today=TODAY)["recurrences"][0]
    assert rec["start"] == "2026-03-01T09:00:00"
    assert rec["range"] == {"type": "Numbered", "numberOfOccurrences": 3}


def test_check_counts_from_today_beside_a_window_with_an_earlier_from() -> None:
    """Another window starting in January does not move the counted days."""
    early = Window(
        start=time(11),
        end=time(12),
        from_=date(2026, 1, 1),
        until=date(2026, 1, 10),
    )
    schedule = Schedule(Target("campaign", "B"), "UTC", windows=(early, COUNTED))
    result = check([schedule], Policy(), today=TODAY)
    counted = [o for o in result.expansions[0].occurrences if o.window == 1]
    assert _days(counted) == ["2026-03-01", "2026-03-02", "2026-03-03"]


def test_expand_with_today_clips_instead_of_shifting() -> None:
    """Expanding from a later start shows what is left, not three new days."""
    schedule = Schedule(Target("campaign", "A"), "UTC", windows=(COUNTED,))
    later = expand(schedule, start=date(2026, 3, 2), end=date(2026, 4, 1), today=TODAY)
    assert _days(later.occurrences) == ["2026-03-02", "2026-03-03"]
    earlier = expand(
        schedule, start=date(2026, 1, 1), end=date(2026, 4, 1), today=TODAY
    )
    assert _days(earlier.occurrences) == ["2026-03-01", "2026-03-02", "2026-03-03"]


def test_report_range_does_not_move_counted_days() -> None:
    """`report --from` before or after today shows the days Genesys will run."""
    schedule = Schedule(Target("campaign", "A"), "UTC", windows=(COUNTED,))
    wide = build_report(
        [schedule], Policy(), today=TODAY, start=date(2026, 1, 1), end=date(2026, 4, 1)
    )
    assert _days(wide.rows[0].occurrences) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    late = build_report(
        [schedule], Policy(), today=TODAY, start=date(2026, 3, 2), end=date(2026, 4, 1)
    )
    assert _days(late.rows[0].occurrences) == ["2026-03-02", "2026-03-03"]


def test_expand_without_today_keeps_counting_from_the_range_start() -> None:
    """Callers that pass no `today` keep the documented fallback (first day)."""
    schedule = Schedule(Target("campaign", "A"), "UTC", windows=(COUNTED,))
    found = expand(schedule, start=date(2026, 5, 1), end=date(2026, 6, 1))
    assert _days(found.occurrences) == ["2026-05-01", "2026-05-02", "2026-05-03"]
