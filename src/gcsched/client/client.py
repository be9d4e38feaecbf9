"""`GenesysClient`: the typed async methods gcsched uses on the real API.

Every method returns plain JSON (``dict`` / ``list``) after validating it against
the wire models of `wire.py`; outbound bodies are validated before they are
sent. Paths and permissions: genesys-api.md §1–§2.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, Final

from gcsched.client import wire
from gcsched.client.audits import AuditReads
from gcsched.client.base import (
    _SCHEDULES,
    ALLOW_EMPTY_RESULT,
    PAGE_SIZE,
    _seg,
)
from gcsched.domain import canonical_body
from gcsched.errors import ApiError, VersionConflictError
from gcsched.genesys import SERVER_SET_KEYS

#: The schedule lists that answer an ``*EntityListing`` (the other two are
#: bare arrays): genesys-api.md, fidelity-audit.md #3.
LISTING_FAMILIES: Final = frozenset(
    {"emailcampaigns", "messagingcampaigns", "whatsappcampaigns"}
)

__all__ = ["GenesysClient", "landed", "landed_campaign", "landed_schedule"]

log = logging.getLogger("gcsched.client")

_CAMPAIGNS = "/api/v2/outbound/campaigns"
_MESSAGING = "/api/v2/outbound/messagingcampaigns"
_SEQUENCES = "/api/v2/outbound/sequences"
_CONTACT_LISTS = "/api/v2/outbound/contactlists"
_TIME_SETS = "/api/v2/outbound/callabletimesets"
_SETTINGS = "/api/v2/outbound/settings"
_RULES = "/api/v2/outbound/campaignrules"


_MAX_CALLS = "maxCallsPerAgent"
_MAX_CALLS_DECIMAL = "maxCallsPerAgentDecimal"
_DECIMAL_FLAG = {"useMaxCallsPerAgentDecimal": "true"}


def _same_value(sent: Any, stored: Any) -> bool:
    """JSON equality, numbers by value (a 2 sent may come back as 2.0)."""
    numbers = (int, float)
    if (
        isinstance(sent, numbers)
        and isinstance(stored, numbers)
        and not isinstance(sent, bool)
        and not isinstance(stored, bool)
    ):
        return float(sent) == float(stored)
    return bool(sent == stored)


def landed_schedule(sent: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """Whether a stored schedule is the one sent, as the domain compares them.

    Canonical bodies, not raw JSON: a server that reformats times or reorders
    days still holds what was sent (fidelity-audit.md #10).
    """
    return canonical_body(dict(stored)) == canonical_body(dict(sent))


def landed_campaign(
    sent: Mapping[str, Any],
    stored: Mapping[str, Any],
    fields: Collection[str] | None = None,
) -> bool:
    """Whether a stored campaign holds the fields gcsched set in `sent`.

    `fields` names them (the pacing or priority fields of the step); None means
    every field sent. Setting ``maxCallsPerAgent`` also sets its decimal twin.
    """
    keys = set(sent) - SERVER_SET_KEYS if fields is None else set(fields)
    if _MAX_CALLS in keys and _MAX_CALLS_DECIMAL in sent:
        keys.add(_MAX_CALLS_DECIMAL)
    return all(
        key in stored and landed(sent[key], stored[key], top=False)
        for key in keys
        if key in sent
    )


def landed(sent: Any, stored: Any, *, top: bool = True) -> bool:
    """Whether `stored` holds everything `sent` said (server-set fields aside)."""
    if isinstance(sent, Mapping):
        if not isinstance(stored, Mapping):
            return False
        return all(
            key in stored and landed(value, stored[key], top=False)
            for key, value in sent.items()
            if not (top and key in SERVER_SET_KEYS)
        )
    if isinstance(sent, list):
        return (
            isinstance(stored, list)
            and len(sent) == len(stored)
            and all(landed(a, b, top=False) for a, b in zip(sent, stored, strict=True))
        )
    return _same_value(sent, stored)


class GenesysClient(AuditReads):
    """Async client of the Genesys Cloud Platform API v2 (outbound subset).

    Use it as an async context manager::

        async with GenesysClient(url, credentials) as api:
            schedules = await api.list_schedules("campaigns")

    See `ClientBase` for the constructor's arguments. Every method may raise
    `AuthenticationError`, `PermissionDeniedError`, `RateLimitError`,
    `CircuitOpenError`, `NetworkError` or `ApiError`; writes also
    `VersionConflictError`, and an invalid outbound body `InputError` (nothing
    is sent).
    """

    # ------------------------------------------------------------ org
    async def get_organization(self) -> dict[str, Any]:
        """The org this client talks to (``id``, ``name``)."""
        path = "/api/v2/organizations/me"
        data: dict[str, Any] = await self._get_one(path, path, wire.Organization)
        return data

    async def get_rate_limit(self) -> int:
        """Requests per minute per client-credentials token (fallback 300).

        Reads ``client.credentials.token.rate.per.minute`` of the ``platform.api``
        namespace.
        """
        return await self._read_rate_limit()

    # ------------------------------------------------------------ campaigns
    async def list_campaigns(self) -> list[dict[str, Any]]:
        """Every voice campaign (all pages of 100)."""
        return await self._all_pages(_CAMPAIGNS, wire.Campaign)

    async def get_campaign(self, campaign_id: str) -> dict[str, Any]:
        """One voice campaign; `NotFoundError` if it does not exist."""
        path = f"{_CAMPAIGNS}/{_seg(campaign_id)}"
        try:
            data: dict[str, Any] = await self._get_one(
                _CAMPAIGNS + "/{id}", path, wire.Campaign
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    async def patch_campaign(self, campaign_id: str, patch: Mapping[str, Any]) -> None:
        """Change a voice campaign's pacing (``CampaignPatchRequest``, no version).

        Only ``outboundLineCount``, ``abandonRate``, ``maxCallsPerAgent``,
        ``dynamicLineBalancingSettings`` and ``queue`` are patchable; anything
        else is refused before sending (use `put_campaign` for ``priority``).
        """
        body = dict(patch)
        self._outbound(
            lambda: wire.CampaignPatch.model_validate(body),
            f"the pacing patch of campaign {campaign_id}",
        )
        path = f"{_CAMPAIGNS}/{_seg(campaign_id)}"
        await self._call("PATCH", _CAMPAIGNS + "/{id}", path, json=body)

    async def put_campaign(
        self,
        campaign_id: str,
        body: Mapping[str, Any],
        *,
        fields: Collection[str] | None = None,
    ) -> dict[str, Any]:
        """Replace a voice campaign (with its ``version``): pacing and priority.

        Sent with ``useMaxCallsPerAgentDecimal=true``, so ``maxCallsPerAgentDecimal``
        is the value (set from ``maxCallsPerAgent`` when the body has no
        decimal): a PUT never rounds a real 1.5 down. `fields` names the fields
        the caller changed; after a lost answer, the campaign is read back and
        the write is ours when it holds them (see `landed_campaign`).
        """
        payload = dict(body)
        whole = payload.get(_MAX_CALLS)
        if _MAX_CALLS_DECIMAL not in payload and isinstance(whole, int | float):
            payload[_MAX_CALLS_DECIMAL] = float(whole)
        self._outbound(
            lambda: wire.Campaign.model_validate({"id": campaign_id, **payload}),
            f"the body of campaign {campaign_id}",
        )
        path = f"{_CAMPAIGNS}/{_seg(campaign_id)}"
        data = await self._versioned_put(
            _CAMPAIGNS + "/{id}",
            path,
            payload,
            lambda: self.get_campaign(campaign_id),
            lambda fresh: landed_campaign(payload, fresh, fields),
            params=_DECIMAL_FLAG,
        )
        return self._object(data, wire.Campaign, f"PUT {path}")

    # ------------------------------------------------------------ messaging
    async def list_messaging_campaigns(self) -> list[dict[str, Any]]:
        """Every email, SMS and WhatsApp campaign (all pages)."""
        return await self._all_pages(_MESSAGING, wire.MessagingCampaign)

    async def get_messaging_campaign(self, campaign_id: str) -> dict[str, Any]:
        """One messaging campaign."""
        path = f"{_MESSAGING}/{_seg(campaign_id)}"
        try:
            data: dict[str, Any] = await self._get_one(
                _MESSAGING + "/{id}", path, wire.MessagingCampaign
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    async def put_messaging_campaign(
        self,
        campaign_id: str,
        body: Mapping[str, Any],
        *,
        fields: Collection[str] | None = None,
    ) -> dict[str, Any]:
        """Replace a messaging campaign (``version`` must match): pacing changes.

        `fields` as for `put_campaign` (the lost-answer read-back).
        """
        payload = dict(body)
        self._outbound(
            lambda: wire.validate_messaging_campaign_body(payload),
            f"the body of messaging campaign {campaign_id}",
        )
        path = f"{_MESSAGING}/{_seg(campaign_id)}"
        data = await self._versioned_put(
            _MESSAGING + "/{id}",
            path,
            payload,
            lambda: self.get_messaging_campaign(campaign_id),
            lambda fresh: landed_campaign(payload, fresh, fields),
        )
        return self._object(data, wire.MessagingCampaign, f"PUT {path}")

    # ------------------------------------------------------------ others
    async def list_sequences(self) -> list[dict[str, Any]]:
        """Every campaign sequence (all pages; ``allowEmptyResult=true``)."""
        return await self._all_pages(_SEQUENCES, wire.Sequence, ALLOW_EMPTY_RESULT)

    async def get_contact_list(
        self, contact_list_id: str, *, include_size: bool = True
    ) -> dict[str, Any]:
        """One contact list; with ``size`` when `include_size`."""
        path = f"{_CONTACT_LISTS}/{_seg(contact_list_id)}"
        params = {"includeSize": "true" if include_size else "false"}
        try:
            data: dict[str, Any] = await self._get_one(
                _CONTACT_LISTS + "/{id}", path, wire.ContactList, params=params
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    async def list_contact_lists(
        self, ids: Collection[str], *, include_size: bool = False
    ) -> list[dict[str, Any]]:
        """The contact lists with these ids, 100 ids a request; with ``size``
        when `include_size`.

        The ids go comma-joined in ``id``, as the official SDK sends them; an
        id the org does not have is simply not in the answer.
        """
        wanted = sorted(set(ids))
        out: list[dict[str, Any]] = []
        for start in range(0, len(wanted), PAGE_SIZE):
            chunk = wanted[start : start + PAGE_SIZE]
            params = {
                **ALLOW_EMPTY_RESULT,
                "includeSize": "true" if include_size else "false",
                "id": ",".join(chunk),
            }
            out += await self._all_pages(_CONTACT_LISTS, wire.ContactList, params)
        return out

    async def list_callable_time_sets(self) -> list[dict[str, Any]]:
        """Every callable time set (all pages; ``allowEmptyResult=true``)."""
        return await self._all_pages(
            _TIME_SETS, wire.CallableTimeSet, ALLOW_EMPTY_RESULT
        )

    async def get_callable_time_set(self, time_set_id: str) -> dict[str, Any]:
        """One callable time set."""
        path = f"{_TIME_SETS}/{_seg(time_set_id)}"
        try:
            data: dict[str, Any] = await self._get_one(
                _TIME_SETS + "/{id}", path, wire.CallableTimeSet
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    # ------------------------------------------------------------ guards
    async def get_outbound_settings(self) -> dict[str, Any]:
        """The org's outbound settings: automatic time-zone mapping windows.

        Needs ``outbound:settings:view`` (a `PermissionDeniedError` naming it
        otherwise). gcsched never PATCHes them: they set voice and messaging
        together (compliance-drift-research.md §1.8).
        """
        data: dict[str, Any] = await self._get_one(
            _SETTINGS, _SETTINGS, wire.OutboundSettings
        )
        return data

    async def get_time_zone_mapping_preview(
        self, contact_list_id: str
    ) -> dict[str, Any]:
        """Which zones a contact list's contacts map to (``contactsPerTimeZone``)."""
        route = _CONTACT_LISTS + "/{id}/timezonemappingpreview"
        path = f"{_CONTACT_LISTS}/{_seg(contact_list_id)}/timezonemappingpreview"
        try:
            data: dict[str, Any] = await self._get_one(
                route, path, wire.TimeZoneMappingPreview
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    async def list_campaign_rules(self) -> list[dict[str, Any]]:
        """Every campaign rule (all pages; ``allowEmptyResult=true``).

        Needs ``outbound:campaignRule:view``.
        """
        return await self._all_pages(_RULES, wire.CampaignRule, ALLOW_EMPTY_RESULT)

    async def get_campaign_rule(self, rule_id: str) -> dict[str, Any]:
        """One campaign rule."""
        path = f"{_RULES}/{_seg(rule_id)}"
        data: dict[str, Any] = await self._get_one(
            _RULES + "/{id}", path, wire.CampaignRule
        )
        return data

    # ------------------------------------------------------------ schedules
    async def list_schedules(self, family: str) -> list[dict[str, Any]]:
        """Every schedule of a family (a listing's every page, or an error).

        Args:
            family: ``campaigns``, ``sequences``, ``emailcampaigns``,
                ``messagingcampaigns`` or ``whatsappcampaigns``.

        Returns:
            The schedules (a bare array for campaigns and sequences; the
            ``entities`` of every page of the listing for the other three,
            following ``nextUri`` or ``pageCount``).

        Raises:
            ApiError: a listing that cannot be read whole (a page missing, a
                ``total`` the pages do not reach, a ``nextUri`` elsewhere).
        """
        path = f"{_SCHEDULES}/{self._family(family)}"
        data: Any
        if family in LISTING_FAMILIES:
            data = await self._listing_pages(path)
        else:
            data = await self._call("GET", path, path)
        if not isinstance(data, list):
            msg = f"Unexpected answer for GET {path}: not a list of schedules"
            raise ApiError(msg, method="GET", path=path)
        model = wire.SCHEDULE_MODELS[family]
        return [self._check(item, model, f"GET {path} item") for item in data]

    async def get_schedule(self, family: str, target_id: str) -> dict[str, Any] | None:
        """The schedule of one campaign/sequence; None when it has none (404)."""
        base = f"{_SCHEDULES}/{self._family(family)}"
        path = f"{base}/{_seg(target_id)}"
        try:
            data: dict[str, Any] | None = await self._get_one(
                base + "/{id}", path, wire.SCHEDULE_MODELS[family], missing_ok=True
            )
        except ApiError as exc:
            raise self._with_division_hint(exc) from None
        return data

    async def put_schedule(
        self, family: str, target_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Create or replace a schedule (``version`` must match on update).

        Raises:
            VersionConflictError: 409, or 400 "does not match the current
                version": someone else changed it; nothing was written.
            InputError: the body is not a valid schedule (nothing sent).
        """
        base = f"{_SCHEDULES}/{self._family(family)}"
        payload = dict(body)
        self._outbound(
            lambda: wire.validate_outbound_schedule(family, payload),
            f"the {family} schedule of {target_id}",
        )
        path = f"{base}/{_seg(target_id)}"
        data = await self._versioned_put(
            base + "/{id}",
            path,
            payload,
            lambda: self.get_schedule(family, target_id),
            lambda fresh: landed_schedule(payload, fresh),
        )
        return self._object(data, wire.SCHEDULE_MODELS[family], f"PUT {path}")

    async def delete_schedule(self, family: str, target_id: str) -> None:
        """Delete a schedule; one that is already gone (404) is not an error."""
        base = f"{_SCHEDULES}/{self._family(family)}"
        path = f"{base}/{_seg(target_id)}"
        await self._call("DELETE", base + "/{id}", path, missing_ok=True)

    async def _versioned_put(
        self,
        route: str,
        path: str,
        payload: dict[str, Any],
        read: Callable[[], Awaitable[dict[str, Any] | None]],
        holds: Callable[[dict[str, Any]], bool],
        *,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """PUT with a version; a conflict met after a lost answer is read back.

        A retried PUT whose first attempt was processed but whose answer was
        lost (a 502/504 or a dropped connection) meets its own version bump:
        when the target as read now `holds` what was sent, that is our write,
        not someone else's, and the fresh body is the answer.
        """
        try:
            return await self._call("PUT", route, path, params=params, json=payload)
        except VersionConflictError as exc:
            if not getattr(exc, "after_lost_attempt", False):
                raise
            fresh = await read()
            if fresh is None or not holds(fresh):
                raise
            log.info("PUT %s landed before its answer was lost", path)
            return fresh

    def _object(self, data: Any, model: type[wire.Wire], what: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            msg = f"Unexpected answer for {what}: not a JSON object"
            raise ApiError(msg)
        checked: dict[str, Any] = self._check(data, model, what)
        return checked
