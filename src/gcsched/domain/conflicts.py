"""Audience conflicts between schedules and their resolution (design.md).

Two schedules conflict when their audiences meet (a shared contact list; for a
sequence any of its lists) and their occurrences overlap in UTC. Ranking:
``score = priority × 10 + min(size / 10000, 1) × 5``, where `size` is the largest
of the schedule's own lists (0 when unknown, with one warning); ties are broken by
label, then target kind and ref, and the tie is named in `reason`.

Resolution follows `policy.audience_conflicts` except for pairs acknowledged in
`policy.allow_overlap` ("allowed": reported, never refused). Under `trim` the
lower-ranked schedule loses the overlapping time: schedules are processed from
the highest rank down, each losing what its (already trimmed) winners keep.

`type="overlap"` is a sequence and one of its member campaigns running at the
same time (same dialer); it is resolved like an audience conflict and replaces
the audience conflict of that pair.

Fixed schedules (`fixed=`) take part in detection but can never be changed by
this run: schedules already in the org that the plan leaves in place (someone
else's manual schedule, or, for a scoped `provision`, gcsched's other
schedules). The rule:

- A fixed schedule ranks above every schedule that is not fixed, whatever the
  scores: in a conflict with one it is the winner, it never loses time, and
  `trimmed` never holds a fixed label. Under `reject` such a conflict refuses
  the plan (the file would create the clash); under `trim` the other side loses
  the overlap; under `warn` it is reported.
- Two fixed schedules that overlap are reported with resolution `warn` whatever
  the policy (this run cannot cause or fix that clash); the winner is the
  higher score as usual.
- `allow_overlap` still applies by label: an acknowledged pair is `allowed`.
- A fixed schedule is expanded over the range of the schedules this run
  changes (from the earliest start to the latest end among them), whatever its
  own range or `horizon_days`: an open-ended one in the org is compared with a
  trimmed schedule over the trimmed schedule's whole range, and the result does
  not depend on "today".
- Contact list sizes never decide a conflict that involves a fixed schedule, so
  the unknown-size warning ignores those conflicts, and a fixed schedule's own
  expansion warnings (DST adjustments) are not reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from gcsched.domain.expansion import Expansion, expand, expansion_range
from gcsched.domain.intervals import Span, find_overlaps, merge, subtract_all
from gcsched.domain.model import Policy, Schedule

__all__ = ["CheckResult", "Conflict", "check", "rank_score"]

Resolution = Literal["reject", "trim", "warn", "allowed"]
SIZE_UNKNOWN_WARNING = (
    "contact list sizes are unknown offline: conflicts are ranked by priority "
    "(then name) only"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two schedules running at the same time against the same audience or dialer.

    `campaigns` holds the two labels, the winner first; `start`/`end` are the
    merged contiguous overlap in UTC.
    """

    type: Literal["overlap", "audience"]
    campaigns: tuple[str, str]
    contact_list: str | None
    start: datetime
    end: datetime
    resolution: Resolution
    winner: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Expansions, conflicts and warnings of a set of schedules.

    `trimmed` maps each label that lost time under `trim` to its remaining UTC
    occurrences (to be rendered as explicit intervals).
    """

    expansions: tuple[Expansion, ...]
    conflicts: tuple[Conflict, ...]
    warnings: tuple[str, ...]
    trimmed: Mapping[str, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict
    )

    @property
    def rejected(self) -> tuple[Conflict, ...]:
        """The conflicts that refuse the plan (`reject`)."""
        return tuple(c for c in self.conflicts if c.resolution == "reject")


def rank_score(priority: int, size: int) -> float:
    """The conflict rank of a schedule.

    Args:
        priority: 1..10.
        size: the contact list size (0 when unknown).

    Returns:
        ``priority × 10 + min(size / 10000, 1) × 5``.
    """
    return priority * 10 + min(max(size, 0) / 10000, 1) * 5


def _audience_keys(
    schedule: Schedule, audiences: Mapping[str, frozenset[str]] | None
) -> frozenset[str]:
    if audiences is not None and schedule.label in audiences:
        return audiences[schedule.label]
    return frozenset({schedule.audience}) if schedule.audience else frozenset()


def _describe(
    a: tuple[float, Schedule], b: tuple[float, Schedule], fixed: Collection[str]
) -> str:
    (score_a, first), (score_b, second) = a, b
    if first.label in fixed and second.label in fixed:
        return "both are already in the org and this run changes neither"
    if first.label in fixed:
        return f"{first.label} is already in the org and this run does not change it"
    if score_a != score_b:
        if first.priority != second.priority:
            return f"priority {first.priority} vs {second.priority}"
        return f"score {score_a:g} vs {score_b:g} (contact list size)"
    if first.label != second.label:
        return f"tie on score {score_a:g}, broken by name"
    return f"tie on score {score_a:g}, broken by id"


def check(
    schedules: Sequence[Schedule],
    policy: Policy,
    *,
    today: date,
    audiences: Mapping[str, frozenset[str]] | None = None,
    sizes: Mapping[str, int] | None = None,
    members: Mapping[str, frozenset[str]] | None = None,
    fixed: Collection[str] = (),
    starts: Mapping[str, date] | None = None,
) -> CheckResult:
    """Expand schedules and find, rank and resolve their conflicts.

    Args:
        schedules: the schedules (labels should be unique).
        policy: the file's policy (conflict mode, allowed pairs, horizon).
        today: the current date, for open-ended schedules.
        audiences: label → contact list ids (live, at plan time); otherwise each
            schedule's `audience` (none: it meets no one).
        sizes: contact list id → size; unknown sizes count as 0 (one warning).
        members: sequence label → labels of its member campaigns.
        fixed: labels of schedules that take part in detection but that this
            run can never change (see the module docstring for the rule).
        starts: label → the day to read as "today" for that schedule (where a
            window without `from` starts: the planner passes the start the org
            already holds, so a re-plan on a later day does not move it).

    Returns:
        The `CheckResult`.
    """
    pinned = frozenset(fixed)
    expansions = _expand_all(
        schedules, pinned, today=today, starts=starts or {}, policy=policy
    )
    warnings: list[str] = [
        w for e in expansions if e.schedule.label not in pinned for w in e.warnings
    ]
    keys = [_audience_keys(s, audiences) for s in schedules]
    size_of = sizes or {}
    unsized: set[str] = set()
    scores: list[float] = []
    for schedule, own in zip(schedules, keys, strict=True):
        known = [size_of[k] for k in own if k in size_of]
        if len(known) < len(own):
            unsized.add(schedule.label)
        scores.append(rank_score(schedule.priority, max(known, default=0)))
    order = sorted(
        range(len(schedules)),
        key=lambda i: (
            schedules[i].label not in pinned,
            -scores[i],
            schedules[i].label,
            schedules[i].target.kind,
            schedules[i].target.ref,
        ),
    )
    rank = {i: position for position, i in enumerate(order)}

    dialer_pairs: set[tuple[int, int]] = set()
    label_index = {s.label: i for i, s in enumerate(schedules)}
    for parent, children in (members or {}).items():
        if parent not in label_index:
            continue
        for child in children:
            if child in label_index and child != parent:
                a, b = label_index[parent], label_index[child]
                dialer_pairs.add((min(a, b), max(a, b)))

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, own in enumerate(keys):
        for key in own:
            by_key[key].append(i)
    pair_spans: dict[tuple[int, int], list[Span]] = defaultdict(list)
    pair_list: dict[tuple[int, int], str | None] = {}
    for key in sorted(by_key):
        group = by_key[key]
        if len(group) < 2:
            continue
        items = [(i, o.start, o.end) for i in group for o in expansions[i].occurrences]
        for a, b, start, end in find_overlaps(items):
            pair = (min(a, b), max(a, b))
            if pair_list.setdefault(pair, key) != key:
                continue  # counted under the first shared list already
            pair_spans[pair].append((start, end))
    for pair in sorted(dialer_pairs):
        a, b = pair
        items = [(i, o.start, o.end) for i in pair for o in expansions[i].occurrences]
        spans = [(s, e) for _x, _y, s, e in find_overlaps(items)]
        pair_spans[pair] = spans
        pair_list.pop(pair, None)

    conflicts: list[Conflict] = []
    beaten: dict[int, set[int]] = defaultdict(set)
    for pair in sorted(pair_spans, key=lambda p: (min(rank[p[0]], rank[p[1]]), p)):
        spans = pair_spans[pair]
        if not spans:
            continue
        win, lose = sorted(pair, key=lambda i: rank[i])
        names = (schedules[win].label, schedules[lose].label)
        resolution: Resolution = policy.audience_conflicts
        if policy.allows(*names):
            resolution = "allowed"
        elif names[1] in pinned:  # both fixed: the winner is fixed too
            resolution = "warn"
        if resolution == "trim":
            beaten[lose].add(win)
        reason = _describe(
            (scores[win], schedules[win]), (scores[lose], schedules[lose]), pinned
        )
        kind: Literal["overlap", "audience"] = (
            "overlap" if pair in dialer_pairs else "audience"
        )
        for start, end in merge(spans):
            conflicts.append(
                Conflict(
                    type=kind,
                    campaigns=names,
                    contact_list=pair_list.get(pair),
                    start=start,
                    end=end,
                    resolution=resolution,
                    winner=names[0],
                    reason=reason,
                )
            )
    conflicts.sort(key=lambda c: (c.start, c.end, c.campaigns, c.type))
    if any(
        c.type == "audience"
        and unsized & set(c.campaigns)
        and not pinned & set(c.campaigns)
        for c in conflicts
    ):
        warnings.append(SIZE_UNKNOWN_WARNING)
    trimmed = _trim(order, beaten, expansions, schedules)
    return CheckResult(
        expansions=expansions,
        conflicts=tuple(conflicts),
        warnings=tuple(warnings),
        trimmed=trimmed,
    )


def _expand_all(
    schedules: Sequence[Schedule],
    pinned: frozenset[str],
    *,
    today: date,
    starts: Mapping[str, date],
    policy: Policy,
) -> tuple[Expansion, ...]:
    """Expand each schedule; fixed ones over the range of those this run changes.

    A fixed schedule (often open-ended) is expanded over the union of the other
    schedules' ranges, not `horizon_days` from today: the time a trimmed schedule
    loses is then the same on any day, over its whole range.
    """
    ranges: list[tuple[date, date]] = [
        expansion_range(
            s,
            today=starts.get(s.label, today),
            horizon_days=policy.horizon_days,
        )
        for s in schedules
    ]
    movable = [
        r for s, r in zip(schedules, ranges, strict=True) if s.label not in pinned
    ]
    if movable:
        envelope = (min(r[0] for r in movable), max(r[1] for r in movable))
        ranges = [
            envelope if s.label in pinned else r
            for s, r in zip(schedules, ranges, strict=True)
        ]
    return tuple(
        expand(s, start=first, end=last, today=starts.get(s.label, today))
        for s, (first, last) in zip(schedules, ranges, strict=True)
    )


def _trim(
    order: Sequence[int],
    beaten: Mapping[int, set[int]],
    expansions: Sequence[Expansion],
    schedules: Sequence[Schedule],
) -> dict[str, tuple[Span, ...]]:
    """Each loser's remaining time, highest rank first (winners already trimmed)."""
    remaining: dict[int, tuple[Span, ...]] = {}
    trimmed: dict[str, tuple[Span, ...]] = {}
    for i in order:
        own = tuple((o.start, o.end) for o in expansions[i].occurrences)
        if i in beaten:
            holes = merge(
                span for w in sorted(beaten[i]) for span in remaining.get(w, ())
            )
            left = subtract_all(own, holes)
            if left != own:
                trimmed[schedules[i].label] = left
            own = left
        remaining[i] = own
    return trimmed
