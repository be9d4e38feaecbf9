"""`export`: the org's schedules as a schedule file, keeping what can be known.

The schedules' windows come from the API; pacing from the campaigns, as the
plan reads it (`campaign_value`: the exact ``maxCallsPerAgentDecimal`` where a
campaign has one). The API keeps no names for exceptions and inclusions, so
calendar and alteration names come only from gcsched's journal: a schedule whose
version is the one a run wrote takes them from that run's file entry, when the
file is still on disk with the bytes the run applied. Priorities and policy live
only in the file: the exported YAML says so in comments at its top.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from gcsched.config import dump, load
from gcsched.config.dump import calendar_runs
from gcsched.domain.model import (
    Alteration,
    DayRange,
    Pacing,
    Policy,
    Schedule,
    ScheduleFile,
    Window,
)
from gcsched.engine.steps import campaign_value
from gcsched.errors import GcSchedError
from gcsched.genesys import TARGET_KIND, Family
from gcsched.journal import StateStore

__all__ = ["LiveEntry", "export_text", "pacing_of_target"]

_VOICE = (
    ("max_calls_per_agent", "maxCallsPerAgent", 1.0, None),
    ("outbound_line_count", "outboundLineCount", 1.0, None),
    ("abandon_rate", "abandonRate", 0.0, 100.0),
)


@dataclass(frozen=True, slots=True)
class LiveEntry:
    """One schedule of the org: where it is, its body, and the file entry for it."""

    family: Family
    target_id: str
    target: Mapping[str, Any]
    """The campaign, sequence or messaging campaign it schedules (as listed)."""
    body: Mapping[str, Any]
    schedule: Schedule


def _number(value: Any, low: float, high: float | None) -> TypeGuard[float]:
    """A value a schedule file's pacing key accepts (see `PacingModel`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= low and (high is None or value <= high)


def pacing_of_target(family: Family, target: Mapping[str, Any]) -> Pacing | None:
    """The pacing a campaign or messaging campaign has now, in file terms.

    Values the file could not hold (missing, null, below 1, ...) are left out;
    None when nothing is left (a sequence, a preview campaign).
    """
    values: dict[str, Any] = {}
    if family == Family.CAMPAIGNS:
        for key, field, low, high in _VOICE:
            value = campaign_value(target, field)
            if _number(value, low, high):
                whole = key == "outbound_line_count"
                if whole and not float(value).is_integer():
                    continue
                values[key] = int(value) if whole else value
    elif family != Family.SEQUENCES:
        value = target.get("messagesPerMinute")
        if _number(value, 1, None) and float(value).is_integer():
            values["messages_per_minute"] = int(value)
    return Pacing(**values) if values else None


def _plain(items: Sequence[Alteration] | None) -> list[Alteration] | None:
    """Alterations without their names (what a body can carry)."""
    if items is None:
        return None
    return [dataclasses.replace(item, name=None) for item in items]


def _named(
    live: tuple[Alteration, ...] | None, written: tuple[Alteration, ...] | None
) -> tuple[Alteration, ...] | None:
    """The file's named alterations where they are the org's, else the org's."""
    return written if _plain(live) == _plain(written) else live


def _with_names(live: Schedule, written: Schedule) -> Schedule:
    """`live` with the alteration names of the file entry gcsched wrote it from."""
    windows: tuple[Window, ...] = live.windows
    if len(live.windows) == len(written.windows):
        windows = tuple(
            dataclasses.replace(
                ours,
                except_=_named(ours.except_, theirs.except_),
                include=_named(ours.include, theirs.include),
            )
            for ours, theirs in zip(live.windows, written.windows, strict=True)
        )
    return dataclasses.replace(
        live,
        windows=windows,
        except_=_named(live.except_, written.except_) or (),
        include=_named(live.include, written.include) or (),
    )


class _Sources:
    """The files the journal's runs applied, read once each (None: gone or
    changed since the run)."""

    def __init__(self, journal: StateStore) -> None:
        self._journal = journal
        self._files: dict[str, ScheduleFile | None] = {}

    def of_run(self, run_id: str) -> ScheduleFile | None:
        try:
            run = self._journal.get_run(run_id)
        except GcSchedError:  # pruned since
            return None
        key = f"{run.file_path}\0{run.file_sha256}"
        if key not in self._files:
            self._files[key] = _read(run.file_path, run.file_sha256)
        return self._files[key]


def _read(path: str, sha256: str) -> ScheduleFile | None:
    if path.startswith("<") or not Path(path).is_file():
        return None  # a file made in code (provision), or moved away
    try:
        source = load(path)
    except GcSchedError:
        return None
    return source if source.sha256 == sha256 else None


def _entry_in(source: ScheduleFile, entry: LiveEntry) -> Schedule | None:
    """The one entry of `source` for the target of `entry`, if there is one."""
    kind = TARGET_KIND[entry.family]
    refs = {entry.target_id, str(entry.target.get("name"))}
    found = [
        s for s in source.schedules if s.target.kind == kind and s.target.ref in refs
    ]
    return found[0] if len(found) == 1 else None


def _journal_names(
    entries: Sequence[LiveEntry], journal: StateStore | None, org_id: str
) -> tuple[list[Schedule], dict[str, tuple[DayRange, ...]]]:
    """The entries' schedules with the names gcsched wrote them with, and the
    calendars of the files those names came from."""
    schedules = [entry.schedule for entry in entries]
    calendars: dict[str, tuple[DayRange, ...]] = {}
    if journal is None:
        return schedules, calendars
    records = {(r.family, r.target_id): r for r in journal.ownership(org_id)}
    sources = _Sources(journal)
    for index, entry in enumerate(entries):
        record = records.get((str(entry.family), entry.target_id))
        version = entry.body.get("version")
        if record is None or record.run_id is None or record.version != version:
            continue  # not written by gcsched, or edited elsewhere since
        source = sources.of_run(record.run_id)
        written = _entry_in(source, entry) if source is not None else None
        if source is None or written is None:
            continue
        schedules[index] = _with_names(entry.schedule, written)
        for name, ranges in source.calendars:
            calendars.setdefault(name, ranges)
    return schedules, calendars


def _used(
    schedules: Sequence[Schedule], calendars: Mapping[str, tuple[DayRange, ...]]
) -> tuple[tuple[str, tuple[DayRange, ...]], ...]:
    """The calendars whose ranges some schedule's exceptions or inclusions hold."""
    known = tuple(sorted(calendars.items()))
    used: set[str] = set()
    for schedule in schedules:
        lists = [schedule.except_, schedule.include]
        lists += [w.except_ or () for w in schedule.windows]
        lists += [w.include or () for w in schedule.windows]
        for items in lists:
            used.update(x for x in calendar_runs(items, known) if isinstance(x, str))
    return tuple((name, ranges) for name, ranges in known if name in used)


def _header(schedules: Sequence[Schedule], named: int, skipped: Sequence[str]) -> str:
    lines = [
        "Exported by `gcsched export`. What the org does not hold, this file cannot",
        "know, so review these before you apply it:",
        "- priority: gcsched's rank for audience conflicts lives only in the schedule",
        "  file; every schedule here has the default 5.",
        "- policy: conflict handling, acknowledged overlaps, safety limits and",
        "  map_priority live only in the file; this one warns about conflicts.",
        "- exception and inclusion names: the API keeps none. "
        f"{named} of {len(schedules)} schedules",
        "  take them (and calendar names) from the journal of the runs that wrote",
        "  them, where that file is unchanged on disk; the others list plain dates.",
    ]
    left_out = "".join(
        f"# left out (gcsched cannot express it): {note}\n" for note in skipped
    )
    return left_out + "".join(f"# {line}\n" for line in lines)


def export_text(
    entries: Sequence[LiveEntry],
    skipped: Sequence[str],
    *,
    org_id: str,
    journal: StateStore | None,
) -> str:
    """The org's schedules as schedule-file YAML (`manage: owned`).

    Args:
        entries: the org's schedules, each parsed into a file entry.
        skipped: a note per schedule gcsched cannot express (left out).
        org_id: the org, whose ownership records the journal holds.
        journal: gcsched's journal, or None when there is none.

    Returns:
        YAML text, its header comments saying what an export cannot know.
    """
    schedules, calendars = _journal_names(entries, journal, org_id)
    pairs = list(zip(schedules, entries, strict=True))
    named = sum(1 for new, entry in pairs if new is not entry.schedule)
    with_pacing = [
        dataclasses.replace(s, pacing=pacing_of_target(e.family, e.target))
        for s, e in pairs
    ]
    snapshot = ScheduleFile(
        path="<export>",
        sha256="",
        schedules=tuple(with_pacing),
        # What is in the org already runs: report its conflicts, don't refuse.
        policy=Policy(audience_conflicts="warn", manage="owned"),
        calendars=_used(schedules, calendars),
    )
    return _header(schedules, named, skipped) + dump(snapshot)
