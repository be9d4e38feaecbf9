"""Hypothesis strategies: every schedule body shape the sandbox accepts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

ZONES = (
    "America/Chicago",
    "America/New_York",
    "Europe/London",
    "Europe/Paris",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "UTC",
    "EST",  # legacy names: export writes allow_legacy_zone: true
    "US/Eastern",
    "Etc/GMT+5",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: (family, reference field, target name) in the demo org.
TARGETS = (
    ("campaigns", "campaign", "Q4 Renewals"),
    ("campaigns", "campaign", "Win-back"),
    ("campaigns", "campaign", "Renewals Follow-up"),
    ("campaigns", "campaign", "Payment Reminders"),
    ("sequences", "sequence", "Collections Ladder"),
    ("emailcampaigns", "emailCampaign", "Renewal Emails"),
    ("messagingcampaigns", "messagingCampaign", "Payment SMS"),
    ("whatsappcampaigns", "whatsAppCampaign", "WhatsApp Offers"),
)
_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.000", "%Y-%m-%dT%H:%M:%S.000Z")

days = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))
minutes = st.integers(min_value=0, max_value=24 * 60 - 1).map(
    lambda m: time(m // 60, m % 60)
)
stamp_format = st.sampled_from(_FORMATS)


@st.composite
def span(draw: st.DrawFn, *, max_minutes: int = 24 * 60) -> tuple[datetime, datetime]:
    """A start and an end after it, at most `max_minutes` later."""
    start = datetime.combine(draw(days), draw(minutes))
    length = draw(st.integers(min_value=1, max_value=max_minutes))
    return start, start + timedelta(minutes=length)


def _fmt(moment: datetime, fmt: str) -> str:
    return moment.strftime(fmt)


@st.composite
def alteration(draw: st.DrawFn) -> dict[str, str]:
    """An Exclusion or Inclusion: whole days (midnight to midnight) or timed."""
    kind = draw(st.sampled_from(("Exclusion", "Inclusion")))
    fmt = draw(stamp_format)
    if draw(st.booleans()):
        first = draw(days)
        start = datetime.combine(first, time(0))
        end = start + timedelta(days=draw(st.integers(min_value=1, max_value=4)))
    else:
        start, end = draw(span(max_minutes=3 * 24 * 60))
    return {"type": kind, "start": _fmt(start, fmt), "end": _fmt(end, fmt)}


@st.composite
def recurrence(draw: st.DrawFn, zone: str) -> dict[str, Any]:
    """A Daily or Weekly recurrence with any range and alterations."""
    start, end = draw(span())
    if end - start == timedelta(days=1) and start.time() != time(0):
        # KNOWN GAP (reported): a 24 h occurrence not starting at midnight has
        # no schedule-file form (`end` equal to `start` is an error).
        end -= timedelta(minutes=1)
    fmt = draw(stamp_format)
    rec: dict[str, Any] = {"start": _fmt(start, fmt), "end": _fmt(end, fmt)}
    own_zone = draw(st.sampled_from((None, zone, *ZONES)))
    if own_zone is not None:
        rec["timeZone"] = own_zone
    interval = draw(st.integers(min_value=1, max_value=4))
    if draw(st.booleans()):
        picked = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7))
        rec["pattern"] = {"type": "Weekly", "interval": interval, "daysOfWeek": picked}
    else:
        rec["pattern"] = {"type": "Daily", "interval": interval}
    kind = draw(st.sampled_from(("NoEnd", "EndDate", "Numbered")))
    if kind == "EndDate":
        last = start.date() + timedelta(days=draw(st.integers(0, 400)))
        clock = draw(st.sampled_from((time(23, 59, 59), time(0), time(12, 30))))
        rec["range"] = {"type": kind, "end": _fmt(datetime.combine(last, clock), fmt)}
    elif kind == "Numbered":
        rec["range"] = {"type": kind, "numberOfOccurrences": draw(st.integers(1, 99))}
    else:
        rec["range"] = {"type": kind}
    alterations = draw(st.lists(alteration(), max_size=3))
    send_empty = draw(st.booleans())
    if alterations or send_empty:
        rec["alterations"] = alterations
    return rec


@st.composite
def body(draw: st.DrawFn, target_name: str) -> dict[str, Any]:
    """A schedule body (without reference field): owned or not, any shape."""
    zone = draw(st.sampled_from(ZONES))
    out: dict[str, Any] = {"timeZone": zone}
    name = draw(
        st.sampled_from(
            (
                None,
                "gcsched: " + target_name,
                "gcsched: Q4 weekday calling",
                "Set by hand in the admin UI",
                target_name,
            )
        )
    )
    if name is not None:
        out["name"] = name
    intervals = []
    for start, end in draw(st.lists(span(max_minutes=3 * 24 * 60), max_size=3)):
        fmt = draw(stamp_format)
        intervals.append({"start": _fmt(start, fmt), "end": _fmt(end, fmt)})
    recurrences = draw(
        st.lists(recurrence(zone), min_size=0 if intervals else 1, max_size=3)
    )
    out["intervals"] = intervals
    send_empty = draw(st.booleans())
    if recurrences or send_empty:
        out["recurrences"] = recurrences
    return out


@st.composite
def org_bodies(draw: st.DrawFn) -> list[tuple[str, str, str, dict[str, Any]]]:
    """1–4 distinct targets, each with a body: (family, field, name, body)."""
    picked = draw(
        st.lists(st.sampled_from(TARGETS), min_size=1, max_size=4, unique=True)
    )
    return [(f, ref, name, draw(body(name))) for f, ref, name in picked]
