"""Outbound objects: campaigns, contact lists, callable time sets,
messaging campaigns and sequences."""

from __future__ import annotations

import copy
import json
import math
import uuid
from typing import Any, Final, NoReturn

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.contact_time import check_contact_list_zones
from gcsched.sandbox.entities import (
    CAMPAIGN_KEYS,
    CAMPAIGN_STATUSES,
    DIALING_MODES,
    HOME_DIVISION,
    SELF_PATHS,
    build_contact_list,
)
from gcsched.sandbox.guesses import (
    CONFLICT_400_CODE,
    CONFLICT_400_MESSAGE,
    CONFLICT_CODE,
    CONFLICT_MESSAGE,
    CONFLICT_STATUS,
    EMPTY_PAGE_CODE,
    EMPTY_PAGE_MESSAGE,
    EMPTY_PAGE_STATUS,
    PATCH_STATUS,
)
from gcsched.sandbox.notifications import campaign_topic, event_body
from gcsched.sandbox.paging import (
    allow_empty_result,
    filter_by_name,
    listing,
    page_params,
    sort_items,
)
from gcsched.sandbox.problems import ApiProblem, Detail
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import utc_stamp

__all__ = [
    "OutboundRoutes",
    "empty_page_check",
    "not_found",
    "read_json",
    "reject",
    "version_conflict",
]

CAMPAIGN_REQUIRED: Final = (
    "name",
    "contactList",
    "dialingMode",
    "phoneColumns",
    "callerName",
    "callerAddress",
)
PATCH_KEYS: Final = frozenset(
    {
        "outboundLineCount",
        "abandonRate",
        "maxCallsPerAgent",
        "dynamicLineBalancingSettings",
        "queue",
    }
)
# Required by the model ([NET] MessagingCampaign.cs; fidelity-audit.md #17).
MESSAGING_REQUIRED: Final = ("contactList", "messagesPerMinute")
# Kept from the stored campaign when a PUT body leaves them out (a GUESS).
MESSAGING_KEPT: Final = ("name", "division")
READ_ONLY: Final = frozenset({"id", "dateCreated", "dateModified", "errors", "selfUri"})
CHANNEL_TYPES: Final = {
    "EMAIL": "emailConfig",
    "SMS": "smsConfig",
    "WHATSAPP": "whatsAppConfig",
}


def not_found() -> ApiProblem:
    """Return the platform's 404 answer."""
    return ApiProblem(404, "not.found", "The requested resource was not found.")


def version_conflict(rt: Runtime) -> ApiProblem:
    """Return the answer to a stale or missing ``version`` (the switch decides)."""
    if rt.guesses.version_conflict == 400:
        return ApiProblem(
            400,
            CONFLICT_400_CODE,
            CONFLICT_400_MESSAGE,
            (Detail(CONFLICT_400_CODE, "version"),),
        )
    return ApiProblem(
        CONFLICT_STATUS,
        CONFLICT_CODE,
        CONFLICT_MESSAGE,
        (Detail(CONFLICT_CODE, "version"),),
    )


def empty_page_check(rt: Runtime, request: Request, page: dict[str, Any]) -> None:
    """Refuse an empty page when the switch says so and the client did not
    send ``allowEmptyResult=true`` (which is always checked for form).

    Raises:
        ApiProblem: a bad ``allowEmptyResult``, or the empty-page error.
    """
    allowed = allow_empty_result(request.query_params)
    if page["entities"] or allowed or rt.guesses.empty_page != "error":
        return
    raise ApiProblem(EMPTY_PAGE_STATUS, EMPTY_PAGE_CODE, EMPTY_PAGE_MESSAGE)


def reject(code: str, message: str, field: str) -> NoReturn:
    """Raise a 400 naming one field."""
    raise ApiProblem(400, code, message, (Detail(code, field),))


async def read_json(request: Request) -> Any:
    """Decode the JSON body or answer 400 ``bad.request``."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiProblem(
            400,
            "bad.request",
            "The request could not be understood by the server due to "
            "malformed syntax.",
        ) from None


class OutboundRoutes:
    """Handlers of ``/api/v2/outbound/{campaigns,contactlists,...}``."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def _store(self, name: str) -> dict[str, dict[str, Any]]:
        return self.rt.state.stores[name]

    def _changed(self, request: Request, path: str, record: dict[str, Any]) -> None:
        """Publish a campaign change to its topic (`NotificationHub`)."""
        self.rt.hub.publish(
            campaign_topic(path, record["id"]),
            event_body(record),
            Runtime.correlation_id(request),
        )

    def _one(self, store: str, request: Request, key: str) -> dict[str, Any]:
        found = self._store(store).get(request.path_params[key])
        if found is None:
            raise not_found()
        return found

    def _list(
        self,
        items: list[dict[str, Any]],
        request: Request,
        *,
        takes_allow_empty: bool = False,
    ) -> dict[str, Any]:
        query = request.query_params
        size, number = page_params(query)
        ids = [i for v in query.getlist("id") for i in v.split(",") if i]
        if ids:
            items = [i for i in items if i["id"] in ids]
        items = sort_items(filter_by_name(items, query), query)
        page = listing(
            items, request.url.path, query, page_size=size, page_number=number
        )
        if takes_allow_empty:
            empty_page_check(self.rt, request, page)
        return page

    # ------------------------------------------------------------ campaigns
    async def list_campaigns(self, request: Request) -> Response:
        """``GET /api/v2/outbound/campaigns`` (paged, ``name`` filter)."""
        items = list(self._store("campaigns").values())
        contact_list = request.query_params.get("contactListId")
        if contact_list:
            items = [c for c in items if c["contactList"]["id"] == contact_list]
        return json_response(self._list(items, request))

    async def get_campaign(self, request: Request) -> Response:
        """``GET /api/v2/outbound/campaigns/{campaignId}``."""
        return json_response(self._one("campaigns", request, "campaignId"))

    def _check_campaign(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiProblem(400, "bad.request", "The body must be a Campaign object.")
        for key in body:
            if key not in CAMPAIGN_KEYS:
                reject(
                    "invalid.property",
                    f"Value [{key}] is not a valid property for object [Campaign]",
                    key,
                )
        for key in CAMPAIGN_REQUIRED:
            if body.get(key) in (None, "", []):
                reject("constraint.validation", f"{key} may not be null", key)
        if body["dialingMode"] not in DIALING_MODES:
            reject(
                "invalid.value",
                f"Value [{body['dialingMode']}] is not valid for field type "
                f"[dialingMode]. Allowable values are: {', '.join(DIALING_MODES)}",
                "dialingMode",
            )
        status = body.get("campaignStatus", "off")
        if status not in CAMPAIGN_STATUSES:
            reject(
                "invalid.value",
                f"Value [{status}] is not valid for field type [campaignStatus]. "
                f"Allowable values are: {', '.join(CAMPAIGN_STATUSES)}",
                "campaignStatus",
            )
        out = {k: copy.deepcopy(v) for k, v in body.items() if k not in READ_ONLY}
        out["contactList"] = self._ref(
            "contact_lists", "contactList", body["contactList"]
        )
        if body.get("callableTimeSet") is not None:
            out["callableTimeSet"] = self._ref(
                "callable_time_sets", "callableTimeSet", body["callableTimeSet"]
            )
        out["campaignStatus"] = status
        out.setdefault("division", dict(HOME_DIVISION))
        return out

    def _ref(self, store: str, kind: str, value: Any) -> dict[str, Any]:
        oid = value.get("id") if isinstance(value, dict) else None
        found = self._store(store).get(oid) if isinstance(oid, str) else None
        if found is None:
            reject("invalid.value", f"{kind}.id {oid!r} does not exist", f"{kind}.id")
        return {
            "id": found["id"],
            "name": found["name"],
            "selfUri": SELF_PATHS[kind] + found["id"],
        }

    async def post_campaign(self, request: Request) -> Response:
        """``POST /api/v2/outbound/campaigns``: create a campaign."""
        body = self._check_campaign(await read_json(request))
        state = self.rt.state
        async with state.lock:
            if any(
                c["name"] == body["name"] for c in self._store("campaigns").values()
            ):
                reject(
                    "name.not.unique",
                    f"A campaign named {body['name']!r} already exists",
                    "name",
                )
            oid = str(uuid.uuid4())
            now = utc_stamp(state.clock())
            campaign = {"id": oid, **body, "dateCreated": now, "dateModified": now}
            campaign["version"] = 1
            campaign["selfUri"] = SELF_PATHS["campaign"] + oid
            self._store("campaigns")[oid] = campaign
            self.rt.changed(request, "Campaign", None, campaign)
        return json_response(campaign)

    async def put_campaign(self, request: Request) -> Response:
        """``PUT /api/v2/outbound/campaigns/{campaignId}``: replace (versioned).

        ``useMaxCallsPerAgentDecimal=true`` makes ``maxCallsPerAgentDecimal``
        the value; otherwise ``maxCallsPerAgent`` is, and a decimal in the
        body is overwritten by it.
        """
        flag = request.query_params.get("useMaxCallsPerAgentDecimal", "false")
        if flag.lower() not in ("true", "false"):
            reject(
                "invalid.query.param.value",
                f"Query parameter useMaxCallsPerAgentDecimal={flag!r} is invalid: "
                "use true or false",
                "useMaxCallsPerAgentDecimal",
            )
        use_decimal = flag.lower() == "true"
        raw = await read_json(request)
        state = self.rt.state
        async with state.lock:
            current = self._one("campaigns", request, "campaignId")
            body = self._check_campaign(raw)
            if body.get("version") != current["version"]:
                raise version_conflict(self.rt)
            _max_calls(body, use_decimal)
            updated = {
                "id": current["id"],
                **body,
                "dateCreated": current["dateCreated"],
                "dateModified": utc_stamp(state.clock()),
                "version": current["version"] + 1,
                "selfUri": current["selfUri"],
            }
            self._store("campaigns")[current["id"]] = updated
            self.rt.changed(request, "Campaign", current, updated)
        self._changed(request, "campaigns", updated)
        return json_response(updated)

    async def patch_campaign(self, request: Request) -> Response:
        """``PATCH /api/v2/outbound/campaigns/{campaignId}``: pacing fields."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiProblem(
                400, "bad.request", "The body must be a CampaignPatchRequest."
            )
        for key, value in body.items():
            if key not in PATCH_KEYS:
                reject(
                    "invalid.property",
                    f"Value [{key}] is not a valid property for object "
                    "[CampaignPatchRequest]",
                    key,
                )
            _check_pacing(key, value)
        state = self.rt.state
        async with state.lock:
            current = self._one("campaigns", request, "campaignId")
            before = copy.deepcopy(current)
            changes = copy.deepcopy(body)
            if "maxCallsPerAgent" in changes:
                value = changes.pop("maxCallsPerAgent")
                _set_max_calls(
                    current, value, decimal="maxCallsPerAgentDecimal" in current
                )
            current.update(changes)
            current["version"] += 1
            current["dateModified"] = utc_stamp(state.clock())
            self.rt.changed(request, "Campaign", before, current)
        self._changed(request, "campaigns", current)
        return Response(status_code=PATCH_STATUS)

    # ------------------------------------------------------------ contact lists
    def _contact_list(self, item: dict[str, Any], request: Request) -> dict[str, Any]:
        if request.query_params.get("includeSize", "false").lower() == "true":
            return item
        return {k: v for k, v in item.items() if k != "size"}

    async def list_contact_lists(self, request: Request) -> Response:
        """``GET /api/v2/outbound/contactlists`` (``includeSize``)."""
        body = self._list(
            list(self._store("contact_lists").values()),
            request,
            takes_allow_empty=True,
        )
        body["entities"] = [self._contact_list(i, request) for i in body["entities"]]
        return json_response(body)

    async def get_contact_list(self, request: Request) -> Response:
        """``GET /api/v2/outbound/contactlists/{contactListId}``."""
        item = self._one("contact_lists", request, "contactListId")
        return json_response(self._contact_list(item, request))

    async def post_contact_list(self, request: Request) -> Response:
        """``POST /api/v2/outbound/contactlists``: an empty list."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiProblem(400, "bad.request", "The body must be a ContactList.")
        name = body.get("name")
        if not isinstance(name, str) or not name:
            reject("constraint.validation", "name may not be null", "name")
        columns = body.get("columnNames")
        if not isinstance(columns, list) or not columns:
            reject(
                "constraint.validation", "columnNames may not be empty", "columnNames"
            )
        extra = {
            k: copy.deepcopy(v)
            for k, v in body.items()
            if k not in READ_ONLY | {"name", "size", "version", "importStatus"}
        }
        try:
            check_contact_list_zones(body)
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            reject("invalid.value", f"{field} {message}", field)
        state = self.rt.state
        async with state.lock:
            if any(c["name"] == name for c in self._store("contact_lists").values()):
                reject(
                    "name.not.unique", f"A contact list named {name!r} exists", "name"
                )
            created = build_contact_list(name, 0, id_=str(uuid.uuid4()), extra=extra)
            created["dateCreated"] = created["dateModified"] = utc_stamp(state.clock())
            self._store("contact_lists")[created["id"]] = created
        return json_response(created)

    # ------------------------------------------------------------ others
    async def list_callable_time_sets(self, request: Request) -> Response:
        """``GET /api/v2/outbound/callabletimesets``."""
        items = list(self._store("callable_time_sets").values())
        return json_response(self._list(items, request, takes_allow_empty=True))

    async def get_callable_time_set(self, request: Request) -> Response:
        """``GET /api/v2/outbound/callabletimesets/{callableTimeSetId}``."""
        return json_response(
            self._one("callable_time_sets", request, "callableTimeSetId")
        )

    async def list_messaging_campaigns(self, request: Request) -> Response:
        """``GET /api/v2/outbound/messagingcampaigns`` (``type`` filter)."""
        items = list(self._store("messaging_campaigns").values())
        kinds = [
            t for v in request.query_params.getlist("type") for t in v.split(",") if t
        ]
        if kinds:
            configs = {CHANNEL_TYPES.get(k.upper(), "?") for k in kinds}
            items = [i for i in items if configs & i.keys()]
        return json_response(self._list(items, request))

    async def get_messaging_campaign(self, request: Request) -> Response:
        """``GET /api/v2/outbound/messagingcampaigns/{messagingCampaignId}``."""
        return json_response(
            self._one("messaging_campaigns", request, "messagingCampaignId")
        )

    async def put_messaging_campaign(self, request: Request) -> Response:
        """``PUT /api/v2/outbound/messagingcampaigns/{id}``: replace (versioned)."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiProblem(
                400, "bad.request", "The body must be a MessagingCampaign."
            )
        for key in MESSAGING_REQUIRED:
            if key not in body:
                reject("bad.request", f"The field {key} is required.", key)
        rate = body["messagesPerMinute"]
        if not isinstance(rate, int) or isinstance(rate, bool) or rate < 1:
            reject(
                "invalid.value",
                f"Value [{rate}] is not valid for messagesPerMinute",
                "messagesPerMinute",
            )
        state = self.rt.state
        async with state.lock:
            current = self._one("messaging_campaigns", request, "messagingCampaignId")
            if body.get("version") != current["version"]:
                raise version_conflict(self.rt)
            read_only = ("id", "dateCreated", "dateModified", "selfUri", "version")
            kept = {k: current[k] for k in MESSAGING_KEPT if k in current}
            updated = {
                "id": current["id"],
                **kept,
                **{k: copy.deepcopy(v) for k, v in body.items() if k not in read_only},
                "dateCreated": current.get("dateCreated"),
                "dateModified": utc_stamp(state.clock()),
                "version": current["version"] + 1,
                "selfUri": current.get("selfUri"),
            }
            self._store("messaging_campaigns")[current["id"]] = updated
            self.rt.changed(request, "MessagingCampaign", current, updated)
        self._changed(request, "messagingcampaigns", updated)
        return json_response(updated)

    async def list_sequences(self, request: Request) -> Response:
        """``GET /api/v2/outbound/sequences``."""
        items = list(self._store("sequences").values())
        return json_response(self._list(items, request, takes_allow_empty=True))

    async def get_sequence(self, request: Request) -> Response:
        """``GET /api/v2/outbound/sequences/{sequenceId}``."""
        return json_response(self._one("sequences", request, "sequenceId"))


def _check_pacing(key: str, value: Any) -> None:
    ok: bool
    if key == "outboundLineCount":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    elif key == "abandonRate":
        ok = _is_number(value) and 0 <= value <= 100
    elif key == "maxCallsPerAgent":
        ok = _is_number(value) and value >= 1
    elif key == "dynamicLineBalancingSettings":
        ok = isinstance(value, dict)
    else:
        ok = isinstance(value, dict) and isinstance(value.get("id"), str)
    if not ok:
        reject("invalid.value", f"Value [{value}] is not valid for {key}", key)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _set_max_calls(campaign: dict[str, Any], value: float, *, decimal: bool) -> None:
    """Store a max-calls-per-agent value in both fields.

    ``maxCallsPerAgent`` (an int in the model) gets the value rounded down;
    ``maxCallsPerAgentDecimal`` (a double) gets it exactly, whenever the
    campaign already has one or the value is not whole.
    """
    campaign["maxCallsPerAgent"] = math.floor(value)
    if decimal or value != math.floor(value):
        campaign["maxCallsPerAgentDecimal"] = float(value)
    else:
        campaign.pop("maxCallsPerAgentDecimal", None)


def _max_calls(body: dict[str, Any], use_decimal: bool) -> None:
    """Resolve a campaign PUT body's two max-calls fields into one value.

    Raises:
        ApiProblem: 400 ``invalid.value`` for a value below 1 or of the
            wrong type.
    """
    whole = body.get("maxCallsPerAgent")
    exact = body.get("maxCallsPerAgentDecimal")
    if whole is not None and (
        isinstance(whole, bool) or not isinstance(whole, int) or whole < 1
    ):
        reject(
            "invalid.value",
            f"Value [{whole}] is not valid for maxCallsPerAgent",
            "maxCallsPerAgent",
        )
    if exact is not None and not (_is_number(exact) and exact >= 1):
        reject(
            "invalid.value",
            f"Value [{exact}] is not valid for maxCallsPerAgentDecimal",
            "maxCallsPerAgentDecimal",
        )
    body.pop("maxCallsPerAgentDecimal", None)
    body.pop("maxCallsPerAgent", None)
    value = exact if use_decimal and exact is not None else whole
    if value is not None:
        _set_max_calls(body, value, decimal=exact is not None)
