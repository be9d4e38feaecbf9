"""Handlers of the contact-local guards: outbound settings, the time-zone
mapping preview of a contact list and campaign rules (read-only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.contact_time import build_preview, check_settings_patch
from gcsched.sandbox.guesses import PATCH_STATUS
from gcsched.sandbox.paging import filter_by_name, listing, page_params, sort_items
from gcsched.sandbox.problems import ApiProblem, Detail
from gcsched.sandbox.routes_outbound import empty_page_check, not_found, read_json
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import utc_stamp

__all__ = ["ContactTimeRoutes"]


class ContactTimeRoutes:
    """``/api/v2/outbound/settings``, ``…/contactlists/{id}/timezonemappingpreview``
    and ``/api/v2/outbound/campaignrules``."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def get_settings(self, request: Request) -> Response:
        """``GET /api/v2/outbound/settings`` (``OutboundSettings``)."""
        return json_response(self.rt.state.settings)

    async def patch_settings(self, request: Request) -> Response:
        """``PATCH /api/v2/outbound/settings``: no body back (the SDK's None)."""
        body = await read_json(request)
        try:
            changes = check_settings_patch(body)
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            raise ApiProblem(
                400,
                "invalid.value",
                f"{field}: {message}",
                (Detail("invalid.value", field),),
            ) from None
        state = self.rt.state
        async with state.lock:
            state.settings |= changes
            state.settings["version"] = int(state.settings.get("version", 1)) + 1
            state.settings["dateModified"] = utc_stamp(state.clock())
        return Response(status_code=PATCH_STATUS)

    async def get_preview(self, request: Request) -> Response:
        """``GET /api/v2/outbound/contactlists/{id}/timezonemappingpreview``."""
        state = self.rt.state
        list_id = request.path_params["contactListId"]
        found = state.stores["contact_lists"].get(list_id)
        if found is None:
            raise not_found()
        return json_response(build_preview(found, state.previews.get(list_id)))

    async def list_rules(self, request: Request) -> Response:
        """``GET /api/v2/outbound/campaignrules`` (paged, ``name`` filter)."""
        query = request.query_params
        size, number = page_params(query)
        items = list(self.rt.state.stores["campaign_rules"].values())
        items = sort_items(filter_by_name(items, query), query)
        page = listing(
            items, request.url.path, query, page_size=size, page_number=number
        )
        empty_page_check(self.rt, request, page)
        return json_response(page)

    async def get_rule(self, request: Request) -> Response:
        """``GET /api/v2/outbound/campaignrules/{campaignRuleId}``."""
        found = self.rt.state.stores["campaign_rules"].get(
            request.path_params["campaignRuleId"]
        )
        if found is None:
            raise not_found()
        return json_response(found)
