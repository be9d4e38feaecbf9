"""Genesys-shaped JSON for the org objects: ids, references and builders.

Ids are deterministic (uuid5 of kind and name) so that tests and docs are
stable. Every builder returns only keys the SDK's model has.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

__all__ = [
    "SEED_TIME",
    "build_callable_time_set",
    "build_campaign",
    "build_contact_list",
    "build_messaging_campaign",
    "build_sequence",
    "entity_id",
    "ref",
]

NAMESPACE: Final = uuid.UUID("6f1d2a0e-8c1b-5e4f-9a7d-3b2c1d0e9f8a")
SEED_TIME: Final = "2026-01-05T09:00:00.000Z"
API: Final = "/api/v2"

SELF_PATHS: Final = {
    "campaign": f"{API}/outbound/campaigns/",
    "contactList": f"{API}/outbound/contactlists/",
    "callableTimeSet": f"{API}/outbound/callabletimesets/",
    "messagingCampaign": f"{API}/outbound/messagingcampaigns/",
    "sequence": f"{API}/outbound/sequences/",
    "division": f"{API}/authorization/divisions/",
    "queue": f"{API}/routing/queues/",
    "script": f"{API}/scripts/",
    "edgeGroup": f"{API}/telephony/providers/edges/edgegroups/",
    "callAnalysisResponseSet": f"{API}/outbound/callanalysisresponsesets/",
    "contentTemplate": f"{API}/responsemanagement/responses/",
    "integration": f"{API}/integrations/",
    "domain": f"{API}/routing/email/domains/",
    "organization": f"{API}/organizations/",
}

# Keys each writable model accepts (the SDK's attribute_map, JSON side).
CAMPAIGN_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "contactList",
        "queue",
        "dialingMode",
        "script",
        "edgeGroup",
        "site",
        "campaignStatus",
        "phoneColumns",
        "abandonRate",
        "dncLists",
        "callableTimeSet",
        "callAnalysisResponseSet",
        "errors",
        "callerName",
        "callerAddress",
        "outboundLineCount",
        "ruleSets",
        "skipPreviewDisabled",
        "previewTimeOutSeconds",
        "alwaysRunning",
        "contactSort",
        "contactSorts",
        "noAnswerTimeout",
        "callAnalysisLanguage",
        "priority",
        "contactListFilters",
        "division",
        "agentOwnedColumn",
        "dynamicContactQueueingSettings",
        "skillColumns",
        "previewAutoEnd",
        "maxCallsPerAgent",
        "maxCallsPerAgentDecimal",
        "callbackAutoAnswer",
        "dynamicLineBalancingSettings",
        "diagnosticsSettings",
        "preciseDialingEnabled",
        "selfUri",
    ]
)
CONTACT_LIST_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "division",
        "columnNames",
        "phoneColumns",
        "emailColumns",
        "whatsAppColumns",
        "importStatus",
        "previewModeColumnName",
        "previewModeAcceptedValues",
        "size",
        "attemptLimits",
        "automaticTimeZoneMapping",
        "zipCodeColumnName",
        "columnDataTypeSpecifications",
        "trimWhitespace",
        "retentionType",
        "retentionDays",
        "dateExpiration",
        "timeZone",
        "selfUri",
    ]
)
MESSAGING_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "division",
        "campaignStatus",
        "callableTimeSet",
        "contactList",
        "dncLists",
        "alwaysRunning",
        "contactSorts",
        "messagesPerMinute",
        "ruleSets",
        "contactListFilters",
        "errors",
        "dynamicContactQueueingSettings",
        "emailConfig",
        "smsConfig",
        "whatsAppConfig",
        "selfUri",
    ]
)
DIALING_MODES: Final = (
    "agentless",
    "preview",
    "power",
    "predictive",
    "progressive",
    "external",
)
CAMPAIGN_STATUSES: Final = (
    "on",
    "stopping",
    "off",
    "complete",
    "invalid",
    "forced_off",
    "forced_stopping",
)


def entity_id(kind: str, name: str) -> str:
    """Return the deterministic id of the object of `kind` named `name`.

    Args:
        kind: the object kind, e.g. ``campaign``.
        name: its name.

    Returns:
        A UUID string.
    """
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def ref(kind: str, name: str, id_: str | None = None) -> dict[str, Any]:
    """Return a ``DomainEntityRef`` ``{id, name, selfUri}`` for an object."""
    oid = id_ or entity_id(kind, name)
    return {"id": oid, "name": name, "selfUri": SELF_PATHS[kind] + oid}


HOME_DIVISION: Final = ref("division", "Home")


def _stamp(kind: str, name: str, id_: str | None) -> dict[str, Any]:
    oid = id_ or entity_id(kind, name)
    return {
        "id": oid,
        "name": name,
        "dateCreated": SEED_TIME,
        "dateModified": SEED_TIME,
        "version": 1,
    }


def build_contact_list(
    name: str, size: int, *, id_: str | None = None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Build a ``ContactList`` (``size`` is kept; listings strip it on demand)."""
    body = _stamp("contactList", name, id_)
    body |= {
        "division": dict(HOME_DIVISION),
        "columnNames": ["FirstName", "LastName", "Phone", "Email", "TimeZone"],
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
        "emailColumns": [{"columnName": "Email", "type": "work"}],
        "size": size,
        "automaticTimeZoneMapping": False,
        "trimWhitespace": True,
        "retentionType": "Never",
    }
    body |= extra or {}
    body["selfUri"] = SELF_PATHS["contactList"] + body["id"]
    return body


def build_callable_time_set(
    name: str,
    callable_times: list[dict[str, Any]],
    *,
    id_: str | None = None,
) -> dict[str, Any]:
    """Build a ``CallableTimeSet`` from its ``callableTimes``."""
    body = _stamp("callableTimeSet", name, id_)
    body["callableTimes"] = callable_times
    body["selfUri"] = SELF_PATHS["callableTimeSet"] + body["id"]
    return body


def build_campaign(
    name: str,
    dialing_mode: str,
    contact_list: dict[str, Any],
    *,
    callable_time_set: dict[str, Any] | None = None,
    queue: str = "Outbound Agents",
    id_: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a voice ``Campaign`` with believable defaults for its dialing mode."""
    body = _stamp("campaign", name, id_)
    body |= {
        "contactList": contact_list,
        "dialingMode": dialing_mode,
        "campaignStatus": "off",
        "phoneColumns": [{"columnName": "Phone", "type": "cell"}],
        "dncLists": [],
        "callerName": "Acme Outbound",
        "callerAddress": "+13175550100",
        "ruleSets": [],
        "alwaysRunning": False,
        "contactSorts": [],
        "noAnswerTimeout": 30,
        "callAnalysisLanguage": "en-US",
        "priority": 5,
        "contactListFilters": [],
        "division": dict(HOME_DIVISION),
    }
    if callable_time_set is not None:
        body["callableTimeSet"] = callable_time_set
    if dialing_mode != "agentless":
        body["queue"] = ref("queue", queue)
        body["script"] = ref("script", "Outbound Default Script")
    if dialing_mode != "preview":
        body["edgeGroup"] = ref("edgeGroup", "Outbound Edge Group")
        body["callAnalysisResponseSet"] = ref(
            "callAnalysisResponseSet", "Default Call Analysis"
        )
        body["outboundLineCount"] = 20 if dialing_mode == "agentless" else 10
    if dialing_mode in ("power", "predictive"):
        body["abandonRate"] = 5.0 if dialing_mode == "predictive" else 3.0
    if dialing_mode in ("power", "predictive", "progressive"):
        body["maxCallsPerAgent"] = 2 if dialing_mode == "power" else 1
        body["dynamicLineBalancingSettings"] = {"enabled": False, "relativeWeight": 1}
    if dialing_mode == "preview":
        body["previewTimeOutSeconds"] = 300
        body["skipPreviewDisabled"] = False
    body |= extra or {}
    body["selfUri"] = SELF_PATHS["campaign"] + body["id"]
    return body


def build_messaging_campaign(
    name: str,
    channel: str,
    contact_list: dict[str, Any],
    messages_per_minute: int,
    *,
    callable_time_set: dict[str, Any] | None = None,
    id_: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a ``MessagingCampaign`` for channel ``email``, ``sms`` or ``whatsapp``."""
    body = _stamp("messagingCampaign", name, id_)
    body |= {
        "division": dict(HOME_DIVISION),
        "campaignStatus": "off",
        "contactList": contact_list,
        "dncLists": [],
        "alwaysRunning": False,
        "contactSorts": [],
        "messagesPerMinute": messages_per_minute,
        "ruleSets": [],
        "contactListFilters": [],
    }
    if callable_time_set is not None:
        body["callableTimeSet"] = callable_time_set
    template = ref("contentTemplate", f"{name} template")
    if channel == "email":
        body["emailConfig"] = {
            "emailColumns": ["Email"],
            "contentTemplate": template,
            "fromAddress": {
                "domain": ref("domain", "mail.acme.example"),
                "friendlyName": "Acme",
                "localPart": "no-reply",
            },
        }
    elif channel == "sms":
        body["smsConfig"] = {
            "messageColumn": "Phone",
            "phoneColumn": "Phone",
            "senderSmsPhoneNumber": {"phoneNumber": "+13175550199"},
            "contentTemplate": template,
        }
    elif channel == "whatsapp":
        body["whatsAppConfig"] = {
            "whatsAppColumns": ["Phone"],
            "whatsAppIntegration": {
                "id": entity_id("integration", "WhatsApp"),
                "selfUri": SELF_PATHS["integration"]
                + entity_id("integration", "WhatsApp"),
            },
            "contentTemplate": template,
        }
    else:
        msg = f"messaging campaign {name!r}: channel must be email, sms or whatsapp"
        raise ValueError(msg)
    body |= extra or {}
    body["selfUri"] = SELF_PATHS["messagingCampaign"] + body["id"]
    return body


def build_sequence(
    name: str,
    campaigns: list[dict[str, Any]],
    *,
    status: str = "off",
    id_: str | None = None,
) -> dict[str, Any]:
    """Build a ``CampaignSequence`` over ordered campaign references."""
    body = _stamp("sequence", name, id_)
    body |= {
        "campaigns": campaigns,
        "currentCampaign": 0,
        "status": status,
        "repeat": False,
    }
    body["selfUri"] = SELF_PATHS["sequence"] + body["id"]
    return body
