"""Genesys's contact-local guards as data: outbound settings, time-zone
mapping previews and campaign rules (compliance-drift-research.md §1.8).

Every builder returns only keys of the SDK 269 models (``OutboundSettings``,
``TimeZoneMappingPreview``, ``CampaignRule``); the checks raise ``ValueError``
with the field at fault, which seeds and handlers turn into their own errors.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, NoReturn

from gcsched.sandbox.entities import SEED_TIME, SELF_PATHS, entity_id

__all__ = [
    "CAMPAIGN_RULE_KEYS",
    "DEFAULT_CALLABLE_WINDOWS",
    "RULE_ACTION_TYPES",
    "RULE_CONDITION_TYPES",
    "SETTINGS_KEYS",
    "build_campaign_rule",
    "build_outbound_settings",
    "build_preview",
    "check_contact_list_zones",
    "check_preview_seed",
    "check_settings_patch",
]

SETTINGS_PATH: Final = "/api/v2/outbound/settings"
RULES_PATH: Final = "/api/v2/outbound/campaignrules/"

#: ``OutboundSettings`` (the SDK's attribute_map, JSON side).
SETTINGS_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "maxCallsPerAgent",
        "maxCallsPerAgentDecimal",
        "maxConfigurableCallsPerAgent",
        "maxLineUtilization",
        "abandonSeconds",
        "complianceAbandonRateDenominator",
        "automaticTimeZoneMapping",
        "rescheduleTimeZoneSkippedContacts",
        "contactListDefaultRetentionType",
        "contactListDefaultRetentionDays",
        "timeZone",
        "selfUri",
    ]
)
_SETTINGS_READ_ONLY: Final = frozenset(
    {"id", "dateCreated", "dateModified", "version", "selfUri"}
)
#: The ATZM windows Genesys documents as defaults: contacts mapped to a zone
#: 08:00-21:00 in it, the rest 14:00-20:00 Eastern
#: (help.mypurecloud.com/articles/automatic-time-zone-mapping-examples).
DEFAULT_CALLABLE_WINDOWS: Final = (
    {
        "mapped": {"earliestCallableTime": "08:00", "latestCallableTime": "21:00"},
        "unmapped": {
            "earliestCallableTime": "14:00",
            "latestCallableTime": "20:00",
            "timeZoneId": "America/New_York",
        },
    },
)
_HH_MM: Final = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

#: ``CampaignRule`` keys, ``CampaignRuleCondition.conditionType`` and
#: ``CampaignRuleAction.actionType`` values of SDK 269.
CAMPAIGN_RULE_KEYS: Final = frozenset(
    [
        "id",
        "name",
        "dateCreated",
        "dateModified",
        "version",
        "campaignRuleEntities",
        "campaignRuleConditions",
        "campaignRuleActions",
        "matchAnyConditions",
        "enabled",
        "campaignRuleProcessing",
        "conditionGroups",
        "executionSettings",
        "timeZoneId",
        "warnings",
        "selfUri",
    ]
)
RULE_CONDITION_TYPES: Final = (
    "campaignProgress",
    "campaignAgents",
    "campaignRecordsAttempted",
    "campaignContactsMessaged",
    "campaignBusinessSuccess",
    "campaignBusinessFailure",
    "campaignBusinessNeutral",
    "campaignValidAttempts",
    "campaignRightPartyContacts",
    "timeOfDay",
    "dayOfWeek",
    "dayOfMonth",
    "weekDayOfMonth",
    "specificDate",
    "campaignRunTime",
    "campaignWaitTime",
)
RULE_ACTION_TYPES: Final = (
    "turnOnCampaign",
    "turnOffCampaign",
    "turnOnSequence",
    "turnOffSequence",
    "setCampaignPriority",
    "recycleCampaign",
    "setCampaignDialingMode",
    "setCampaignAbandonRate",
    "setCampaignNumberOfLines",
    "setCampaignWeight",
    "setCampaignMaxCallsPerAgent",
    "setCampaignMessagesPerMinute",
    "changeCampaignQueue",
)
_ENTITY_KINDS: Final = {
    "campaigns": "campaign",
    "sequences": "sequence",
    "emailCampaigns": "messagingCampaign",
    "smsCampaigns": "messagingCampaign",
}
#: Zone → count maps of ``TimeZoneMappingPreview`` (the SDK's dict(str, int)).
_PREVIEW_MAPS: Final = ("contactsPerTimeZone", "contactsMappedUsingZipCode")
_PREVIEW_COUNTS: Final = (
    "contactsMappedToASingleZone",
    "contactsMappedToASingleZoneUsingZipCode",
    "contactsMappedToMultipleZones",
    "contactsMappedToMultipleZonesUsingZipCode",
    "contactsInDefaultWindow",
)

Resolve = Callable[[str, object], dict[str, Any]]
"""(entity kind, name or id) → ``DomainEntityRef``; raises ValueError."""


def _fail(field: str, what: str) -> NoReturn:
    msg = f"{field}: {what}"
    raise ValueError(msg)


def _check_slot(slot: Any, field: str, *, zone: bool) -> None:
    if not isinstance(slot, dict):
        _fail(field, "must be an object")
    allowed = {"earliestCallableTime", "latestCallableTime"} | (
        {"timeZoneId"} if zone else set()
    )
    for key in slot:
        if key not in allowed:
            _fail(f"{field}.{key}", "is not a field of the time slot")
    for key in ("earliestCallableTime", "latestCallableTime"):
        value = slot.get(key)
        if not isinstance(value, str) or not _HH_MM.match(value):
            _fail(f"{field}.{key}", f"{value!r} is not a time HH:mm")
    if slot["earliestCallableTime"] >= slot["latestCallableTime"]:
        _fail(field, "earliestCallableTime must be before latestCallableTime")
    if zone and not isinstance(slot.get("timeZoneId"), str):
        _fail(f"{field}.timeZoneId", "is required (an IANA zone)")


def _check_atzm(value: Any) -> None:
    field = "automaticTimeZoneMapping"
    if not isinstance(value, dict):
        _fail(field, "must be an object")
    for key in value:
        if key not in ("callableWindows", "supportedCountries"):
            _fail(f"{field}.{key}", "is not a field of it")
    windows = value.get("callableWindows", [])
    if not isinstance(windows, list):
        _fail(f"{field}.callableWindows", "must be a list")
    for index, window in enumerate(windows):
        where = f"{field}.callableWindows[{index}]"
        if not isinstance(window, dict) or set(window) - {"mapped", "unmapped"}:
            _fail(where, "must be an object of mapped and unmapped")
        if "mapped" in window:
            _check_slot(window["mapped"], f"{where}.mapped", zone=False)
        if "unmapped" in window:
            _check_slot(window["unmapped"], f"{where}.unmapped", zone=True)
    countries = value.get("supportedCountries", [])
    if not isinstance(countries, list) or not all(
        isinstance(c, str) for c in countries
    ):
        _fail(f"{field}.supportedCountries", "must be a list of strings")


def check_settings_patch(body: Any) -> dict[str, Any]:
    """The writable part of an ``OutboundSettings`` PATCH body, checked.

    Raises:
        ValueError: an unknown field or a malformed time-zone mapping.
    """
    if not isinstance(body, dict):
        msg = "(body): must be an OutboundSettings object"
        raise ValueError(msg)  # noqa: TRY004 - a bad body, not a bad type
    for key in body:
        if key not in SETTINGS_KEYS:
            _fail(key, "is not a valid property of OutboundSettings")
    if "automaticTimeZoneMapping" in body:
        _check_atzm(body["automaticTimeZoneMapping"])
    flag = body.get("rescheduleTimeZoneSkippedContacts", False)
    if not isinstance(flag, bool):
        _fail("rescheduleTimeZoneSkippedContacts", "must be true or false")
    return {
        k: copy.deepcopy(v) for k, v in body.items() if k not in _SETTINGS_READ_ONLY
    }


def build_outbound_settings(
    org_id: str, seed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The org's ``OutboundSettings``: Genesys's defaults, then `seed`'s fields.

    Raises:
        ValueError: `seed` has an unknown field or a malformed mapping.
    """
    body: dict[str, Any] = {
        "id": org_id,
        "name": "Outbound Settings",
        "dateCreated": SEED_TIME,
        "dateModified": SEED_TIME,
        "version": 1,
        "maxCallsPerAgent": 10,
        "maxLineUtilization": 1.0,
        "abandonSeconds": 2.0,
        "complianceAbandonRateDenominator": "ALL_CALLS",
        "automaticTimeZoneMapping": {
            "callableWindows": copy.deepcopy(list(DEFAULT_CALLABLE_WINDOWS)),
            "supportedCountries": ["US", "CA"],
        },
        "rescheduleTimeZoneSkippedContacts": False,
        "contactListDefaultRetentionType": "Never",
        "timeZone": "America/New_York",
    }
    body |= check_settings_patch(dict(seed or {}))
    body["selfUri"] = SETTINGS_PATH
    return body


def build_preview(
    contact_list: Mapping[str, Any], seeded: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The ``TimeZoneMappingPreview`` of a list from its seeded counts.

    Unseeded counts follow from the others: contacts in no zone are in the
    default window; the zone counts are single-zone mappings.
    """
    seeded = dict(seeded or {})
    per_zone = {
        str(k): int(v) for k, v in seeded.get("contactsPerTimeZone", {}).items()
    }
    size = int(contact_list.get("size") or 0)
    in_zones = sum(per_zone.values())
    body: dict[str, Any] = {
        "contactList": {
            "id": contact_list["id"],
            "name": contact_list["name"],
            "selfUri": SELF_PATHS["contactList"] + contact_list["id"],
        },
        "contactsPerTimeZone": per_zone,
        "contactsMappedUsingZipCode": {},
        "contactsMappedToASingleZone": in_zones,
        "contactsMappedToASingleZoneUsingZipCode": 0,
        "contactsMappedToMultipleZones": 0,
        "contactsMappedToMultipleZonesUsingZipCode": 0,
        "contactsInDefaultWindow": max(size - in_zones, 0),
        "contactListSize": size,
    }
    for key in _PREVIEW_COUNTS:
        if key in seeded:
            body[key] = int(seeded[key])
    body["contactsMappedUsingZipCode"] = {
        str(k): int(v) for k, v in seeded.get("contactsMappedUsingZipCode", {}).items()
    }
    return body


def check_preview_seed(value: Any, where: str) -> dict[str, Any]:
    """A seed's ``timeZoneMappingPreview`` entry, checked (counts by zone)."""
    if not isinstance(value, dict):
        _fail(where, "must be an object")
    for key, count in value.items():
        if key in _PREVIEW_MAPS:
            if not isinstance(count, dict) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0
                for n in count.values()
            ):
                _fail(f"{where}.{key}", "must map zones to counts")
        elif key not in _PREVIEW_COUNTS:
            _fail(f"{where}.{key}", "is not a field of TimeZoneMappingPreview")
        elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
            _fail(f"{where}.{key}", "must be a non-negative integer")
    return copy.deepcopy(value)


def _entities(value: Any, where: str, resolve: Resolve) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where, "must be an object")
    out: dict[str, Any] = {}
    for key, items in value.items():
        if key == "useTriggeringEntity":
            if not isinstance(items, bool):
                _fail(f"{where}.{key}", "must be true or false")
            out[key] = items
            continue
        kind = _ENTITY_KINDS.get(key)
        if kind is None or not isinstance(items, list):
            _fail(f"{where}.{key}", "is not a list of campaign rule entities")
        out[key] = [
            resolve(kind, i.get("id") if isinstance(i, dict) else i) for i in items
        ]
    return out


def _conditions(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        _fail(where, "must be a list")
    for index, condition in enumerate(value):
        kind = condition.get("conditionType") if isinstance(condition, dict) else None
        if kind not in RULE_CONDITION_TYPES:
            _fail(
                f"{where}[{index}].conditionType", f"{kind!r} is not a condition type"
            )
    return copy.deepcopy(value)


def build_campaign_rule(
    entry: Mapping[str, Any], resolve: Resolve, *, id_: str | None = None
) -> dict[str, Any]:
    """A ``CampaignRule`` from a seed entry whose entities may be names.

    Raises:
        ValueError: an unknown field, condition or action type.
    """
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        _fail("name", "is required")
    for key in entry:
        if key not in CAMPAIGN_RULE_KEYS or key in ("selfUri", "dateCreated"):
            _fail(key, "is not a field of CampaignRule")
    oid = id_ or str(entry.get("id") or entity_id("campaignRule", name))
    body: dict[str, Any] = {
        "id": oid,
        "name": name,
        "dateCreated": SEED_TIME,
        "dateModified": SEED_TIME,
        "version": 1,
        "campaignRuleEntities": _entities(
            entry.get("campaignRuleEntities", {}), "campaignRuleEntities", resolve
        ),
        "campaignRuleConditions": _conditions(
            entry.get("campaignRuleConditions", []), "campaignRuleConditions"
        ),
        "campaignRuleActions": [],
        "matchAnyConditions": bool(entry.get("matchAnyConditions", False)),
        "enabled": bool(entry.get("enabled", False)),
    }
    actions = entry.get("campaignRuleActions", [])
    if not isinstance(actions, list) or not actions:
        _fail("campaignRuleActions", "must be a non-empty list")
    for index, action in enumerate(actions):
        where = f"campaignRuleActions[{index}]"
        kind = action.get("actionType") if isinstance(action, dict) else None
        if kind not in RULE_ACTION_TYPES:
            _fail(f"{where}.actionType", f"{kind!r} is not an action type")
        assert isinstance(action, dict)
        out = {k: copy.deepcopy(v) for k, v in action.items()}
        out["campaignRuleActionEntities"] = _entities(
            action.get("campaignRuleActionEntities", {}),
            f"{where}.campaignRuleActionEntities",
            resolve,
        )
        body["campaignRuleActions"].append(out)
    for key in ("campaignRuleProcessing", "timeZoneId", "executionSettings"):
        if key in entry:
            body[key] = copy.deepcopy(entry[key])
    if "conditionGroups" in entry:
        groups = entry["conditionGroups"]
        if not isinstance(groups, list):
            _fail("conditionGroups", "must be a list")
        for index, group in enumerate(groups):
            _conditions(
                group.get("conditions", []) if isinstance(group, dict) else None,
                f"conditionGroups[{index}].conditions",
            )
        body["conditionGroups"] = copy.deepcopy(groups)
    body["selfUri"] = RULES_PATH + oid
    return body


def check_contact_list_zones(body: Mapping[str, Any]) -> None:
    """The time-zone fields of a ``ContactList``, as the model documents them.

    ``zipCodeColumnName`` is "only allowed if 'automaticTimeZoneMapping' is set
    to true"; a phone column's ``callableTimeColumn`` (and its newer
    ``callableTimeColumnName``) is "not allowed if 'automaticTimeZoneMapping'
    is set to true" ([SDK] ``contact_list.py``, ``contact_phone_number_column.py``).

    Raises:
        ValueError: naming the field at fault.
    """
    atzm = body.get("automaticTimeZoneMapping", False)
    if not isinstance(atzm, bool):
        _fail("automaticTimeZoneMapping", "must be true or false")
    if body.get("zipCodeColumnName") is not None and not atzm:
        _fail(
            "zipCodeColumnName",
            "is only allowed if automaticTimeZoneMapping is set to true",
        )
    columns = body.get("columnNames") or []
    for index, column in enumerate(body.get("phoneColumns") or []):
        if not isinstance(column, dict):
            continue
        for key in ("callableTimeColumn", "callableTimeColumnName"):
            value = column.get(key)
            if value is None:
                continue
            where = f"phoneColumns[{index}].{key}"
            if atzm:
                _fail(
                    where, "is not allowed if automaticTimeZoneMapping is set to true"
                )
            if value not in columns:
                _fail(where, f"{value!r} is not one of the columnNames")
    zip_column = body.get("zipCodeColumnName")
    if zip_column is not None and zip_column not in columns:
        _fail("zipCodeColumnName", f"{zip_column!r} is not one of the columnNames")
