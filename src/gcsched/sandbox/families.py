"""The five schedule families: path segment, reference field, permissions."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any, Final

from gcsched.sandbox.entities import SELF_PATHS
from gcsched.sandbox.guesses import ASSIGN_RECURRENCE_IDS

__all__ = ["FAMILIES", "Family", "build_schedule", "target_kind"]

RECURRENCE_NS: Final = uuid.UUID("0d7b3e55-41c2-4f8a-8e6b-9a1c2d3e4f50")


@dataclass(frozen=True, slots=True)
class Family:
    """One schedule family of ``/api/v2/outbound/schedules/{path}``.

    Attributes:
        path: the URL segment (``campaigns``, ``emailcampaigns``...).
        ref_field: the reference field of the schedule model.
        target: the store that holds the scheduled objects.
        listing: True when the list is an EntityListing, False for a bare array.
        divisioned: True when the reference is a ``DivisionedDomainEntityRef``
            (it then carries the target's ``division``).
        view/edit/delete: each endpoint's ANY-of permission list.
    """

    path: str
    ref_field: str
    target: str
    listing: bool
    divisioned: bool
    view: tuple[str, ...]
    edit: tuple[str, ...]
    delete: tuple[str, ...]


FAMILIES: Final = {
    f.path: f
    for f in (
        Family(
            "campaigns",
            "campaign",
            "campaigns",
            listing=False,
            divisioned=True,
            view=("outbound:schedule:view", "outbound:campaign:viewSchedule"),
            edit=("outbound:schedule:edit", "outbound:campaign:editSchedule"),
            delete=("outbound:schedule:delete", "outbound:campaign:deleteSchedule"),
        ),
        Family(
            "sequences",
            "sequence",
            "sequences",
            listing=False,
            divisioned=False,
            view=("outbound:schedule:view", "outbound:campaignSequenceSchedule:view"),
            edit=("outbound:schedule:edit", "outbound:campaignSequenceSchedule:edit"),
            delete=(
                "outbound:schedule:delete",
                "outbound:campaignSequenceSchedule:delete",
            ),
        ),
        Family(
            "emailcampaigns",
            "emailCampaign",
            "messaging_campaigns",
            listing=True,
            divisioned=True,
            view=(
                "outbound:emailCampaignSchedule:view",
                "outbound:emailCampaign:viewSchedule",
            ),
            edit=(
                "outbound:emailCampaignSchedule:edit",
                "outbound:emailCampaign:editSchedule",
            ),
            delete=(
                "outbound:emailCampaignSchedule:delete",
                "outbound:emailCampaign:deleteSchedule",
            ),
        ),
        Family(
            "messagingcampaigns",
            "messagingCampaign",
            "messaging_campaigns",
            listing=True,
            divisioned=True,
            view=(
                "outbound:messagingCampaignSchedule:view",
                "outbound:messagingCampaign:viewSchedule",
            ),
            edit=(
                "outbound:messagingCampaignSchedule:edit",
                "outbound:messagingCampaign:editSchedule",
            ),
            delete=(
                "outbound:messagingCampaignSchedule:delete",
                "outbound:messagingCampaign:deleteSchedule",
            ),
        ),
        Family(
            "whatsappcampaigns",
            "whatsAppCampaign",
            "messaging_campaigns",
            listing=True,
            divisioned=True,
            view=(
                "outbound:whatsAppCampaignSchedule:view",
                "outbound:whatsAppCampaign:viewSchedule",
            ),
            edit=(
                "outbound:whatsAppCampaignSchedule:edit",
                "outbound:whatsAppCampaign:editSchedule",
            ),
            delete=(
                "outbound:whatsAppCampaignSchedule:delete",
                "outbound:whatsAppCampaign:deleteSchedule",
            ),
        ),
    )
}


def target_kind(family: Family) -> str:
    """Return the entity kind a family schedules (for references)."""
    if family.target == "campaigns":
        return "campaign"
    if family.target == "sequences":
        return "sequence"
    return "messagingCampaign"


def build_schedule(
    family: Family,
    target: dict[str, Any],
    body: dict[str, Any],
    *,
    version: int,
    created: str,
    modified: str,
    keep_name: bool = True,
) -> dict[str, Any]:
    """Return the stored (and answered) schedule, keys in the model's order.

    Args:
        family: the schedule family.
        target: the scheduled object (campaign, sequence, messaging campaign).
        body: the validated PUT body (or seed entry).
        version: the new version.
        created: ``dateCreated`` stamp.
        modified: ``dateModified`` stamp.
        keep_name: False drops the body's ``name`` (``schedule_name=dropped``).

    Returns:
        The schedule JSON.
    """
    out: dict[str, Any] = {"id": target["id"]}
    if keep_name and body.get("name") is not None:
        out["name"] = body["name"]
    out |= {"dateCreated": created, "dateModified": modified, "version": version}
    out["intervals"] = [
        {"start": i["start"], "end": i["end"]} for i in body.get("intervals") or []
    ]
    recurrences = []
    for index, rec in enumerate(body.get("recurrences") or []):
        item = {
            k: copy.deepcopy(v) for k, v in rec.items() if k != "nextOccurrenceDetails"
        }
        if ASSIGN_RECURRENCE_IDS and not item.get("id"):
            item["id"] = str(
                uuid.uuid5(RECURRENCE_NS, f"{target['id']}:{version}:{index}")
            )
        recurrences.append(item)
    if body.get("recurrences") is not None:
        out["recurrences"] = recurrences
    if body.get("timeZone") is not None:
        out["timeZone"] = body["timeZone"]
    oid = target["id"]
    reference: dict[str, Any] = {"id": oid, "name": target["name"]}
    division = target.get("division")
    if family.divisioned and isinstance(division, dict) and "id" in division:
        reference["division"] = {
            "id": division["id"],
            "selfUri": f"{SELF_PATHS['division']}{division['id']}",
        }
    reference["selfUri"] = f"{SELF_PATHS[target_kind(family)]}{oid}"
    out[family.ref_field] = reference
    out["selfUri"] = f"/api/v2/outbound/schedules/{family.path}/{oid}"
    return out
