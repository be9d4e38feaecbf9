"""Drift: managed schedules changed outside gcsched, with who, when and what.

A fresh snapshot is the truth (compliance-drift-research.md §2.6). Each
schedule the file's project owns by an ownership record is compared with what
gcsched last wrote of it: a higher version means an edit since, another
``dateCreated`` or a lower version a recreation, no schedule a delete. The
platform audit trail then says who did it (a user by name, or an OAuth client)
and when; gcsched's own writes are told apart by its OAuth client id (and the
versions the journal recorded). What differs is said in the file's terms, by
the describer ``plan --markdown`` uses: the file's body against the org's.
Without ``audits:audit:view`` a drift is still reported, its author unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Literal, Protocol

from gcsched.domain.model import ScheduleFile
from gcsched.engine.facts import FactsLookup
from gcsched.engine.live import existing_schedules, target_names
from gcsched.engine.ownership import owner_of
from gcsched.engine.planner import build_plan
from gcsched.engine.ports import Json, Org
from gcsched.errors import PermissionDeniedError
from gcsched.genesys import TARGET_KIND, Action, Family
from gcsched.journal import OwnershipRecord, OwnershipRecords
from gcsched.plan.describe import describe_difference

__all__ = [
    "AUDIT_ENTITY_TYPES",
    "AUDIT_PERMISSION",
    "AuditOrg",
    "Author",
    "DriftReport",
    "Drifted",
    "PlatformChange",
    "find_drift",
]

#: The permission the audit trail needs (genesys-api.md §7).
AUDIT_PERMISSION: Final = "audits:audit:view"
#: What a drift says when the audit trail cannot be read.
UNKNOWN_AUTHOR: Final = f"changed, author unknown (needs {AUDIT_PERMISSION})"
#: The audit entity type of each schedule family (research §2.5).
AUDIT_ENTITY_TYPES: Final[Mapping[Family, str]] = {
    Family.CAMPAIGNS: "CampaignSchedule",
    Family.SEQUENCES: "SequenceSchedule",
    Family.EMAIL_CAMPAIGNS: "EmailCampaignSchedule",
    Family.MESSAGING_CAMPAIGNS: "MessagingCampaignSchedule",
    Family.WHATSAPP_CAMPAIGNS: "WhatsAppCampaignSchedule",
}
#: How far past "now" the audit query reaches (its interval has whole seconds).
QUERY_LEAD: Final = timedelta(minutes=1)
#: Audit entries this long before gcsched's record still count (clock skew).
CLOCK_SLACK: Final = timedelta(minutes=2)

How = Literal["edited", "recreated", "deleted"]


class AuditOrg(Org, Protocol):
    """An org whose platform audit trail can be read (`GenesysClient` fits)."""

    async def query_audits(
        self,
        start: datetime,
        end: datetime,
        *,
        service: str = "Outbound",
        filters: Iterable[tuple[str, str]] = (),
    ) -> list[Json]: ...


@dataclass(frozen=True, slots=True)
class Author:
    """Who made a change: a user (by name), an OAuth client, or nobody known."""

    kind: Literal["user", "client", "unknown"]
    id: str | None = None
    name: str | None = None

    def label(self) -> str:
        """``Jane Admin``, ``OAuth client abc``, or ``unknown``."""
        if self.kind == "user":
            return self.name or f"user {self.id}"
        if self.kind == "client":
            return f"OAuth client {self.id}"
        return "unknown"

    def to_json(self) -> dict[str, Any]:
        """``{kind, id, name}``."""
        return {"kind": self.kind, "id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class PlatformChange:
    """One entry of the platform audit trail about a drifted schedule."""

    audit_id: str
    when: str
    action: str
    author: Author
    properties: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The entry as ``drift --json`` shows it."""
        return {
            "audit_id": self.audit_id,
            "when": self.when,
            "action": self.action,
            "author": self.author.to_json(),
            "properties": list(self.properties),
        }


@dataclass(frozen=True, slots=True)
class Drifted:
    """One managed schedule changed outside gcsched.

    Attributes:
        family: the schedule family.
        target_id: the campaign, sequence or messaging campaign id.
        target_name: its name.
        how: edited, recreated or deleted.
        version_written: the version gcsched last wrote (the journal's record).
        version_now: the version the org holds (None when deleted).
        body: the schedule as the org holds it now (None when deleted).
        fields: how the org's body differs from the file's, in the file's terms.
        changes: the platform audit entries of other authors since gcsched wrote.
        note: why no author is known, when none is.
    """

    family: Family
    target_id: str
    target_name: str
    how: How
    version_written: int | None
    version_now: int | None
    body: Json | None
    fields: tuple[str, ...]
    changes: tuple[PlatformChange, ...] = ()
    note: str | None = None

    @property
    def target_kind(self) -> str:
        """campaign, sequence or messaging_campaign."""
        return TARGET_KIND[self.family]

    def authors(self) -> tuple[str, ...]:
        """Who changed it (labels, each once), or the note's ``unknown``."""
        labels = tuple(dict.fromkeys(c.author.label() for c in self.changes))
        return labels or ("unknown",)

    def when(self) -> str | None:
        """When it was last changed, by the audit trail."""
        return self.changes[-1].when if self.changes else None

    def to_json(self) -> dict[str, Any]:
        """The drift as ``drift --json`` shows it."""
        return {
            "family": str(self.family),
            "target": {
                "kind": self.target_kind,
                "id": self.target_id,
                "name": self.target_name,
            },
            "how": self.how,
            "version_written": self.version_written,
            "version_now": self.version_now,
            "when": self.when(),
            "authors": list(self.authors()),
            "fields": list(self.fields),
            "changes": [c.to_json() for c in self.changes],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class DriftReport:
    """What `find_drift` found; `recorded` counts the new entries of gcsched's
    audit log (``external_change``) the caller added for it."""

    org_id: str
    org_name: str
    file_path: str
    checked: int
    since: datetime
    until: datetime
    drifted: tuple[Drifted, ...]
    notes: tuple[str, ...] = field(default=())
    recorded: int = 0

    @property
    def has_drift(self) -> bool:
        """Whether any managed schedule drifted (``drift`` exits 4)."""
        return bool(self.drifted)

    def to_json(self) -> dict[str, Any]:
        """The report as ``drift --json`` prints it."""
        return {
            "org": {"id": self.org_id, "name": self.org_name},
            "file": self.file_path,
            "checked": self.checked,
            "window": {
                "since": _stamp(self.since),
                "until": _stamp(self.until),
            },
            "drift": [d.to_json() for d in self.drifted],
            "notes": list(self.notes),
            "recorded": self.recorded,
        }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _version(body: Mapping[str, Any] | None) -> int | None:
    value = (body or {}).get("version")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _instant(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def author_of(entry: Mapping[str, Any]) -> Author:
    """The author of one ``AuditLogMessage``: its user, else its OAuth client.

    A UI action carries a user and an empty client id (research §2.5).
    """
    user = entry.get("user")
    if isinstance(user, Mapping) and (user.get("id") or user.get("name")):
        return Author("user", _text(user.get("id")), _text(user.get("name")))
    client = entry.get("client")
    if isinstance(client, Mapping) and client.get("id"):
        return Author("client", str(client["id"]))
    return Author("unknown")


def _text(value: object) -> str | None:
    return str(value) if value else None


def _platform_change(entry: Mapping[str, Any]) -> PlatformChange:
    props = entry.get("propertyChanges") or []
    return PlatformChange(
        audit_id=str(entry.get("id", "")),
        when=str(entry.get("eventDate", "")),
        action=str(entry.get("action", "")),
        author=author_of(entry),
        properties=tuple(
            str(p.get("property")) for p in props if isinstance(p, Mapping)
        ),
    )


_SAME: Final = "the org holds what the file says again"
_GONE_FROM_FILE: Final = "the file no longer has this schedule"
_FOREIGN: Final = (
    "recreated outside gcsched: it is no longer gcsched's (`gcsched adopt` "
    "takes it back)"
)


def _fields(
    how: How,
    live: Mapping[str, Any] | None,
    planned: bool,
    wanted: Mapping[str, Any] | None,
) -> tuple[str, ...]:
    """What differs, the file's body against the org's (``file → org``).

    `planned` says whether the plan changes this schedule; `wanted` is the
    body it would send (None when the plan deletes it).
    """
    if live is None:
        return ("the schedule was deleted",)
    if not planned:
        return (_FOREIGN,) if how == "recreated" else (_SAME,)
    if wanted is None:
        return (_GONE_FROM_FILE,)
    file_body, org_body = dict(wanted), dict(live)
    if "name" not in org_body:  # an org that drops names (a GUESS)
        file_body.pop("name", None)
    lines = describe_difference(file_body, org_body)
    if how == "recreated":
        return ("recreated outside gcsched", *lines)
    return tuple(lines)


async def find_drift(
    org: AuditOrg,
    file: ScheduleFile,
    *,
    ownership: OwnershipRecords | None,
    own_client_id: str,
    now: datetime,
    since: timedelta,
    today: date,
    facts: FactsLookup | None = None,
) -> DriftReport:
    """Compare a fresh snapshot with the file and with what gcsched last wrote.

    Args:
        org: the org (its schedules and its audit trail).
        file: the schedule file; its project's records are checked.
        ownership: the journal's ownership records (None: nothing is known to
            have been written, so nothing can have drifted).
        own_client_id: gcsched's OAuth client id (its own audit entries).
        now: the current time (aware).
        since: how far back the audit trail is read.
        today: the plan's "today" (for the file's bodies).
        facts: the org's stored doctor facts.

    Returns:
        The drifted schedules, oldest record first.
    """
    planned = await build_plan(org, file, today=today, ownership=ownership, facts=facts)
    snap = planned.snapshot
    names = target_names(snap)
    live = existing_schedules(snap)
    wanted: dict[tuple[Family, str], Mapping[str, Any] | None] = {}
    for change in planned.plan.changes:
        if change.family is None:
            continue
        key = (change.family, change.target_id)
        wanted[key] = change.after if change.action != Action.DELETE else None
    records = [
        r
        for r in (ownership.ownership(snap.org_id) if ownership else ())
        if r.project == file.project
    ]
    suspects: list[tuple[OwnershipRecord, How]] = []
    for record in records:
        body = live.get((Family(record.family), record.target_id))
        if body is None:
            suspects.append((record, "deleted"))
            continue
        owner = owner_of(body, record)
        if owner.recreated:
            suspects.append((record, "recreated"))
        elif owner.edited:
            suspects.append((record, "edited"))
    # the query's interval is whole seconds: it ends a little after now, and
    # is exactly `since` long (14 days still go to the realtime query)
    until = now + QUERY_LEAD
    start = until - since
    notes: list[str] = []
    trail: dict[tuple[Family, str], list[Json]] | None
    try:
        trail = await _trail(org, suspects, start, until)
    except PermissionDeniedError:
        trail = None
        notes.append(
            f"the platform audit trail was not read: the OAuth client needs "
            f"{AUDIT_PERMISSION}, so authors are unknown"
        )
    drifted: list[Drifted] = []
    for record, how in suspects:
        key = (Family(record.family), record.target_id)
        body = live.get(key)
        note = UNKNOWN_AUTHOR if trail is None else None
        foreign: list[Json] = []
        if trail is not None:
            entries = trail.get(key, [])
            # another author's entry counts from a little before gcsched's
            # record (clocks differ); its own only after: the write the
            # record is of comes before it
            foreign = [
                e
                for e in _since(entries, record, CLOCK_SLACK)
                if not _is_own(e, own_client_id)
            ]
            ours = [
                e
                for e in _since(entries, record, timedelta(0))
                if _is_own(e, own_client_id)
            ]
            if ours and not foreign and how == "edited":
                notes.append(
                    f"{record.target_id}: version {_version(body)} was written by "
                    f"gcsched's own client {own_client_id} (not in this journal); "
                    "not drift"
                )
                continue
            if not foreign:
                note = f"no audit entry found since {_stamp(start)}"
        fields = _fields(how, body, key in wanted, wanted.get(key))
        drifted.append(
            Drifted(
                family=key[0],
                target_id=record.target_id,
                target_name=names.get(record.target_id, record.target_id),
                how=how,
                version_written=record.version,
                version_now=_version(body),
                body=dict(body) if body is not None else None,
                fields=fields,
                changes=tuple(_platform_change(e) for e in foreign),
                note=note,
            )
        )
    return DriftReport(
        org_id=snap.org_id,
        org_name=snap.org_name,
        file_path=file.path,
        checked=len(records),
        since=start,
        until=now,
        drifted=tuple(drifted),
        notes=tuple(notes),
    )


def _is_own(entry: Mapping[str, Any], client_id: str) -> bool:
    author = author_of(entry)
    return author.kind == "client" and author.id == client_id


def _since(
    entries: Sequence[Json], record: OwnershipRecord, slack: timedelta
) -> list[Json]:
    """The entries after gcsched's record (less `slack`), oldest first."""
    if record.recorded_at is None:
        return list(entries)
    floor = record.recorded_at - slack
    out: list[Json] = []
    for entry in entries:
        moment = _instant(entry.get("eventDate"))
        if moment is None or moment > floor:  # an undated entry may be later
            out.append(entry)
    return out


async def _trail(
    org: AuditOrg,
    suspects: Sequence[tuple[OwnershipRecord, How]],
    start: datetime,
    end: datetime,
) -> dict[tuple[Family, str], list[Json]]:
    """The audit entries of the suspects, by key: one query per entity type."""
    wanted = {(Family(r.family), r.target_id) for r, _ in suspects}
    out: dict[tuple[Family, str], list[Json]] = {}
    for family in sorted({f for f, _ in wanted}):
        entries = await org.query_audits(
            start,
            end,
            filters=[("EntityType", AUDIT_ENTITY_TYPES[family])],
        )
        for entry in entries:
            entity = entry.get("entity")
            target = str(entity.get("id")) if isinstance(entity, Mapping) else ""
            if (family, target) in wanted:
                out.setdefault((family, target), []).append(entry)
    return out
