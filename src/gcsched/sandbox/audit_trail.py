"""The platform audit trail of the sandbox: one ``AuditLogMessage`` per change.

Every schedule and campaign change made through the sandbox reaches
`SandboxState.changed` as a `StoreChange` (the hook of the write paths);
`AuditTrail.record` turns it into the entry the real audit API would answer
(genesys-api.md §7, compliance-drift-research.md §2.5), attributed to the OAuth
client or, for an edit "in the UI" (the sandbox-only ``X-Sandbox-Act-As-User``
header), to that user. `select` answers the queries of ``routes_audits.py``.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from gcsched.sandbox.guesses import AUDIT_CHANGE_SKIPS, AUDIT_SERVICE

__all__ = [
    "ACT_AS_USER_HEADER",
    "FILTER_PROPERTIES",
    "SCHEDULE_ENTITY_TYPES",
    "SERVICE_MAPPING",
    "AuditTrail",
    "StoreChange",
    "user_id",
]

#: A sandbox-only header: the write is made "in the UI" by this named user.
ACT_AS_USER_HEADER: Final = "X-Sandbox-Act-As-User"

#: The audit entity type of each schedule family
#: ([SDK] ``models/audit_topic_audit_log_message.py`` enums).
SCHEDULE_ENTITY_TYPES: Final = {
    "campaigns": "CampaignSchedule",
    "sequences": "SequenceSchedule",
    "emailcampaigns": "EmailCampaignSchedule",
    "messagingcampaigns": "MessagingCampaignSchedule",
    "whatsappcampaigns": "WhatsAppCampaignSchedule",
}

#: ``AuditQueryServiceMapping``: the service, entity types and actions the
#: sandbox audits.
SERVICE_MAPPING: Final = {
    "services": [
        {
            "name": AUDIT_SERVICE,
            "entities": [
                {"name": name, "actions": ["Create", "Update", "Delete"]}
                for name in (
                    "Campaign",
                    "MessagingCampaign",
                    *SCHEDULE_ENTITY_TYPES.values(),
                )
            ],
        }
    ]
}

#: ``AuditQueryFilter.property`` values ([SDK] ``models/audit_query_filter.py``).
FILTER_PROPERTIES: Final = (
    "UserId",
    "TrusteeOrganizationId",
    "ClientId",
    "Action",
    "EntityType",
    "EntityId",
)

_USERS: Final = uuid.UUID("6f1c1a53-52e4-4c52-9d2b-2f0c1f1e7a11")


def user_id(name: str) -> str:
    """The stable id of a sandbox user acting by name (uuid5 of the name)."""
    return str(uuid.uuid5(_USERS, name))


@dataclass(frozen=True, slots=True)
class StoreChange:
    """One change of a stored object, as the write paths report it.

    Attributes:
        entity_type: the audit vocabulary (``CampaignSchedule``, ``Campaign``...).
        entity_id: the object's id.
        entity_name: its name, if it has one.
        before: the object before (None for a create).
        after: the object after (None for a delete).
        client_id: the OAuth client that sent the request.
        user: the named user it acted as (None: the client itself).
        remote_ip: the caller's address, if known.
    """

    entity_type: str
    entity_id: str
    entity_name: str | None
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    client_id: str
    user: str | None = None
    remote_ip: str | None = None

    @property
    def action(self) -> str:
        """``Create``, ``Update`` or ``Delete``."""
        if self.before is None:
            return "Create"
        return "Delete" if self.after is None else "Update"


def _text(value: Any) -> str:
    """A value as the audit's strings hold it (strings verbatim, else JSON)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def property_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """One ``PropertyChange`` per top-level field that differs (a GUESS)."""
    old, new = before or {}, after or {}
    out: list[dict[str, Any]] = []
    for key in sorted((set(old) | set(new)) - AUDIT_CHANGE_SKIPS):
        if old.get(key) == new.get(key):
            continue
        out.append(
            {
                "property": key,
                "oldValues": [_text(old[key])] if key in old else [],
                "newValues": [_text(new[key])] if key in new else [],
            }
        )
    return out


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class AuditTrail:
    """The org's audit entries (``AuditLogMessage`` JSON), oldest first.

    Args:
        entries: entries to start from (a saved state's).
    """

    def __init__(self, entries: Iterable[Mapping[str, Any]] = ()) -> None:
        self.entries: list[dict[str, Any]] = [copy.deepcopy(dict(e)) for e in entries]

    def record(self, change: StoreChange, *, org_id: str, when: datetime) -> None:
        """Append the entry of `change`, made at `when` (UTC)."""
        action = change.action
        name = change.entity_name or change.entity_id
        entry: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "userHomeOrgId": org_id,
            # a UI action carries an empty client id (research §2.5)
            "client": {"id": "" if change.user else change.client_id},
            "remoteIp": [change.remote_ip] if change.remote_ip else [],
            "serviceName": AUDIT_SERVICE,
            "level": "USER",
            "eventDate": _stamp(when),
            "message": {
                "localizableMessageCode": f"{change.entity_type}.{action}",
                "message": f"{change.entity_type} {name}: {action}",
                "messageWithParams": "{entityType} {entityName}: {action}",
                "messageParams": {
                    "entityType": change.entity_type,
                    "entityName": name,
                    "action": action,
                },
            },
            "action": action,
            "entity": {"id": change.entity_id, "name": name},
            "entityType": change.entity_type,
            "status": "SUCCESS",
            "application": "",
            "initiatingAction": {},
            "transactionInitiator": True,
            "propertyChanges": property_changes(change.before, change.after),
            "context": {},
            "entityChanges": [],
        }
        if change.user:
            entry["user"] = {
                "id": user_id(change.user),
                "name": change.user,
                "selfUri": f"/api/v2/users/{user_id(change.user)}",
            }
        self.entries.append(entry)

    def select(
        self,
        start: datetime,
        end: datetime,
        *,
        service: str | None,
        filters: Iterable[tuple[str, str]],
        descending: bool,
    ) -> list[dict[str, Any]]:
        """The entries of ``[start, end)`` that match `service` and every filter."""
        wanted = list(filters)
        found = [
            (str(e["eventDate"]), n, e)
            for n, e in enumerate(self.entries)
            if start <= _parse(e["eventDate"]) < end
            and (service is None or e["serviceName"].lower() == service.lower())
            and all(_matches(e, prop, value) for prop, value in wanted)
        ]
        # the order of recording breaks ties of the millisecond
        found.sort(key=lambda item: item[:2], reverse=descending)
        return [copy.deepcopy(e) for _, _, e in found]


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _matches(entry: Mapping[str, Any], prop: str, value: str) -> bool:
    field: Any = {
        "UserId": (entry.get("user") or {}).get("id"),
        "ClientId": entry["client"].get("id"),
        "Action": entry["action"],
        "EntityType": entry["entityType"],
        "EntityId": entry["entity"]["id"],
    }.get(prop)
    return field is not None and str(field).lower() == value.lower()


def shown(entry: Mapping[str, Any], *, expand_user: bool) -> dict[str, Any]:
    """An entry as answered: the user's name only with ``expand=user``."""
    out = dict(entry)
    user = out.get("user")
    if isinstance(user, Mapping) and not expand_user:
        out["user"] = {k: v for k, v in user.items() if k != "name"}
    return out
