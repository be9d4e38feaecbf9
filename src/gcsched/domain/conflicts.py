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
- Two fixed schedules that overlap are neither computed nor reported (this
  run cannot cause or fix that clash, and an org of thousands of hand-made
  schedules holds tens of thousands of such pairs): `CheckResult.fixed_pairs`
  only counts them.
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
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from gcsched.domain.expansion import Expansion, expand, expansion_range
from gcsched.domain.intervals import Span, from_micros, merge, subtract_all
from gcsched.domain.model import Policy, Schedule
from gcsched.domain.pair_sweep import PairTally, fixed_pair_count, sweep_list

__all__ = [
    "CheckResult",
    "Conflict",
    "ConflictPair",
    "Detection",
    "check",
    "detect",
    "rank_score",
    "resolve",
]

Resolution = Literal["reject", "trim", "warn", "allowed"]
ConflictType = Literal["overlap", "audience"]
SIZE_UNKNOWN_WARNING = (
    "contact list sizes are unknown offline: conflicts are ranked by priority "
    "(then name) only"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two schedules running at the same time against the same audience or dialer.

    `campaigns` holds the two labels, the winner first; `start`/`end` are the
    merged contiguous overlap in UTC. Only `check(..., spans=True)` (the
    offline report and `validate`) lists these; the plan reads `ConflictPair`.
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
class ConflictPair:
    """All the overlaps of one pair of schedules, summed up.

    `campaigns` holds the two labels, the winner first; `first` is the start of
    the first overlap and `last` the end of the last (UTC); `count` counts the
    contiguous overlaps (touching ones merged) and `total` their summed length.
    """

    type: Literal["overlap", "audience"]
    campaigns: tuple[str, str]
    contact_list: str | None
    first: datetime
    last: datetime
    count: int
    total: timedelta
    resolution: Resolution
    winner: str | None
    reason: str

    @property
    def minutes(self) -> float:
        """`total` in minutes (whole for schedules on minute boundaries)."""
        return self.total.total_seconds() / 60


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Expansions, conflicts and warnings of a set of schedules.

    `pairs` holds one `ConflictPair` per conflicting pair; `conflicts` one
    `Conflict` per contiguous overlap, only when `check` was asked for spans.
    `trimmed` maps each label that lost time under `trim` to its remaining UTC
    occurrences (to be rendered as explicit intervals). `fixed_pairs` counts
    the overlapping pairs of two fixed schedules, which are not computed.
    """

    expansions: tuple[Expansion, ...]
    conflicts: tuple[Conflict, ...]
    warnings: tuple[str, ...]
    trimmed: Mapping[str, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict
    )
    pairs: tuple[ConflictPair, ...] = ()
    fixed_pairs: int = 0

    @property
    def rejected(self) -> tuple[Conflict, ...]:
        """The conflicts that refuse the plan (`reject`; empty without spans)."""
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
    if first.label in fixed:
        return f"{first.label} is already in the org and this run does not change it"
    if score_a != score_b:
        if first.priority != second.priority:
            return f"priority {first.priority} vs {second.priority}"
        return f"score {score_a:g} vs {score_b:g} (contact list size)"
    if first.label != second.label:
        return f"tie on score {score_a:g}, broken by name"
    return f"tie on score {score_a:g}, broken by id"


@dataclass(frozen=True, slots=True)
class Detection:
    """What `detect` found: expansions and the tallies of conflicting pairs.

    Ranking and resolution (`resolve`) need the contact list sizes, which the
    planner reads only for the lists that `pair_labels` shows contested; the
    detection is done once and resolved once, whatever the sizes.
    """

    schedules: tuple[Schedule, ...]
    pinned: frozenset[str]
    expansions: tuple[Expansion, ...]
    keys: tuple[frozenset[str], ...]
    tallies: Mapping[tuple[int, int], PairTally]
    dialer_pairs: frozenset[tuple[int, int]]
    fixed_pairs: int

    def pair_labels(self) -> Iterator[tuple[str, str]]:
        """The labels of each conflicting pair (in no particular order)."""
        for a, b in self.tallies:
            yield self.schedules[a].label, self.schedules[b].label


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
    spans: bool = True,
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
        spans: also list every contiguous overlap (`CheckResult.conflicts`,
            for the report and `validate`); the plan needs only the pairs,
            whose memory does not grow with the overlaps.

    Returns:
        The `CheckResult`: ``resolve(detect(...), policy, sizes=sizes)``.
    """
    found = detect(
        schedules,
        policy,
        today=today,
        audiences=audiences,
        members=members,
        fixed=fixed,
        starts=starts,
        spans=spans,
    )
    return resolve(found, policy, sizes=sizes)


def detect(
    schedules: Sequence[Schedule],
    policy: Policy,
    *,
    today: date,
    audiences: Mapping[str, frozenset[str]] | None = None,
    members: Mapping[str, frozenset[str]] | None = None,
    fixed: Collection[str] = (),
    starts: Mapping[str, date] | None = None,
    spans: bool = True,
) -> Detection:
    """Expand schedules and tally their conflicting pairs (see `check`)."""
    pinned = frozenset(fixed)
    expansions = _expand_all(
        schedules, pinned, today=today, starts=starts or {}, policy=policy
    )
    keys = tuple(_audience_keys(s, audiences) for s in schedules)
    dialer_pairs: set[tuple[int, int]] = set()
    label_index = {s.label: i for i, s in enumerate(schedules)}
    for parent, children in (members or {}).items():
        if parent not in label_index:
            continue
        for child in children:
            if child in label_index and child != parent:
                a, b = label_index[parent], label_index[child]
                dialer_pairs.add((min(a, b), max(a, b)))

    is_fixed = [s.label in pinned for s in schedules]
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, own in enumerate(keys):
        for key in own:
            by_key[key].append(i)
    # Only schedules that share a list (or a dialer) are swept: the others'
    # occurrences are never compared, so their spans are not even listed.
    swept = {i for group in by_key.values() if len(group) > 1 for i in group}
    swept.update(i for pair in dialer_pairs for i in pair)
    micros: list[Sequence[tuple[int, int]]] = [
        e.micro_spans() if i in swept else [] for i, e in enumerate(expansions)
    ]
    tallies: dict[tuple[int, int], PairTally] = {}
    fixed_meets: dict[int, int] = {}
    for key in sorted(by_key):
        group = by_key[key]
        if len(group) > 1:
            sweep_list(
                key,
                group,
                micros,
                is_fixed,
                tallies,
                spans=spans,
                fixed_meets=fixed_meets,
            )
    for pair in sorted(dialer_pairs):
        tallies.pop(pair, None)
        if all(is_fixed[i] for i in pair):
            continue  # two fixed schedules: counted by their lists, if shared
        sweep_list(None, pair, micros, is_fixed, tallies, spans=spans)
    return Detection(
        schedules=tuple(schedules),
        pinned=pinned,
        expansions=expansions,
        keys=keys,
        tallies=tallies,
        dialer_pairs=frozenset(dialer_pairs),
        fixed_pairs=fixed_pair_count(fixed_meets),
    )


def resolve(
    found: Detection, policy: Policy, *, sizes: Mapping[str, int] | None = None
) -> CheckResult:
    """Rank the detected pairs and resolve them under `policy` (see `check`).

    Args:
        found: what `detect` found.
        policy: the file's policy.
        sizes: contact list id → size; unknown sizes count as 0 (one warning).

    Returns:
        The `CheckResult`.
    """
    schedules, pinned, expansions = found.schedules, found.pinned, found.expansions
    warnings: list[str] = [
        w for e in expansions if e.schedule.label not in pinned for w in e.warnings
    ]
    size_of = sizes or {}
    unsized: set[str] = set()
    scores: list[float] = []
    for schedule, own in zip(schedules, found.keys, strict=True):
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

    pairs: list[ConflictPair] = []
    # Each overlap as (start, end, campaigns, type, which pair) in epoch
    # microseconds: sorted as integers, then made into `Conflict`s in order.
    overlaps: list[tuple[int, int, tuple[str, str], ConflictType, int]] = []
    beaten: dict[int, set[int]] = defaultdict(set)
    allowed = policy.allow_overlap
    for pair, tally in found.tallies.items():
        win, lose = pair if rank[pair[0]] < rank[pair[1]] else (pair[1], pair[0])
        names = (schedules[win].label, schedules[lose].label)
        resolution: Resolution = policy.audience_conflicts
        if allowed and policy.allows(*names):
            resolution = "allowed"
        if resolution == "trim":
            beaten[lose].add(win)
        reason = _describe(
            (scores[win], schedules[win]), (scores[lose], schedules[lose]), pinned
        )
        kind: ConflictType = "overlap" if pair in found.dialer_pairs else "audience"
        entry = ConflictPair(
            type=kind,
            campaigns=names,
            contact_list=tally.key,
            first=from_micros(tally.first),
            last=from_micros(tally.last),
            count=tally.count,
            total=tally.length,
            resolution=resolution,
            winner=names[0],
            reason=reason,
        )
        which = len(pairs)
        pairs.append(entry)
        overlaps.extend((s, e, names, kind, which) for s, e in tally.spans or ())
    overlaps.sort()  # `which` last: equal overlaps keep the order they came in
    # Overlaps share their instants (a weekday clash starts at the same hour
    # in every pair of a list): each instant is made into a datetime once.
    instants: dict[int, datetime] = {}

    def instant(micros: int) -> datetime:
        made = instants.get(micros)
        if made is None:
            made = instants[micros] = from_micros(micros)
        return made

    conflicts = [
        Conflict(  # positional: the fields in order, cheaper than keywords
            kind,
            names,
            pairs[which].contact_list,
            instant(start),
            instant(end),
            pairs[which].resolution,
            names[0],
            pairs[which].reason,
        )
        for start, end, names, kind, which in overlaps
    ]
    pairs.sort(key=lambda c: (c.first, c.last, c.campaigns, c.type))
    if any(
        c.type == "audience"
        and unsized & set(c.campaigns)
        and not pinned & set(c.campaigns)
        for c in pairs
    ):
        warnings.append(SIZE_UNKNOWN_WARNING)
    trimmed = _trim(order, beaten, expansions, schedules)
    return CheckResult(
        expansions=expansions,
        conflicts=tuple(conflicts),
        warnings=tuple(warnings),
        trimmed=trimmed,
        pairs=tuple(pairs),
        fixed_pairs=found.fixed_pairs,
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
    involved = set(beaten).union(*beaten.values())
    for i in order:
        if i not in involved:
            continue  # neither loses time nor takes it from anyone
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
