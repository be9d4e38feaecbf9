"""Desired schedules against the org's: the changes, with ownership applied.

Ownership (design.md "Ownership"): gcsched marks the schedules it writes with a
name starting ``gcsched:``. The table this module implements:

===================  ==============  ===================  =====================
existing schedule    in the file     ``manage: owned``    ``manage: all``
===================  ==============  ===================  =====================
none                 yes             create               create
owned                yes             update / unchanged   update / unchanged
not owned            yes             not managed (left)   update (adopted)
owned                no              delete               delete
not owned            no              untouched            untouched
===================  ==============  ===================  =====================

Pacing is compared field by field; only fields whose desired value differs from
the campaign's current value make a change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from gcsched.domain import canonical_body, owned
from gcsched.errors import ResolveError
from gcsched.genesys import TARGET_KIND, Action, Family, TargetKind
from gcsched.plan.changes import Change

__all__ = [
    "Desired",
    "DiffResult",
    "Existing",
    "PacingDesired",
    "diff",
    "index_targets",
]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

Canonical = Callable[[Mapping[str, Any]], Mapping[str, Any]]
IsOwned = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Desired:
    """A schedule the file wants, as the Genesys body gcsched will PUT.

    Attributes:
        family: the schedule family.
        target_id: id of the scheduled object.
        target_name: its name, for people.
        body: the full body (reference field and ``gcsched:`` name included,
            no ``version``).
    """

    family: Family
    target_id: str
    target_name: str
    body: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Existing:
    """A schedule read from the org (its body carries ``version`` and ``name``)."""

    family: Family
    target_id: str
    target_name: str
    body: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PacingDesired:
    """Pacing the file wants for one campaign.

    Attributes:
        target_kind: ``campaign`` (voice, PATCH) or ``messaging_campaign`` (PUT
            with version).
        target_id: the campaign id.
        target_name: the campaign name.
        current: the campaign's current values of the fields concerned
            (camelCase: ``maxCallsPerAgent``, ``outboundLineCount``,
            ``abandonRate``, ``messagesPerMinute``, ``priority``).
        desired: the wanted values (None values are ignored).
        version: the campaign version (messaging campaigns), None otherwise.
    """

    target_kind: TargetKind
    target_id: str
    target_name: str
    current: Mapping[str, Any]
    desired: Mapping[str, Any]
    version: int | None = None


@dataclass(frozen=True, slots=True)
class DiffResult:
    """What `diff` found.

    Attributes:
        changes: the changes, unsorted (the `Plan` sorts them).
        unchanged: desired schedules already as wanted.
        not_managed: one note per listed target whose existing schedule gcsched
            does not own (``manage: owned`` only).
        existing_count: schedules that exist in the org (the safety base).
    """

    changes: tuple[Change, ...]
    unchanged: int
    not_managed: tuple[str, ...]
    existing_count: int


def _version(body: Mapping[str, Any]) -> int | None:
    """The body's ``version`` as an int, if it has one."""
    value = body.get("version")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _before(body: Mapping[str, Any], canonical: Canonical) -> dict[str, Any]:
    """The existing body in canonical form, with its version kept."""
    shown = dict(canonical(body))
    version = _version(body)
    if version is not None:
        shown["version"] = version
    return shown


def index_targets(
    items: Iterable[T], key: Callable[[T], K], clash: Callable[[T, T], str]
) -> dict[K, T]:
    """Items by their target; a target given twice is an error.

    The one duplicate-target check of gcsched: the planner's (file entries
    naming one target), the diff's (desired schedules, pacing, and what the org
    returned).

    Args:
        items: the items, in order.
        key: an item's target, e.g. ``(family, target_id)``.
        clash: the problem line for a later item and the first of its target.

    Returns:
        The first item of each target, by target.

    Raises:
        ResolveError: listing every clash at once.
    """
    index: dict[K, T] = {}
    problems: list[str] = []
    for item in items:
        target = key(item)
        if target in index:
            problems.append(clash(item, index[target]))
        else:
            index[target] = item
    if problems:
        raise ResolveError(problems)
    return index


def _index_desired(desired: Sequence[Desired]) -> dict[tuple[str, str], Desired]:
    """Desired schedules by (family, target_id); a target listed twice is an error."""
    return index_targets(
        desired,
        lambda item: (item.family, item.target_id),
        lambda item, _: (
            f"{item.target_name} ({item.family} {item.target_id}) is scheduled "
            "more than once in the file; keep one entry per target"
        ),
    )


def _index_existing(existing: Sequence[Existing]) -> dict[tuple[str, str], Existing]:
    """Existing schedules by (family, target_id); two for one target is an error."""
    return index_targets(
        existing,
        lambda item: (item.family, item.target_id),
        lambda item, _: (
            f"the org returned two {item.family} schedules for {item.target_name} "
            f"({item.target_id}); gcsched cannot tell which one to manage"
        ),
    )


def _not_managed_note(want: Desired, have: Existing) -> str:
    """The note for a listed target whose schedule someone else owns."""
    name = have.body.get("name")
    shown = f"'{name}'" if isinstance(name, str) and name else "(unnamed)"
    return (
        f"{want.target_name}: existing schedule {shown} is not managed by gcsched; "
        "left alone (use policy.manage: all to adopt it)"
    )


def _pacing_changes(pacing: Sequence[PacingDesired]) -> list[Change]:
    """One pacing change per campaign with at least one differing field."""
    index = index_targets(
        pacing,
        lambda item: (item.target_kind, item.target_id),
        lambda item, _: (
            f"pacing for {item.target_name} ({item.target_kind} {item.target_id}) "
            "is given more than once; keep one entry per campaign"
        ),
    )
    changes: list[Change] = []
    for item in index.values():
        fields = sorted(
            name
            for name, value in item.desired.items()
            if value is not None and item.current.get(name) != value
        )
        if not fields:
            continue
        changes.append(
            Change(
                action=Action.PACING,
                family=None,
                target_kind=item.target_kind,
                target_id=item.target_id,
                target_name=item.target_name,
                version_seen=item.version,
                before={name: item.current.get(name) for name in fields},
                after={name: item.desired[name] for name in fields},
            )
        )
    return changes


def diff(
    desired: Sequence[Desired],
    existing: Sequence[Existing],
    *,
    manage: Literal["owned", "all"],
    pacing: Sequence[PacingDesired] = (),
    canonical: Canonical | None = None,
    is_owned: IsOwned | None = None,
) -> DiffResult:
    """Compare what the file wants with what the org has.

    Args:
        desired: the schedules the file wants, one per target.
        existing: every schedule read from the org (all families).
        manage: ``owned`` leaves schedules gcsched did not write alone;
            ``all`` adopts listed ones.
        pacing: wanted pacing per campaign.
        canonical: comparable form of a body (default: the domain's
            ``canonical_body``).
        is_owned: ownership test (default: the domain's ``owned``).

    Returns:
        The changes (unsorted), the unchanged count, not-managed notes and the
        number of existing schedules.

    Raises:
        ResolveError: a target is listed twice (schedules or pacing), or the
            org holds two schedules for one target.
    """
    canon = canonical or canonical_body
    owns = is_owned or owned
    wanted = _index_desired(desired)
    have = _index_existing(existing)
    changes: list[Change] = []
    unchanged = 0
    not_managed: list[str] = []

    for key, want in wanted.items():
        current = have.get(key)
        if current is None:
            changes.append(
                Change(
                    action=Action.CREATE,
                    family=want.family,
                    target_kind=TARGET_KIND[want.family],
                    target_id=want.target_id,
                    target_name=want.target_name,
                    version_seen=None,
                    before=None,
                    after=copy.deepcopy(dict(want.body)),
                )
            )
            continue
        if not owns(current.body) and manage == "owned":
            not_managed.append(_not_managed_note(want, current))
            continue
        if canon(current.body) == canon(want.body):
            unchanged += 1
            continue
        changes.append(
            Change(
                action=Action.UPDATE,
                family=want.family,
                target_kind=TARGET_KIND[want.family],
                target_id=want.target_id,
                target_name=want.target_name,
                version_seen=_version(current.body),
                before=_before(current.body, canon),
                after=copy.deepcopy(dict(want.body)),
            )
        )

    for key, current in have.items():
        if key in wanted or not owns(current.body):
            continue
        changes.append(
            Change(
                action=Action.DELETE,
                family=current.family,
                target_kind=TARGET_KIND[current.family],
                target_id=current.target_id,
                target_name=current.target_name,
                version_seen=_version(current.body),
                before=_before(current.body, canon),
                after=None,
            )
        )

    changes.extend(_pacing_changes(pacing))
    return DiffResult(
        changes=tuple(changes),
        unchanged=unchanged,
        not_managed=tuple(sorted(not_managed)),
        existing_count=len(existing),
    )
