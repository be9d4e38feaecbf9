"""The live check uses the zones a contact list really spans (issue 14 item 4).

At plan time the zones checked are those of the list's time-zone mapping
preview (``contactsPerTimeZone``), mapped to the declared regions; offline the
file's regions. Over the demo org: Q4 Renewals dials Retail Renewals (automatic
time-zone mapping on, a preview), Win-back dials Lapsed Customers (mapping
off: no preview), the Collections Ladder sequence dials Collections Early.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from gcsched.api.compliance import compliance_hook
from gcsched.api.validation import validate
from gcsched.client import Credentials, GenesysClient
from gcsched.config import loads
from gcsched.domain.compliance import ComplianceReport, ContactTarget, ListAudience
from gcsched.domain.list_audience import live_targets
from gcsched.engine import build_plan
from gcsched.engine.guard_reads import read_guards
from gcsched.engine.resolve import resolve_targets
from gcsched.engine.snapshot import read_org
from gcsched.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SandboxState,
    create_app,
)
from gcsched.sandbox.clients import ClientRecord, sha256
from gcsched.sandbox.entities import entity_id

pytestmark = pytest.mark.anyio

URL = "http://sandbox.test"
TODAY = date(2026, 11, 27)
RETAIL = entity_id("contactList", "Retail Renewals")
COLLECTIONS = entity_id("contactList", "Collections Early")
LADDER = entity_id("sequence", "Collections Ladder")


def _file(
    contacts: str | None, campaign: str = "Q4 Renewals", start: str = "09:00"
) -> str:
    line = f"    contacts: {contacts}\n" if contacts else ""
    return (
        "version: 1\n"
        "policy:\n"
        "  purpose: telemarketing\n"
        "  compliance: {mode: warn}\n"
        "schedules:\n"
        f"  - campaign: {campaign}\n"
        f"{line}"
        "    time_zone: America/New_York\n"
        '    windows: [{days: [mon-fri], start: "' + start + '", end: "21:00"}]\n'
        "    from: 2026-12-07\n"
        "    until: 2026-12-11\n"
    )


@pytest.fixture
def state() -> SandboxState:
    return SandboxState.demo()


@pytest.fixture
async def client(state: SandboxState) -> AsyncIterator[GenesysClient]:
    app = create_app(state, rate_limit=0)
    transport = httpx.ASGITransport(app=app)
    creds = Credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as c:
        yield c


async def _plan(api: GenesysClient, text: str) -> ComplianceReport:
    file = loads(text, "zones.yaml")
    planned = await build_plan(
        api, file, today=TODAY, compliance=compliance_hook(file, None)
    )
    report = planned.plan.compliance
    assert report is not None
    for note in report.notes:  # every note reaches the plan's warnings
        assert f"calling hours: {note}" in planned.plan.warnings
    return report


def _offline(text: str) -> ComplianceReport:
    report = validate(loads(text, "zones.yaml"), today=TODAY).compliance
    assert report is not None
    return report


async def test_a_zone_outside_the_declared_contacts_is_checked_and_said(
    client: GenesysClient, state: SandboxState
) -> None:
    """120 Retail Renewals contacts in Phoenix; the file says Florida."""
    state.previews[RETAIL] = {
        "contactsPerTimeZone": {
            "America/New_York": 41200,
            "America/Chicago": 5300,
            "America/Phoenix": 120,
        },
        "contactsInDefaultWindow": 0,
    }
    report = await _plan(client, _file("[US-FL]"))
    assert (
        "Q4 Renewals: contact list 'Retail Renewals' has 120 contacts in "
        "America/Phoenix, outside the declared contacts [US-FL]: checked as US-AZ"
    ) in report.notes
    phoenix = [f for f in report.findings if f.zone == "America/Phoenix"]
    assert phoenix  # 09:00 New York is 07:00 in Phoenix
    assert {(f.region, f.contacts) for f in phoenix} == {("US-AZ", 120)}
    # the org's ATZM window (08:00-20:59 local) holds Phoenix contacts back
    assert {f.status for f in phoenix} == {"guarded"}
    (florida,) = [f for f in report.findings if f.zone == "America/New_York"]
    assert (florida.region, florida.contacts) == ("US-FL", 41200)
    assert "(America/New_York, 41,200 contacts)" in florida.message()
    assert florida.data()["contacts"] == 41200
    # offline: the file's regions only, no count
    offline = _offline(_file("[US-FL]"))
    assert {f.zone for f in offline.findings} == {"America/New_York"}
    assert {f.contacts for f in offline.findings} == {None}


async def test_the_preview_narrows_a_us_wide_declaration(
    client: GenesysClient, state: SandboxState
) -> None:
    """[US] spans Hawaii to Eastern; the list's contacts are in two zones."""
    state.previews[RETAIL] = {
        "contactsPerTimeZone": {"America/New_York": 41200, "America/Chicago": 5300},
        "contactsInDefaultWindow": 0,
    }
    live = await _plan(client, _file("[US]"))
    offline = _offline(_file("[US]"))
    assert {f.zone for f in live.findings} <= {"America/New_York", "America/Chicago"}
    assert {"Pacific/Honolulu", "America/Los_Angeles"} <= {
        f.zone for f in offline.findings
    }
    assert len(live.findings) < len(offline.findings)
    (note,) = [n for n in live.notes if "zone(s) the contacts" in n]
    assert note.startswith(
        "Q4 Renewals: checked in the 2 zone(s) the contacts of contact list "
        "'Retail Renewals' are in, of the "
    )
    assert note.endswith(" the declared contacts [US] span")


async def test_contacts_with_no_zone_keep_every_declared_zone(
    client: GenesysClient, state: SandboxState
) -> None:
    """1,500 contacts ATZM could not map may be anywhere the file says."""
    state.previews[RETAIL] = {
        "contactsPerTimeZone": {"America/Chicago": 5300},
        "contactsInDefaultWindow": 1500,
    }
    report = await _plan(client, _file("[US-FL]"))
    assert (
        "Q4 Renewals: contact list 'Retail Renewals' has 1,500 contacts no time "
        "zone was found for: every zone of the declared contacts [US-FL] is "
        "checked for them"
    ) in report.notes
    (florida,) = [f for f in report.findings if f.zone == "America/New_York"]
    assert florida.contacts is None  # how many of the 1,500 is unknown


async def test_without_contacts_the_preview_says_where_they_are(
    client: GenesysClient, state: SandboxState
) -> None:
    """No `contacts:`: the list's zones, not the whole country of the zone."""
    state.previews[RETAIL] = {
        "contactsPerTimeZone": {"America/Chicago": 5300, "Etc/GMT+5": 7},
        "contactsInDefaultWindow": 0,
    }
    report = await _plan(client, _file(None))
    assert not [n for n in report.notes if "as if every contact" in n]
    assert (
        "Q4 Renewals: no contacts: checked in the zones the contacts of contact "
        "list 'Retail Renewals' are in (America/Chicago, Etc/GMT+5)"
    ) in report.notes
    assert (
        "Q4 Renewals: contact list 'Retail Renewals' has 7 contacts in Etc/GMT+5, "
        "which no known region spans: not checked"
    ) in report.notes
    assert {f.zone for f in report.findings} == {"America/Chicago"}
    # every state America/Chicago spans is checked with its own rules: 09:00
    # New York is 08:00 Chicago, before Texas's 09:00
    regions = {f.region for f in report.findings}
    assert "US-TX" in regions
    assert "US-NY" not in regions


async def test_a_list_without_a_preview_falls_back_to_the_file(
    client: GenesysClient,
) -> None:
    """Lapsed Customers has automatic time-zone mapping off."""
    report = await _plan(client, _file("[US-IL]", campaign="Win-back", start="08:00"))
    assert (
        "Win-back: contact list 'Lapsed Customers' has automatic time-zone "
        "mapping off, so the org gives no time-zone mapping preview: checked in "
        "every zone of the declared contacts [US-IL]"
    ) in report.notes
    # 08:00 New York is 07:00 in Chicago; the callable time set holds it back
    assert {
        (f.zone, f.status, f.contacts)
        for f in report.findings
        if f.schedule == "Win-back"
    } == {("America/Chicago", "guarded", None)}


async def test_a_refused_list_read_falls_back_to_the_file(
    state: SandboxState,
) -> None:
    """A role without outbound:contactList:view: no list, no preview."""
    state.clients["narrow"] = ClientRecord(
        "narrow",
        sha256("s3cret"),
        frozenset(
            {
                "outbound:campaign:view",
                "outbound:schedule:view",
                "outbound:callableTimeSet:view",
                "outbound:campaignSequence:view",
                "outbound:messagingCampaign:view",
                "outbound:campaignSequenceSchedule:view",
                "outbound:messagingCampaignSchedule:view",
                "outbound:emailCampaignSchedule:view",
                "outbound:whatsAppCampaignSchedule:view",
                "outbound:settings:view",
                "outbound:campaignRule:view",
            }
        ),
    )
    app = create_app(state, rate_limit=0)
    transport = httpx.ASGITransport(app=app)
    creds = Credentials("narrow", "s3cret")
    async with GenesysClient(URL, creds, transport=transport, rate_limit=6000) as api:
        report = await _plan(api, _file("[US-FL]"))
    assert (
        "Q4 Renewals: the contact lists could not be read: checked in every zone "
        "of the declared contacts [US-FL]"
    ) in report.notes


async def test_a_sequence_sums_its_lists_and_names_what_is_missing(
    client: GenesysClient, state: SandboxState
) -> None:
    """The ladder's campaigns share Collections Early: on with a preview, its
    zones; the list gone, or its preview gone, say so."""
    lists = state.stores["contact_lists"]
    lists[COLLECTIONS]["automaticTimeZoneMapping"] = True
    state.previews[COLLECTIONS] = {"contactsPerTimeZone": {"America/Denver": 40}}
    text = _file(None).replace("campaign: Q4 Renewals", "sequence: Collections Ladder")
    snap = await read_org(client)
    resolved = resolve_targets(loads(text, "seq.yaml").schedules, snap)
    seen = (await read_guards(client, snap, resolved)).zones_for(LADDER)
    assert seen == ListAudience(
        "contact list 'Collections Early'", {"America/Denver": 40}, 6160
    )

    class Racing:
        """The real client; the list is deleted just before its preview."""

        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        async def get_time_zone_mapping_preview(self, list_id: str) -> Any:
            del lists[list_id]
            return await client.get_time_zone_mapping_preview(list_id)

    gone = await read_guards(Racing(), snap, resolved)  # type: ignore[arg-type]
    missing = gone.zones_for(LADDER)
    assert missing is not None
    assert missing.counts is None
    assert missing.missing == (
        "the time-zone mapping preview of contact list 'Collections Early' "
        "could not be read"
    )
    vanished = await read_guards(client, snap, resolved)
    assert vanished.zones_for(LADDER) == ListAudience(
        "contact list 'Collections Early'",
        None,
        missing="contact list 'Collections Early' was not found",
    )


FL = (
    ContactTarget("US-FL", "US-FL", "America/New_York"),
    ContactTarget("US-FL", "US-FL", "America/Chicago"),
)


def _regions(zone: str) -> tuple[str, ...]:
    return {"America/Phoenix": ("US-AZ",), "America/Denver": ("US-CO", "US-AZ")}.get(
        zone, ()
    )


def test_live_targets_map_each_previewed_zone() -> None:
    seen = ListAudience(
        "contact list 'L'",
        {"America/New_York": 10, "America/Denver": 3, "Mars/Base": 1, "Empty": 0},
    )
    targets, notes = live_targets("S", FL, seen, _regions)
    assert targets == (
        ContactTarget("US-CO", "US-CO", "America/Denver", 3),
        ContactTarget("US-AZ", "US-AZ", "America/Denver", 3),
        ContactTarget("US-FL", "US-FL", "America/New_York", 10),
    )
    assert notes == (
        "S: contact list 'L' has 3 contacts in America/Denver, outside the "
        "declared contacts [US-FL]: checked as US-CO, US-AZ",
        "S: contact list 'L' has 1 contacts in Mars/Base, which no known region "
        "spans: not checked",
        "S: checked in the 1 zone(s) the contacts of contact list 'L' are in, of "
        "the 2 the declared contacts [US-FL] span",
    )


def test_live_targets_without_a_preview_keep_the_declared() -> None:
    seen = ListAudience("contact list 'L'", None, missing="no preview here")
    targets, notes = live_targets("S", FL, seen, _regions, written=False)
    assert targets == FL
    assert notes == (
        "S: no preview here: checked in every zone of the assumed contacts [US-FL]",
    )


def test_live_targets_that_cover_every_declared_zone_say_nothing() -> None:
    seen = ListAudience(
        "contact list 'L'", {"America/New_York": 1, "America/Chicago": 2}
    )
    targets, notes = live_targets("S", FL, seen, _regions)
    assert [t.contacts for t in targets] == [2, 1]
    assert notes == ()
