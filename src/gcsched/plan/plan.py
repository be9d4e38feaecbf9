"""The plan: a value of changes against one org, its safety check and checksum.

As in octoDNS, building a plan and checking it are separate steps: `Plan` is
data, `raise_if_unsafe()` refuses plans that touch too large a share of the
existing schedules (unless forced), and `checksum()` ties the plan someone
reviewed to the apply that runs (``gcsched apply FILE --checksum SHA``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from gcsched.domain import ConflictPair
from gcsched.domain.compliance import ComplianceReport, Finding
from gcsched.domain.model import MAX_CHANGE_FRACTION, MIN_EXISTING, Policy
from gcsched.errors import (
    ChecksumMismatchError,
    ComplianceRefusedError,
    ConflictsRejectedError,
    UnsafePlanError,
)
from gcsched.genesys import ChangeSpec
from gcsched.plan.changes import Change, canonical_json, hashed_body
from gcsched.plan.conflict_groups import group_pairs

__all__ = [
    "FORMAT_VERSION",
    "MAX_CHANGE_FRACTION",
    "MIN_EXISTING",
    "Plan",
    "conflict_data",
    "hashed_body",
    "iso_utc",
    "pair_data",
]

FORMAT_VERSION = 2
"""Version of the `plan --json` object (2: one `conflicts` entry per pair)."""


def iso_utc(moment: datetime) -> str:
    """An instant as ISO-8601 UTC with a ``Z`` (naive datetimes are taken as UTC).

    Args:
        moment: the instant.

    Returns:
        e.g. ``2026-12-01T15:00:00Z``.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


class ConflictFacts(Protocol):
    """What `conflict_data` reads of a conflict (the domain's and the report's)."""

    @property
    def type(self) -> str: ...
    @property
    def campaigns(self) -> tuple[str, str]: ...
    @property
    def contact_list(self) -> str | None: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def resolution(self) -> str: ...
    @property
    def winner(self) -> str | None: ...


def conflict_data(conflict: ConflictFacts) -> dict[str, Any]:
    """A conflict as JSON (``plan --json`` and ``report --format json``).

    Returns:
        ``{type, campaigns, contact_list, start, end, resolution, winner}``,
        times as ISO-8601 UTC with a ``Z``.
    """
    return {
        "type": conflict.type,
        "campaigns": list(conflict.campaigns),
        "contact_list": conflict.contact_list,
        "start": iso_utc(conflict.start),
        "end": iso_utc(conflict.end),
        "resolution": conflict.resolution,
        "winner": conflict.winner,
    }


def _minutes(pair: ConflictPair) -> int | float:
    minutes = pair.minutes
    return int(minutes) if minutes.is_integer() else minutes


def pair_data(pair: ConflictPair) -> dict[str, Any]:
    """A conflicting pair as JSON (``plan --json``, format_version 2).

    Returns:
        ``{type, campaigns, contact_list, first, last, count, minutes,
        resolution, winner}``: `first` the start of the first overlap, `last`
        the end of the last (ISO-8601 UTC with a ``Z``), `count` the
        contiguous overlaps, `minutes` their summed length.
    """
    return {
        "type": pair.type,
        "campaigns": list(pair.campaigns),
        "contact_list": pair.contact_list,
        "first": iso_utc(pair.first),
        "last": iso_utc(pair.last),
        "count": pair.count,
        "minutes": _minutes(pair),
        "resolution": pair.resolution,
        "winner": pair.winner,
    }


def policy_data(policy: Policy) -> dict[str, Any]:
    """The policy fields that change what an apply does, JSON-able and ordered.

    Args:
        policy: the file's policy.

    Returns:
        ``{audience_conflicts, allow_overlap (sorted pairs), horizon_days,
        max_change_fraction, min_existing, manage, map_priority}``.
    """
    return {
        "audience_conflicts": policy.audience_conflicts,
        "allow_overlap": sorted(sorted(pair) for pair in policy.allow_overlap),
        "horizon_days": policy.horizon_days,
        "max_change_fraction": policy.max_change_fraction,
        "min_existing": policy.min_existing,
        "manage": policy.manage,
        "map_priority": policy.map_priority,
    }


def _percent(fraction: float) -> str:
    """``60%``, ``33.3%``: one decimal at most, none when whole."""
    text = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


@dataclass(frozen=True)
class Plan:
    """Everything `apply` would do to one org, sorted deletes first.

    Attributes:
        org_id: the org (from ``organizations/me``).
        org_name: its name.
        file_path: the schedule file.
        file_sha256: SHA-256 of the file's bytes.
        policy: the file's policy.
        changes: the changes; sorted on construction (delete, create, update,
            pacing; then kind, target name, id).
        unchanged: desired schedules already as wanted.
        existing_count: schedules in the org (the base of the safety fraction).
        conflicts: the conflicting pairs found (those the policy rejects
            make `raise_if_unsafe` refuse the plan).
        fixed_conflicts: how many pairs of schedules this run leaves alone
            overlap (counted, never computed or shown one by one).
        warnings: one line each.
        not_managed: listed targets whose schedules gcsched leaves alone.
        facts: the org's doctor facts in force, one line each (with when
            they were observed).
        environment: the file's environment (``--env NAME``); None: none.
        past_refused: the org refuses starts in the past: apply renders each
            schedule body again at the instant it sends it
            (`gcsched.domain.past`), and the checksum covers each schedule
            change's day-independent basis instead of its body.
    """

    org_id: str
    org_name: str
    file_path: str
    file_sha256: str
    policy: Policy
    changes: tuple[Change, ...]
    unchanged: int
    existing_count: int
    conflicts: tuple[ConflictPair, ...] = ()
    warnings: tuple[str, ...] = ()
    not_managed: tuple[str, ...] = ()
    contact_lists: Mapping[str, str] = field(default_factory=dict, compare=False)
    facts: tuple[str, ...] = ()
    """Contact list id → name, for display only (never in the checksum)."""
    past_refused: bool = False
    fixed_conflicts: int = 0
    compliance: ComplianceReport | None = None
    environment: str | None = None
    """The calling-hour check (None: the file asks for none); its findings are
    in `data()` and the renderings, never in the checksum."""

    def __post_init__(self) -> None:
        """Sort the changes so every plan of the same content reads the same."""
        ordered = tuple(sorted(self.changes, key=lambda change: change.sort_key))
        object.__setattr__(self, "changes", ordered)
        object.__setattr__(self, "conflicts", tuple(self.conflicts))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "not_managed", tuple(self.not_managed))

    def count(self, action: str) -> int:
        """How many changes have this action."""
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> dict[str, int]:
        """Counts per action, plus the unchanged schedules.

        Returns:
            ``{create, update, delete, unchanged, pacing}``.
        """
        return {
            "create": self.count("create"),
            "update": self.count("update"),
            "delete": self.count("delete"),
            "unchanged": self.unchanged,
            "pacing": self.count("pacing"),
        }

    @property
    def has_changes(self) -> bool:
        """True when `apply` would do anything."""
        return bool(self.changes)

    def checksum(self) -> str:
        """SHA-256 (hex) of what the apply will do.

        Covers, for each change in order, its `Change.key()` (``[action, kind,
        target_id, version_seen, after]``, read-only fields stripped from
        `after`; on an org that refuses past starts, a schedule change's
        day-independent basis in place of `after`, so the checksum is the same
        on any day) and the policy fields that affect the apply, as canonical
        JSON (sorted keys, compact separators). Names, `before`, warnings and
        timestamps are not covered.

        Returns:
            64 lowercase hex digits.
        """
        payload = {
            "changes": [c.key() for c in self.changes],
            "policy": policy_data(self.policy),
        }
        text = canonical_json(payload)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def data(self) -> dict[str, Any]:
        """The `plan --json` object (design.md "CLI").

        Returns:
            ``{format_version, org {id, name}, environment (only for a file
            read for one), checksum, summary, changes,
            conflicts (one per pair, `pair_data`), fixed_conflicts, warnings,
            not_managed, facts}``.
        """
        return {
            "format_version": FORMAT_VERSION,
            "org": {"id": self.org_id, "name": self.org_name},
            **({} if self.environment is None else {"environment": self.environment}),
            "checksum": self.checksum(),
            "summary": self.summary(),
            "changes": [change.data() for change in self.changes],
            "conflicts": [pair_data(pair) for pair in self.conflicts],
            "fixed_conflicts": self.fixed_conflicts,
            "warnings": list(self.warnings),
            "not_managed": list(self.not_managed),
            "facts": list(self.facts),
            "compliance": [] if self.compliance is None else self.compliance.data(),
        }

    def unsafe_reasons(self) -> list[str]:
        """Why the plan is too big for the policy (empty when it is safe).

        Returns:
            One sentence for updates and one for deletes when their share of
            the existing schedules is above ``policy.max_change_fraction`` and
            at least ``policy.min_existing`` schedules exist.
        """
        existing = self.existing_count
        if existing == 0 or existing < self.policy.min_existing:
            return []
        limit = self.policy.max_change_fraction
        reasons: list[str] = []
        for action in ("update", "delete"):
            count = self.count(action)
            fraction = count / existing
            if fraction > limit:
                noun = action if count == 1 else f"{action}s"
                schedules = "schedule" if existing == 1 else "schedules"
                reasons.append(
                    f"{count} {noun} of {existing} existing {schedules} "
                    f"({_percent(fraction)}) is more than "
                    f"policy.max_change_fraction {_percent(limit)}"
                )
        return reasons

    @property
    def rejected(self) -> tuple[ConflictPair, ...]:
        """The pairs the policy refuses (``audience_conflicts: reject``)."""
        return tuple(c for c in self.conflicts if c.resolution == "reject")

    @property
    def compliance_errors(self) -> tuple[Finding, ...]:
        """Calling-hour violations that refuse the plan (mode ``enforce``)."""
        return () if self.compliance is None else self.compliance.errors

    def covered_by(
        self, checksum: str, resumed: Iterable[tuple[str, Sequence[ChangeSpec]]] = ()
    ) -> bool:
        """True when the reviewed `checksum` covers everything this plan will do.

        It is the plan's own checksum, or that of an interrupted run of the same
        file (given in `resumed` as its checksum and the changes of its steps)
        whose steps include every change of this plan: what is left of the
        reviewed plan once the steps that landed are gone. A change that run
        never had (say a colleague edited a schedule meanwhile) was never
        reviewed. Changes are compared by `Change.step_key()`, what the
        journal's steps hold (the checksum's `Change.key()` where a change has
        no day-independent basis).
        """
        if checksum == self.checksum():
            return True
        wanted = {canonical_json(c.step_key()) for c in self.changes}
        return any(
            run_checksum == checksum
            and wanted <= {canonical_json(Change.of(c).step_key()) for c in changes}
            for run_checksum, changes in resumed
        )

    def raise_if_unsafe(
        self,
        *,
        force: bool = False,
        checksum: str | None = None,
        resumed: Iterable[tuple[str, Sequence[ChangeSpec]]] = (),
    ) -> None:
        """Refuse a plan that must not be applied (octoDNS-style): the one gate.

        A reviewed checksum that does not cover the plan is refused, then
        rejected conflicts (always), then a plan that changes too much (unless
        forced). Nothing has been written when this raises.

        Args:
            force: skip the change-fraction check (``--force``); rejected
                conflicts and a checksum mismatch are refused even then.
            checksum: the reviewed checksum (``--checksum``), if any; see
                `covered_by`.
            resumed: the checksum and step changes of each interrupted run of
                the same file, for `covered_by`.

        Raises:
            ChecksumMismatchError: `checksum` does not cover this plan.
            ConflictsRejectedError: conflicts under ``audience_conflicts:
                reject``, each pair with its audience and first overlap.
            ComplianceRefusedError: calling-hour violations under
                ``policy.compliance.mode: enforce``.
            UnsafePlanError: updates or deletes over the policy's fraction of the
                existing schedules, with the figures.
        """
        if checksum is not None and not self.covered_by(checksum, resumed):
            msg = (
                f"the plan now has checksum {self.checksum()}, not {checksum}: "
                "the file or the org changed since it was reviewed; run "
                "`gcsched plan` again"
            )
            raise ChecksumMismatchError(msg)
        refused = self.rejected
        if refused:
            pairs = sorted(
                {
                    f"{' × '.join(g.campaigns)} ({g.audience}, {g.count} overlaps, "
                    f"first {g.first:%Y-%m-%d %H:%M} UTC)"
                    for g in group_pairs(refused, self.contact_lists)
                }
            )
            msg = (
                f"{len(refused)} audience conflict(s) are rejected by "
                "policy.audience_conflicts: reject: " + "; ".join(pairs) + ". "
                "Change the windows, or set audience_conflicts to trim or warn"
            )
            raise ConflictsRejectedError(msg, refused)
        violations = self.compliance_errors
        if violations:
            msg = (
                f"{len(violations)} calling-hour violation(s) are refused by "
                "policy.compliance.mode: enforce: "
                + "; ".join(f.message() for f in violations[:3])
                + ("; …" if len(violations) > 3 else "")
            )
            raise ComplianceRefusedError(msg)
        if force:
            return
        reasons = self.unsafe_reasons()
        if reasons:
            msg = "; ".join(reasons) + "; review the plan and re-run with --force"
            raise UnsafePlanError(msg)
