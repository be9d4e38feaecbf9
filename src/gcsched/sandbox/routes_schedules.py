"""The five schedule families: list, and GET/PUT/DELETE one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from gcsched.sandbox.audit_trail import SCHEDULE_ENTITY_TYPES
from gcsched.sandbox.families import FAMILIES, Family, build_schedule
from gcsched.sandbox.guesses import DELETE_STATUS, FAMILY_CHANNEL, FIRST_VERSION
from gcsched.sandbox.notifications import event_body, schedule_topic
from gcsched.sandbox.paging import listing, page_params
from gcsched.sandbox.problems import ApiProblem, Detail
from gcsched.sandbox.routes_outbound import not_found, read_json, version_conflict
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import utc_stamp
from gcsched.sandbox.validation import validate_schedule

__all__ = ["ScheduleRoutes"]

ID_PARAMS = {
    "campaigns": "campaignId",
    "sequences": "sequenceId",
    "emailcampaigns": "emailCampaignId",
    "messagingcampaigns": "messagingCampaignId",
    "whatsappcampaigns": "whatsAppCampaignId",
}


class ScheduleRoutes:
    """Handlers of ``/api/v2/outbound/schedules/{family}[/{id}]``."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    @staticmethod
    def _family(request: Request) -> Family:
        return FAMILIES[request.url.path.split("/")[5]]

    def _target(self, family: Family, oid: str) -> dict[str, Any]:
        target = self.rt.state.stores[family.target].get(oid)
        if target is None:
            raise not_found()
        config = FAMILY_CHANNEL.get(family.path)
        if config is not None and config not in target:
            raise ApiProblem(
                400,
                "invalid.value",
                f"Messaging campaign {oid} has no {config}; its schedule "
                f"belongs to another family than {family.path}",
                (Detail("invalid.value", family.ref_field),),
            )
        return target

    def _shown(self, schedule: dict[str, Any]) -> dict[str, Any]:
        """Return a schedule as answered (``schedule_name=dropped``: no name)."""
        if self.rt.guesses.schedule_name == "dropped" and "name" in schedule:
            return {k: v for k, v in schedule.items() if k != "name"}
        return schedule

    async def list_all(self, request: Request) -> Response:
        """List every schedule of a family (bare array or EntityListing).

        The EntityListing families answer one page of everything, or pages
        of ``listing_page_size`` (``pageSize``/``pageNumber`` from the query)
        with ``nextUri`` when that switch is set.
        """
        family = self._family(request)
        items = [
            self._shown(s)
            for s in sorted(
                self.rt.state.schedules[family.path].values(), key=lambda s: s["id"]
            )
        ]
        if not family.listing:
            return json_response(items)
        paged = self.rt.guesses.listing_page_size
        if paged is None:
            size, number, query = max(len(items), 1), 1, {}
        else:
            query = dict(request.query_params)
            size, number = page_params(query, default_size=paged)
        return json_response(
            listing(items, request.url.path, query, page_size=size, page_number=number)
        )

    async def get_one(self, request: Request) -> Response:
        """GET one schedule; 404 ``not.found`` when there is none."""
        family = self._family(request)
        found = self.rt.state.schedules[family.path].get(
            request.path_params[ID_PARAMS[family.path]]
        )
        if found is None:
            raise not_found()
        return json_response(self._shown(found))

    async def put_one(self, request: Request) -> Response:
        """PUT one schedule: create (version 1) or replace (version must match)."""
        family = self._family(request)
        oid = request.path_params[ID_PARAMS[family.path]]
        raw = await read_json(request)
        state = self.rt.state
        guesses = self.rt.guesses
        async with state.lock:
            target = self._target(family, oid)
            not_before = (
                datetime.fromtimestamp(state.clock(), tz=UTC)
                if guesses.past_intervals == "rejected"
                else None
            )
            body = validate_schedule(
                raw,
                family.ref_field,
                oid,
                utc_intervals=guesses.interval_time == "utc",
                not_before=not_before,
            )
            current = state.schedules[family.path].get(oid)
            now = utc_stamp(state.clock())
            if current is None:
                version, created = FIRST_VERSION, now
            else:
                if body.get("version") != current["version"]:
                    raise version_conflict(self.rt)
                version, created = current["version"] + 1, current["dateCreated"]
            record = build_schedule(
                family,
                target,
                body,
                version=version,
                created=created,
                modified=now,
                keep_name=guesses.schedule_name == "kept",
            )
            state.schedules[family.path][oid] = record
            self.rt.changed(
                request,
                SCHEDULE_ENTITY_TYPES[family.path],
                current,
                record,
                name=target.get("name"),
            )
        self._changed(request, family, oid, record)
        return json_response(record)

    async def delete_one(self, request: Request) -> Response:
        """DELETE one schedule; 404 ``not.found`` when there is none."""
        family = self._family(request)
        oid = request.path_params[ID_PARAMS[family.path]]
        state = self.rt.state
        async with state.lock:
            gone = state.schedules[family.path].pop(oid, None)
            if gone is None:
                raise not_found()
            target = state.stores[family.target].get(oid) or {}
            self.rt.changed(
                request,
                SCHEDULE_ENTITY_TYPES[family.path],
                gone,
                None,
                name=target.get("name"),
            )
        self._changed(request, family, oid, gone)
        return Response(status_code=DELETE_STATUS)

    def _changed(
        self, request: Request, family: Family, oid: str, record: dict[str, Any]
    ) -> None:
        """Publish a change to the schedule's topic (a delete: its last body)."""
        self.rt.hub.publish(
            schedule_topic(family.path, oid),
            event_body(self._shown(record)),
            Runtime.correlation_id(request),
        )
