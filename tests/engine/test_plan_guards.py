"""The plan reads Genesys's contact-local guards over the sandbox (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from typing import Any

import httpx
import pytest
from engine_support import EXAMPLE, TODAY, URL

from gcsched.client import Credentials, GenesysClient
from gcsched.config import load, loads
from gcsched.domain.guards import AtzmGuard, TimeSetGuard
from gcsched.engine import build_plan
from gcsched.engine.guard_reads import LiveGuards, nanp_zones, read_guards
from gcsched.engine.resolve import resolve_targets
from gcsched.engine.snapshot import read_org
from gcsched.sandbox import SandboxState, create_app
from gcsched.sandbox.clients import ClientRecord, sha256
from gcsched.sandbox.entities import entity_id

pytestmark = pytest.mark.anyio

MONDAY = date(2026, 12, 7)
RENEWALS = entity_id("campaign", "Q4 Renewals")
WIN_BACK = entity_id("campaign", "Win-back")
RETAIL = entity_id("contactList", "Retail Renewals")


async def test_the_plan_gets_each_kind_of_guard(client: GenesysClient) -> None:
    """q4.yaml on the demo org: ATZM, a callable time set, no guard, and the rule."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    guards = planned.guards
    atzm = guards.guard_for(RENEWALS)
    assert isinstance(atzm, AtzmGuard)
    # Florida contacts: 08:00-21:00 mapped, dialling stops at 20:59 (wider than
    # Florida's 20:00: the check's violation); 14:00-20:00 Eastern unmapped
    assert atzm.windows("America/New_York", MONDAY) == ((time(8), time(20, 59)),)
    assert atzm.unmapped_contacts  # 1500 in the default window
    # an unmapped contact in Paris: 14:00-19:59 Eastern is 20:00-01:59 there
    assert atzm.windows("Europe/Paris", MONDAY) == (
        (time(0), time(1, 59)),
        (time(20), time.max),
    )
    time_set = guards.guard_for(WIN_BACK)
    assert isinstance(time_set, TimeSetGuard)
    assert time_set.windows("America/Chicago", MONDAY) == ((time(8), time(21)),)
    assert time_set.windows("America/Los_Angeles", MONDAY) is None
    # Collections Early names no zone column: its callable time set matches no one
    assert guards.guard_for(entity_id("campaign", "Payment Reminders")) is None
    # a sequence's member campaigns have their guards too
    assert guards.guard_for(entity_id("campaign", "Collections 30")) is None
    zones = guards.zones_of(RETAIL)
    assert zones is not None
    assert zones.zones == frozenset({"America/New_York", "America/Chicago"})
    assert zones.in_default_window == 1500
    assert guards.zones_of(entity_id("contactList", "Lapsed Customers")) is None
    (rule,) = [w for w in planned.plan.warnings if "campaign rule" in w]
    assert rule.startswith(
        "campaign rule 'Win-back evening stop' (timeOfDay in America/New_York) "
        "turns off Win-back"
    )


async def test_a_role_without_the_guard_permissions_still_plans(
    state: SandboxState,
) -> None:
    """No outbound:settings:view, no campaignRule:view: warnings name both."""
    everything = {
        "outbound:campaign:view",
        "outbound:schedule:view",
        "outbound:contactList:view",
        "outbound:callableTimeSet:view",
        "outbound:campaignSequence:view",
        "outbound:messagingCampaign:view",
        "outbound:campaignSequenceSchedule:view",
        "outbound:messagingCampaignSchedule:view",
        "outbound:emailCampaignSchedule:view",
        "outbound:whatsAppCampaignSchedule:view",
    }
    state.clients["narrow"] = ClientRecord(
        "narrow", sha256("s3cret"), frozenset(everything)
    )
    app = create_app(state, rate_limit=0)
    creds = Credentials("narrow", "s3cret")
    transport = httpx.ASGITransport(app=app)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as api:
        planned = await build_plan(api, load(EXAMPLE), today=TODAY)
    warnings = [w for w in planned.plan.warnings if w.startswith("time-zone guards")]
    assert len(warnings) == 2
    assert "needs outbound:settings:view" in warnings[0] + warnings[1]
    assert "needs outbound:campaignRule:view" in warnings[0] + warnings[1]
    assert planned.guards.guard_for(RENEWALS) is None  # ATZM windows unknown
    assert isinstance(planned.guards.guard_for(WIN_BACK), TimeSetGuard)
    assert planned.plan.changes  # the plan itself is whole


async def test_a_file_without_campaigns_reads_no_guards(client: GenesysClient) -> None:
    """Only messaging campaigns on lists without guards: nothing to warn about."""
    text = """
version: 1
schedules:
  - messaging_campaign: Payment SMS
    time_zone: America/Chicago
    windows: [{days: [mon], start: "09:00", end: "10:00"}]
    from: 2026-12-01
    until: 2026-12-31
"""
    planned = await build_plan(client, loads(text, "sms.yaml"), today=TODAY)
    assert (
        planned.guards.guard_for(entity_id("messagingCampaign", "Payment SMS")) is None
    )
    assert not [w for w in planned.plan.warnings if "guards" in w]


def test_nanp_zones_come_from_tzdata() -> None:
    """ATZM's countries span Hawaii to St. John's; other countries are not in it."""
    zones = nanp_zones()
    assert {"Pacific/Honolulu", "America/St_Johns", "America/Phoenix"} <= zones
    assert "Europe/London" not in zones
    assert nanp_zones(["gb"]) == frozenset({"Europe/London"})


async def test_lists_that_vanish_between_reads(
    client: GenesysClient, state: SandboxState
) -> None:
    """A list gone before the read has no guard; a preview gone (404) no zones."""
    snap = await read_org(client)
    resolved = resolve_targets(load(EXAMPLE).schedules, snap)
    del state.stores["contact_lists"][entity_id("contactList", "Lapsed Customers")]

    class Racing:
        """The real client; the Florida list is deleted just before its preview."""

        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        async def get_time_zone_mapping_preview(self, list_id: str) -> Any:
            del state.stores["contact_lists"][list_id]
            return await client.get_time_zone_mapping_preview(list_id)

    guards = await read_guards(Racing(), snap, resolved)  # type: ignore[arg-type]
    assert guards.guard_for(WIN_BACK) is None
    assert isinstance(guards.guard_for(RENEWALS), AtzmGuard)
    assert guards.zones_of(RETAIL) is None


async def test_nothing_to_guard(client: GenesysClient) -> None:
    """No campaign, or one without a contact list: no request, no guard."""
    snap = await read_org(client)
    assert await read_guards(client, snap, []) == LiveGuards()
    (item,) = resolve_targets(
        loads(
            """
version: 1
schedules:
  - campaign: Win-back
    time_zone: America/Chicago
    windows: [{days: [mon], start: "09:00", end: "10:00"}]
""",
            "w.yaml",
        ).schedules,
        snap,
    )
    listless = replace(item, entity={"id": item.target_id, "name": "Win-back"})
    guards = await read_guards(client, snap, [listless])
    assert guards.guard_for(WIN_BACK) is None


async def test_a_list_with_every_contact_mapped(
    client: GenesysClient, state: SandboxState
) -> None:
    """A preview with nobody in the default window: only the mapped window counts."""
    state.previews[RETAIL]["contactsInDefaultWindow"] = 0
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    atzm = planned.guards.guard_for(RENEWALS)
    assert isinstance(atzm, AtzmGuard)
    assert not atzm.unmapped_contacts
    assert atzm.windows("America/St_Johns", MONDAY) == ((time(8), time(20, 59)),)


async def test_unknown_supported_countries_fall_back_to_nanp(
    client: GenesysClient, state: SandboxState
) -> None:
    """supportedCountries tzdata does not know: US and Canada, never 'unmapped'."""
    state.settings["automaticTimeZoneMapping"]["supportedCountries"] = ["Narnia"]
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    atzm = planned.guards.guard_for(RENEWALS)
    assert isinstance(atzm, AtzmGuard)
    assert "America/New_York" in atzm.mappable
