"""The Genesys Cloud vocabulary: one home for every table gcsched keeps of the API.

Schedule families (the path segment of ``/api/v2/outbound/schedules/{family}``),
the field of each family's body that names what it schedules, the read-only
keys the server sets, the ``daysOfWeek`` names, and which family a messaging
campaign's channel schedules in. Several of these are GUESSes about the real
API (genesys-api.md); each lives here once, so a correction is one edit.

Also the record of one change to the org (`ChangeSpec`): the plan builds it, the
journal stores it, the engine runs it, webhooks and the audit report it.

Pure data: this module imports nothing of gcsched (an import-linter contract
says so), so every layer but the sandbox (an independent oracle with its own
copies, tested to agree) may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Literal

__all__ = [
    "CAMPAIGN_READ_ONLY_KEYS",
    "DAY_NAMES",
    "FAMILIES",
    "FAMILY_BY_CHANNEL",
    "NESTED_READ_ONLY_KEYS",
    "PACING_KIND",
    "REFERENCE_FIELD",
    "REFERENCE_KEYS",
    "SCHEDULE_READ_ONLY_KEYS",
    "SERVER_SET_KEYS",
    "TARGET_KIND",
    "TARGET_KINDS",
    "Action",
    "ChangeSpec",
    "Family",
    "TargetKind",
    "messaging_family",
    "parse_stored_kind",
    "target_kind_of",
]


class Family(StrEnum):
    """A schedule family: where a target's schedule lives in the API."""

    CAMPAIGNS = "campaigns"
    SEQUENCES = "sequences"
    EMAIL_CAMPAIGNS = "emailcampaigns"
    MESSAGING_CAMPAIGNS = "messagingcampaigns"
    WHATSAPP_CAMPAIGNS = "whatsappcampaigns"


FAMILIES: Final[tuple[Family, ...]] = tuple(Family)
"""Every family, in the order gcsched reads them."""

TargetKind = Literal["campaign", "sequence", "messaging_campaign"]
"""What a schedule-file entry (and a webhook or audit `kind`) names."""

TARGET_KINDS: Final[tuple[TargetKind, ...]] = (
    "campaign",
    "sequence",
    "messaging_campaign",
)

#: The field of each family's schedule body that references the scheduled object.
REFERENCE_FIELD: Final[Mapping[Family, str]] = {
    Family.CAMPAIGNS: "campaign",
    Family.SEQUENCES: "sequence",
    Family.EMAIL_CAMPAIGNS: "emailCampaign",
    Family.MESSAGING_CAMPAIGNS: "messagingCampaign",
    Family.WHATSAPP_CAMPAIGNS: "whatsAppCampaign",
}

REFERENCE_KEYS: Final[frozenset[str]] = frozenset(REFERENCE_FIELD.values())
"""Every reference field (top-level keys fixed by the target, not by the file)."""

#: The target kind each family schedules.
TARGET_KIND: Final[Mapping[Family, TargetKind]] = {
    Family.CAMPAIGNS: "campaign",
    Family.SEQUENCES: "sequence",
    Family.EMAIL_CAMPAIGNS: "messaging_campaign",
    Family.MESSAGING_CAMPAIGNS: "messaging_campaign",
    Family.WHATSAPP_CAMPAIGNS: "messaging_campaign",
}

#: The messaging campaign's channel config key → its schedule family (a GUESS,
#: genesys-api.md §2.6).
FAMILY_BY_CHANNEL: Final[Mapping[str, Family]] = {
    "emailConfig": Family.EMAIL_CAMPAIGNS,
    "smsConfig": Family.MESSAGING_CAMPAIGNS,
    "whatsAppConfig": Family.WHATSAPP_CAMPAIGNS,
}

#: For pacing changes: the target kind → the spelling stored in the journal,
#: hashed by the checksum and shown as `kind` by ``plan --json`` (sequences
#: have no pacing).
PACING_KIND: Final[Mapping[TargetKind, str]] = {
    "campaign": "campaign",
    "messaging_campaign": "messagingcampaign",
}

SERVER_SET_KEYS: Final[frozenset[str]] = frozenset(
    {"id", "version", "dateCreated", "dateModified", "selfUri"}
)
"""Top-level keys the server sets on every outbound object (never sent as ours)."""

SCHEDULE_READ_ONLY_KEYS: Final[frozenset[str]] = SERVER_SET_KEYS | {
    "nextOccurrenceDetails"
}
"""Read-only keys of a schedule body: left out of comparisons and descriptions."""

NESTED_READ_ONLY_KEYS: Final[frozenset[str]] = SCHEDULE_READ_ONLY_KEYS - {
    "id",
    "version",
}
"""Read-only keys below the top level (a nested ``id`` is a reference: kept)."""

CAMPAIGN_READ_ONLY_KEYS: Final[frozenset[str]] = SERVER_SET_KEYS | {"errors"}
"""Read-only keys of a campaign body: dropped before a campaign PUT."""

DAY_NAMES: Final[tuple[str, ...]] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
"""Genesys ``daysOfWeek`` names in ISO order: ``DAY_NAMES[isoweekday - 1]``."""


def messaging_family(campaign: Mapping[str, Any]) -> Family:
    """The schedule family of a messaging campaign, from its channel config.

    A campaign with no recognised config is treated as SMS (`messagingcampaigns`).
    """
    for key, family in FAMILY_BY_CHANNEL.items():
        if campaign.get(key):
            return family
    return Family.MESSAGING_CAMPAIGNS


def target_kind_of(value: str) -> TargetKind | None:
    """The target kind `value` names: a target kind, a family or a pacing spelling.

    Reads audit entries written before the target kind was reported (they hold
    the family, e.g. ``campaigns``) as well as new ones. None when unknown.
    """
    for kind in TARGET_KINDS:
        if value == kind:
            return kind
    if value in FAMILIES:
        return TARGET_KIND[Family(value)]
    for kind, spelling in PACING_KIND.items():
        if value == spelling:
            return kind
    return None


class Action(StrEnum):
    """What a change does; deletes sort first, pacing last."""

    DELETE = "delete"
    CREATE = "create"
    UPDATE = "update"
    PACING = "pacing"


def parse_stored_kind(value: str) -> tuple[Family | None, TargetKind]:
    """The family (None for pacing) and target kind of a stored `kind` spelling.

    Raises:
        ValueError: `value` is neither a family nor a pacing spelling.
    """
    if value in FAMILIES:
        family = Family(value)
        return family, TARGET_KIND[family]
    for kind, spelling in PACING_KIND.items():
        if value == spelling:
            return None, kind
    msg = f"unknown change kind {value!r}"
    raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class ChangeSpec:
    """One change to the org: what the plan decided and the journal stores.

    Attributes:
        action: delete, create, update or pacing.
        family: the schedule family; None for pacing (a campaign is changed).
        target_kind: campaign, sequence or messaging_campaign (what webhooks and
            the audit report).
        target_id: id of the campaign, sequence or messaging campaign.
        target_name: its name, for people.
        version_seen: the schedule (or messaging campaign) version read at plan
            time; None for a create and for voice pacing (PATCH has no version).
        before: the body as it is now (None for a create); for pacing, just the
            fields that change.
        after: the body gcsched will send (None for a delete); for pacing, just
            the fields that change.

    Raises:
        ValueError: the family and target kind disagree, or a pacing change names
            a family (or a schedule change none).
    """

    action: Action
    family: Family | None
    target_kind: TargetKind
    target_id: str
    target_name: str
    version_seen: int | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    def __post_init__(self) -> None:
        """Normalise plain strings to the enums, and check the kinds agree."""
        object.__setattr__(self, "action", Action(self.action))
        if self.action == Action.PACING:
            if self.family is not None or self.target_kind not in PACING_KIND:
                msg = f"a pacing change names a campaign, not {self.stored_kind!r}"
                raise ValueError(msg)
            return
        if self.family is None:
            msg = f"a {self.action} change needs a schedule family"
            raise ValueError(msg)
        family = Family(self.family)
        object.__setattr__(self, "family", family)
        if TARGET_KIND[family] != self.target_kind:
            msg = (
                f"family {family} schedules a {TARGET_KIND[family]}, "
                f"not a {self.target_kind}"
            )
            raise ValueError(msg)

    @property
    def stored_kind(self) -> str:
        """The kind as the journal stores it, the checksum hashes it and
        ``plan --json`` shows it: the family, or for pacing ``campaign`` /
        ``messagingcampaign``. Kept so checksums and runs journaled before stay
        valid."""
        if self.family is not None:
            return str(self.family)
        return PACING_KIND.get(self.target_kind, self.target_kind)

    @property
    def is_schedule(self) -> bool:
        """True for a schedule change, False for pacing."""
        return self.family is not None
