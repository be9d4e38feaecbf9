"""Seed files: a compact JSON description of an org, turned into state.

The format is documented in docs/sandbox.md. Seeds are JSON (a YAML seed
must be converted first: the sandbox imports no YAML parser). Any entry of
``campaigns`` or ``messagingCampaigns`` may carry ``count`` to expand into
that many objects whose ``name`` is formatted with ``{n}`` (1-based).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NoReturn

from gcsched.sandbox.clients import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    ClientRecord,
    sha256,
)
from gcsched.sandbox.contact_time import (
    build_campaign_rule,
    build_outbound_settings,
    check_contact_list_zones,
    check_preview_seed,
)
from gcsched.sandbox.entities import (
    CAMPAIGN_KEYS,
    CAMPAIGN_STATUSES,
    CONTACT_LIST_KEYS,
    DIALING_MODES,
    MESSAGING_KEYS,
    SEED_TIME,
    build_callable_time_set,
    build_campaign,
    build_contact_list,
    build_messaging_campaign,
    build_sequence,
    entity_id,
    ref,
)
from gcsched.sandbox.families import FAMILIES, build_schedule, target_kind
from gcsched.sandbox.guesses import FAMILY_CHANNEL
from gcsched.sandbox.problems import ApiProblem
from gcsched.sandbox.validation import validate_schedule

__all__ = ["SeedParts", "load_seed", "seed_parts"]

SEED_KEYS: Final = frozenset(
    [
        "org",
        "clients",
        "defaultClient",
        "contactLists",
        "callableTimeSets",
        "campaigns",
        "messagingCampaigns",
        "sequences",
        "schedules",
        "outboundSettings",
        "campaignRules",
    ]
)
CHANNEL_CONFIG: Final = {
    "email": "emailConfig",
    "sms": "smsConfig",
    "whatsapp": "whatsAppConfig",
}


def load_seed(path: str | Path) -> dict[str, Any]:
    """Read a JSON seed file.

    Args:
        path: the seed file.

    Returns:
        The decoded seed mapping.

    Raises:
        ValueError: unreadable, not JSON, or not an object; the message says why.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"cannot read seed file {file}: {exc.strerror or exc}"
        raise ValueError(msg) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if file.suffix in (".yaml", ".yml"):
            hint = " (seed files are JSON; convert the YAML to JSON first)"
        msg = f"seed file {file} is not valid JSON at line {exc.lineno}{hint}"
        raise ValueError(msg) from exc
    if not isinstance(data, dict):
        msg = f"seed file {file} must hold a JSON object"
        raise ValueError(msg)  # noqa: TRY004 - a bad file, not a bad type
    return data


def _fail(where: str, what: str, cause: Exception | None = None) -> NoReturn:
    msg = f"seed: {where}: {what}"
    raise ValueError(msg) from cause


def _entries(seed: Mapping[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    raw = seed.get(key, [])
    if not isinstance(raw, list):
        _fail(key, "must be a list")
    out: list[tuple[str, dict[str, Any]]] = []
    for index, entry in enumerate(raw):
        where = f"{key}[{index}]"
        if not isinstance(entry, dict):
            _fail(where, "must be an object")
        if not isinstance(entry.get("name", ""), str):
            _fail(where, "name must be a string")
        count = entry.get("count")
        if count is None:
            out.append((where, entry))
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            _fail(where, "count must be a positive integer")
        pattern = str(entry.get("name", ""))
        if "{n" not in pattern:
            _fail(where, "with count, name must contain {n} (e.g. 'Bulk {n:04d}')")
        for n in range(1, count + 1):
            item = {k: v for k, v in entry.items() if k != "count"}
            item["name"] = pattern.format(n=n)
            out.append((f"{where} #{n}", item))
    return out


class _Resolver:
    def __init__(self) -> None:
        self.by_name: dict[str, dict[str, dict[str, Any]]] = {}
        self.by_id: dict[str, dict[str, dict[str, Any]]] = {}

    def add(self, store: str, obj: dict[str, Any], where: str) -> None:
        names = self.by_name.setdefault(store, {})
        if obj["name"] in names:
            _fail(where, f"duplicate name {obj['name']!r}")
        names[obj["name"]] = obj
        self.by_id.setdefault(store, {})[obj["id"]] = obj

    def get(self, store: str, key: object, where: str, what: str) -> dict[str, Any]:
        if isinstance(key, str):
            found = self.by_name.get(store, {}).get(key) or self.by_id.get(
                store, {}
            ).get(key)
            if found is not None:
                return found
        _fail(where, f"{what} {key!r} matches no {what} name or id in the seed")

    def ref(
        self, store: str, kind: str, key: object, where: str, what: str
    ) -> dict[str, Any]:
        obj = self.get(store, key, where, what)
        return ref(kind, obj["name"], obj["id"])


def _extra(
    entry: dict[str, Any], allowed: frozenset[str], used: set[str], where: str
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for key, value in entry.items():
        if key in used:
            continue
        if key not in allowed or key in ("id", "selfUri"):
            _fail(where, f"unknown field {key!r}")
        extra[key] = copy.deepcopy(value)
    return extra


def _clients(seed: Mapping[str, Any]) -> dict[str, ClientRecord]:
    clients: dict[str, ClientRecord] = {}
    if seed.get("defaultClient", True):
        clients[DEFAULT_CLIENT_ID] = ClientRecord(
            DEFAULT_CLIENT_ID, sha256(DEFAULT_CLIENT_SECRET)
        )
    raw = seed.get("clients", [])
    if not isinstance(raw, list):
        _fail("clients", "must be a list")
    for index, entry in enumerate(raw):
        where = f"clients[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            _fail(where, "needs an 'id' string")
        if isinstance(entry.get("secret"), str):
            hashed = sha256(entry["secret"])
        elif isinstance(entry.get("secretSha256"), str):
            hashed = entry["secretSha256"]
        else:
            _fail(where, "needs 'secret' or 'secretSha256'")
        perms = entry.get("permissions")
        if perms is not None and (
            not isinstance(perms, list) or not all(isinstance(p, str) for p in perms)
        ):
            _fail(where, "permissions must be a list of strings")
        ttl = entry.get("tokenTtl")
        if ttl is not None and (
            isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 1
        ):
            _fail(where, "tokenTtl must be a positive integer (seconds)")
        clients[entry["id"]] = ClientRecord(
            entry["id"], hashed, None if perms is None else frozenset(perms), ttl
        )
    return clients


def _callable_times(entry: dict[str, Any], where: str) -> list[dict[str, Any]]:
    if "callableTimes" in entry:
        times = entry["callableTimes"]
        if not isinstance(times, list):
            _fail(where, "callableTimes must be a list")
        return copy.deepcopy(times)
    zone = entry.get("timeZone")
    slots = entry.get("slots")
    if not isinstance(zone, str) or not isinstance(slots, list):
        _fail(where, "needs 'timeZone' and 'slots' (or 'callableTimes')")
    out: list[dict[str, Any]] = []
    for slot in slots:
        if not isinstance(slot, dict) or not {"days", "start", "stop"} <= slot.keys():
            _fail(where, "each slot needs days, start and stop")
        for day in slot["days"]:
            if not isinstance(day, int) or not 1 <= day <= 7:
                _fail(where, "slot days are 1-7 (Monday-Sunday)")
            out.append(
                {
                    "startTime": _hms(slot["start"], where),
                    "stopTime": _hms(slot["stop"], where),
                    "day": day,
                }
            )
    out.sort(key=lambda s: s["day"])
    return [{"timeSlots": out, "timeZoneId": zone}]


def _hms(text: object, where: str) -> str:
    """Return a slot time as the real API answers it: ``HH:mm:ss.SSS``."""
    if not isinstance(text, str) or len(text.split(":")) not in (2, 3):
        _fail(where, f"time {text!r} must be HH:MM or HH:MM:SS")
    full = text if text.count(":") == 2 else f"{text}:00"
    return full if "." in full else f"{full}.000"


def _schedule(
    entry: dict[str, Any], resolver: _Resolver, where: str
) -> tuple[str, dict[str, Any]]:
    family = FAMILIES.get(str(entry.get("family")))
    if family is None:
        _fail(where, f"family must be one of {', '.join(FAMILIES)}")
    kind = target_kind(family)
    target = resolver.get(family.target, entry.get("target"), where, kind)
    config = FAMILY_CHANNEL.get(family.path)
    if config is not None and config not in target:
        _fail(where, f"{target['name']!r} has no {config}: wrong family")
    body = {
        k: copy.deepcopy(v) for k, v in entry.items() if k not in ("family", "target")
    }
    body[family.ref_field] = {"id": target["id"]}
    try:
        validate_schedule(body, family.ref_field, target["id"])
    except ApiProblem as exc:
        _fail(where, f"{exc.message} ({exc.details[0].field_name})", exc)
    version = body.get("version", 1)
    record = build_schedule(
        family, target, body, version=version, created=SEED_TIME, modified=SEED_TIME
    )
    return family.path, record


@dataclass(frozen=True, slots=True)
class SeedParts:
    """What a seed describes, checked and built: the parts of a `SandboxState`.

    Attributes:
        org: the ``Organization`` JSON.
        clients: OAuth clients by id.
        stores: objects by store name (``campaigns``...) then id.
        schedules: schedules by family path then id.
        settings: the org's ``OutboundSettings``.
        previews: seeded time-zone mapping preview counts by contact list id.
    """

    org: dict[str, Any]
    clients: dict[str, ClientRecord]
    stores: dict[str, dict[str, dict[str, Any]]]
    schedules: dict[str, dict[str, dict[str, Any]]]
    settings: dict[str, Any]
    previews: dict[str, dict[str, Any]]


def seed_parts(seed: Mapping[str, Any]) -> SeedParts:
    """Check a seed and build the org it describes.

    Args:
        seed: the decoded seed.

    Returns:
        The org, clients, stores and schedules.

    Raises:
        ValueError: the seed is malformed; the message says where and why.
    """
    unknown = set(seed) - SEED_KEYS
    if unknown:
        _fail(
            "top level", f"unknown keys {sorted(unknown)}; allowed: {sorted(SEED_KEYS)}"
        )
    org_seed = seed.get("org", {})
    if not isinstance(org_seed, dict):
        _fail("org", "must be an object")
    org_name = str(org_seed.get("name", "Sandbox Org"))
    org_id = str(org_seed.get("id", entity_id("organization", org_name)))
    org = {
        "id": org_id,
        "name": org_name,
        "defaultLanguage": "en-us",
        "defaultCountryCode": "US",
        "domain": str(org_seed.get("domain", "sandbox")),
        "version": 1,
        "state": "active",
        "voicemailEnabled": True,
        "productPlatform": "PureCloud",
        "selfUri": f"/api/v2/organizations/{org_id}",
    }
    resolver = _Resolver()
    stores: dict[str, dict[str, dict[str, Any]]] = {}

    def put(store: str, obj: dict[str, Any], where: str) -> None:
        resolver.add(store, obj, where)
        stores.setdefault(store, {})[obj["id"]] = obj

    previews: dict[str, dict[str, Any]] = {}
    for where, e in _entries(seed, "contactLists"):
        size = e.get("size", 0)
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            _fail(where, "size must be a non-negative integer")
        used = {"name", "size", "id", "timeZoneMappingPreview"}
        extra = _extra(e, CONTACT_LIST_KEYS, used, where)
        built = build_contact_list(e["name"], size, id_=e.get("id"), extra=extra)
        try:
            check_contact_list_zones(built)
            if "timeZoneMappingPreview" in e:
                previews[built["id"]] = check_preview_seed(
                    e["timeZoneMappingPreview"], "timeZoneMappingPreview"
                )
        except ValueError as exc:
            _fail(where, str(exc), exc)
        put("contact_lists", built, where)
    for where, e in _entries(seed, "callableTimeSets"):
        put(
            "callable_time_sets",
            build_callable_time_set(
                e["name"], _callable_times(e, where), id_=e.get("id")
            ),
            where,
        )
    for where, e in _entries(seed, "campaigns"):
        mode = e.get("dialingMode")
        if mode not in DIALING_MODES:
            _fail(where, f"dialingMode must be one of {', '.join(DIALING_MODES)}")
        if e.get("campaignStatus", "off") not in CAMPAIGN_STATUSES:
            _fail(
                where, f"campaignStatus must be one of {', '.join(CAMPAIGN_STATUSES)}"
            )
        used = {"name", "id", "dialingMode", "contactList", "callableTimeSet", "queue"}
        cts = e.get("callableTimeSet")
        campaign = build_campaign(
            e["name"],
            mode,
            resolver.ref(
                "contact_lists",
                "contactList",
                e.get("contactList"),
                where,
                "contactList",
            ),
            callable_time_set=None
            if cts is None
            else resolver.ref(
                "callable_time_sets", "callableTimeSet", cts, where, "callableTimeSet"
            ),
            queue=str(e.get("queue", "Outbound Agents")),
            id_=e.get("id"),
            extra=_extra(e, CAMPAIGN_KEYS, used, where),
        )
        put("campaigns", campaign, where)
    for where, e in _entries(seed, "messagingCampaigns"):
        channel = e.get("channel")
        if channel not in CHANNEL_CONFIG:
            _fail(where, "channel must be email, sms or whatsapp")
        mpm = e.get("messagesPerMinute", 10)
        if isinstance(mpm, bool) or not isinstance(mpm, int) or mpm < 1:
            _fail(where, "messagesPerMinute must be a positive integer")
        cts = e.get("callableTimeSet")
        used = {
            "name",
            "id",
            "channel",
            "contactList",
            "callableTimeSet",
            "messagesPerMinute",
        }
        put(
            "messaging_campaigns",
            build_messaging_campaign(
                e["name"],
                channel,
                resolver.ref(
                    "contact_lists",
                    "contactList",
                    e.get("contactList"),
                    where,
                    "contactList",
                ),
                mpm,
                callable_time_set=None
                if cts is None
                else resolver.ref(
                    "callable_time_sets",
                    "callableTimeSet",
                    cts,
                    where,
                    "callableTimeSet",
                ),
                id_=e.get("id"),
                extra=_extra(e, MESSAGING_KEYS, used, where),
            ),
            where,
        )
    for where, e in _entries(seed, "sequences"):
        members = e.get("campaigns")
        if not isinstance(members, list) or not members:
            _fail(where, "campaigns must be a non-empty list of campaign names")
        refs = [
            resolver.ref("campaigns", "campaign", m, where, "campaign") for m in members
        ]
        status = e.get("status", "off")
        if status not in ("on", "off", "complete"):
            _fail(where, "status must be on, off or complete")
        put(
            "sequences",
            build_sequence(e["name"], refs, status=status, id_=e.get("id")),
            where,
        )
    for where, e in _entries(seed, "campaignRules"):
        try:
            rule = build_campaign_rule(e, _rule_resolver(resolver, where))
        except ValueError as exc:
            if str(exc).startswith("seed: "):
                raise  # an entity the seed does not hold, already placed
            _fail(where, str(exc), exc)
        put("campaign_rules", rule, where)
    try:
        settings = build_outbound_settings(org_id, _mapping(seed, "outboundSettings"))
    except ValueError as exc:
        _fail("outboundSettings", str(exc), exc)
    schedules: dict[str, dict[str, dict[str, Any]]] = {}
    raw = seed.get("schedules", [])
    if not isinstance(raw, list):
        _fail("schedules", "must be a list")
    for index, entry in enumerate(raw):
        where = f"schedules[{index}]"
        if not isinstance(entry, dict):
            _fail(where, "must be an object")
        family, body = _schedule(entry, resolver, where)
        schedules.setdefault(family, {})[body["id"]] = body
    return SeedParts(
        org=org,
        clients=_clients(seed),
        stores=stores,
        schedules=schedules,
        settings=settings,
        previews=previews,
    )


_RULE_STORES: Final = {
    "campaign": "campaigns",
    "sequence": "sequences",
    "messagingCampaign": "messaging_campaigns",
}


def _mapping(seed: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = seed.get(key, {})
    if not isinstance(value, dict):
        _fail(key, "must be an object")
    return value


def _rule_resolver(
    resolver: _Resolver, where: str
) -> Callable[[str, object], dict[str, Any]]:
    """Campaign rule entities by name or id, as ``DomainEntityRef``s."""

    def resolve(kind: str, key: object) -> dict[str, Any]:
        return resolver.ref(_RULE_STORES[kind], kind, key, where, kind)

    return resolve
