"""Conformance with the official Genesys Python SDK against `gcsched sandbox serve`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import PureCloudPlatformClientV2 as sdk  # noqa: N813
import pytest
from PureCloudPlatformClientV2.rest import ApiException
from sdk_server import running_sandbox

from gcsched.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, entity_id

PRIMITIVES = {"str", "int", "float", "bool", "datetime", "date", "object"}


def check_keys(value: Any, type_name: str, where: str = "$") -> None:
    """Fail when `value` has a JSON key the SDK model `type_name` lacks."""
    if value is None or type_name in PRIMITIVES:
        return
    if type_name.startswith("list["):
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            check_keys(item, type_name[5:-1], f"{where}[{index}]")
        return
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1 : -1].strip()
        for key, item in value.items():
            check_keys(item, inner, f"{where}.{key}")
        return
    model = getattr(sdk, type_name)()
    by_json = {j: attr for attr, j in model.attribute_map.items()}
    assert isinstance(value, dict), f"{where} should be an object ({type_name})"
    for key, item in value.items():
        assert key in by_json, f"{where}.{key} is not a field of {type_name}"
        check_keys(item, model.swagger_types[by_json[key]], f"{where}.{key}")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("sandbox") / "state.json"
    with running_sandbox("--state", str(state), "--rate-limit", "0") as base:
        yield base
    assert state.exists()
    assert DEFAULT_CLIENT_SECRET not in state.read_text()


@pytest.fixture(scope="module")
def api(url: str) -> sdk.ApiClient:
    return sdk.ApiClient(host=url).get_client_credentials_token(
        DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
    )


@pytest.fixture(scope="module")
def raw(url: str, api: sdk.ApiClient) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {api.access_token}"}
    ) as client:
        yield client


def test_token_and_org(api: sdk.ApiClient) -> None:
    """get_client_credentials_token works against the same origin; org deserializes."""
    org = sdk.OrganizationApi(api).get_organizations_me()
    assert org.name == "Acme Outbound (sandbox)"
    limits = sdk.OrganizationApi(api).get_organizations_limits_namespace("platform.api")
    assert limits.entities[0].namespace == "platform.api"


def test_campaign_paging(api: sdk.ApiClient) -> None:
    """OutboundApi.get_outbound_campaigns pages through all 12 demo campaigns."""
    outbound = sdk.OutboundApi(api)
    names: list[str] = []
    page = 1
    while True:
        listing = outbound.get_outbound_campaigns(page_size=5, page_number=page)
        names += [c.name for c in listing.entities]
        if not listing.next_uri:
            break
        page += 1
    assert listing.total == 12
    assert listing.page_count == 3
    assert len(set(names)) == 12
    one = outbound.get_outbound_campaign(entity_id("campaign", "Q4 Renewals"))
    assert one.dialing_mode == "predictive"
    assert one.contact_list.name == "Retail Renewals"


def test_contact_list_size(api: sdk.ApiClient) -> None:
    """include_size=True returns sizes; the default omits them."""
    outbound = sdk.OutboundApi(api)
    sized = outbound.get_outbound_contactlists(include_size=True)
    assert {c.name: c.size for c in sized.entities}["Retail Renewals"] == 48000
    plain = outbound.get_outbound_contactlist(
        entity_id("contactList", "Retail Renewals")
    )
    assert plain.size is None


FAMILIES = [
    (
        "campaign",
        "CampaignSchedule",
        "campaign",
        "DivisionedDomainEntityRef",
        "campaign",
        "Win-back",
    ),
    (
        "sequence",
        "SequenceSchedule",
        "sequence",
        "DomainEntityRef",
        "sequence",
        "EMEA Sequence",
    ),
    (
        "emailcampaign",
        "EmailCampaignSchedule",
        "email_campaign",
        "DivisionedDomainEntityRef",
        "messagingCampaign",
        "Renewal Emails",
    ),
    (
        "messagingcampaign",
        "MessagingCampaignSchedule",
        "messaging_campaign",
        "DivisionedDomainEntityRef",
        "messagingCampaign",
        "Payment SMS",
    ),
    (
        "whatsappcampaign",
        "WhatsAppCampaignSchedule",
        "whats_app_campaign",
        "DivisionedDomainEntityRef",
        "messagingCampaign",
        "WhatsApp Offers",
    ),
]


@pytest.mark.parametrize(
    ("suffix", "model", "attr", "ref_model", "kind", "name"), FAMILIES
)
def test_schedule_round_trip(
    api: sdk.ApiClient,
    suffix: str,
    model: str,
    attr: str,
    ref_model: str,
    kind: str,
    name: str,
) -> None:
    """PUT/GET/DELETE a schedule of every family with the SDK's methods and models."""
    outbound = sdk.OutboundApi(api)
    oid = entity_id(kind, name)
    body = getattr(sdk, model)()
    ref = getattr(sdk, ref_model)()
    ref.id = oid
    setattr(body, attr, ref)
    interval = sdk.ScheduleInterval()
    interval.start, interval.end = "2026-12-01T09:00:00.000", "2026-12-01T17:00:00.000"
    body.intervals = [interval]
    body.time_zone = "Europe/London"
    body.name = f"gcsched: {name}"
    put = getattr(outbound, f"put_outbound_schedules_{suffix}")
    created = put(oid, body)
    assert created.version == 1
    assert getattr(created, attr).name == name
    got = getattr(outbound, f"get_outbound_schedules_{suffix}")(oid)
    assert got.intervals[0].start == "2026-12-01T09:00:00.000"
    body.version = 1
    assert put(oid, body).version == 2
    body.version = 1
    with pytest.raises(ApiException) as stale:
        put(oid, body)
    assert stale.value.status == 409
    assert getattr(outbound, f"delete_outbound_schedules_{suffix}")(oid) is None
    with pytest.raises(ApiException) as gone:
        getattr(outbound, f"get_outbound_schedules_{suffix}")(oid)
    assert gone.value.status == 404


def test_lists_of_every_family(api: sdk.ApiClient) -> None:
    """Schedule lists deserialize as arrays or entity listings."""
    outbound = sdk.OutboundApi(api)
    campaigns = outbound.get_outbound_schedules_campaigns()
    assert any(s.name == "Manual survey schedule" for s in campaigns)
    assert campaigns[0].recurrences[0].pattern.days_of_week == ["Tuesday", "Thursday"]
    assert isinstance(outbound.get_outbound_schedules_sequences(), list)
    for suffix in ("emailcampaigns", "messagingcampaigns", "whatsappcampaigns"):
        assert (
            getattr(outbound, f"get_outbound_schedules_{suffix}")().entities is not None
        )


MODELS = [
    ("/api/v2/organizations/me", "Organization"),
    ("/api/v2/organizations/limits/namespaces/platform.api", "LimitsEntityListing"),
    ("/api/v2/outbound/campaigns?pageSize=100", "CampaignEntityListing"),
    ("/api/v2/outbound/contactlists?includeSize=true", "ContactListEntityListing"),
    ("/api/v2/outbound/callabletimesets", "CallableTimeSetEntityListing"),
    ("/api/v2/outbound/messagingcampaigns", "MessagingCampaignEntityListing"),
    ("/api/v2/outbound/sequences", "CampaignSequenceEntityListing"),
    ("/api/v2/outbound/schedules/campaigns", "list[CampaignSchedule]"),
    ("/api/v2/outbound/schedules/sequences", "list[SequenceSchedule]"),
    ("/api/v2/outbound/schedules/emailcampaigns", "EmailCampaignScheduleEntityListing"),
    (
        "/api/v2/outbound/schedules/messagingcampaigns",
        "MessagingCampaignScheduleEntityListing",
    ),
    (
        "/api/v2/outbound/schedules/whatsappcampaigns",
        "WhatsAppCampaignScheduleEntityListing",
    ),
    ("/api/v2/outbound/campaigns/nope", "ErrorBody"),
    ("/api/v2/outbound/settings", "OutboundSettings"),
    (
        "/api/v2/outbound/contactlists/"
        + entity_id("contactList", "Retail Renewals")
        + "/timezonemappingpreview",
        "TimeZoneMappingPreview",
    ),
    ("/api/v2/outbound/campaignrules", "CampaignRuleEntityListing"),
    (
        "/api/v2/outbound/campaignrules/"
        + entity_id("campaignRule", "Win-back evening stop"),
        "CampaignRule",
    ),
    ("/api/v2/audits/query/servicemapping", "AuditQueryServiceMapping"),
]


def _seed_schedules(raw: httpx.Client) -> None:
    base = "2026-12-0{d}T09:00:00"
    for family, ref, kind, name in (
        ("sequences", "sequence", "sequence", "Collections Ladder"),
        ("emailcampaigns", "emailCampaign", "messagingCampaign", "Renewal Emails"),
        ("messagingcampaigns", "messagingCampaign", "messagingCampaign", "Payment SMS"),
        (
            "whatsappcampaigns",
            "whatsAppCampaign",
            "messagingCampaign",
            "WhatsApp Offers",
        ),
    ):
        oid = entity_id(kind, name)
        url = f"/api/v2/outbound/schedules/{family}/{oid}"
        if raw.get(url).status_code == 404:
            body = {
                ref: {"id": oid},
                "intervals": [{"start": base.format(d=1), "end": base.format(d=2)}],
                "recurrences": [
                    {
                        "start": "2026-12-01T09:00:00",
                        "end": "2026-12-01T10:00:00",
                        "pattern": {"type": "Daily", "interval": 1},
                        "range": {"type": "NoEnd"},
                        "alterations": [
                            {
                                "type": "Exclusion",
                                "start": base.format(d=3),
                                "end": base.format(d=4),
                            }
                        ],
                    }
                ],
            }
            assert raw.put(url, json=body).status_code == 200


@pytest.mark.parametrize(("path", "model"), MODELS)
def test_bodies_have_only_model_fields(
    raw: httpx.Client, path: str, model: str
) -> None:
    """Every response key exists in the SDK model's attribute_map (recursively)."""
    _seed_schedules(raw)
    response = raw.get(path)
    check_keys(response.json(), model)
    if model.startswith("list["):
        assert response.json()


def test_outbound_settings_round_trip(api: sdk.ApiClient) -> None:
    """get/patch_outbound_settings: ATZM windows deserialize; PATCH has no body."""
    outbound = sdk.OutboundApi(api)
    settings = outbound.get_outbound_settings()
    window = settings.automatic_time_zone_mapping.callable_windows[0]
    mapped = window.mapped
    assert (mapped.earliest_callable_time, mapped.latest_callable_time) == (
        "08:00",
        "21:00",
    )
    assert window.unmapped.time_zone_id == "America/New_York"
    assert settings.reschedule_time_zone_skipped_contacts is True
    body = sdk.OutboundSettings()
    body.reschedule_time_zone_skipped_contacts = False
    assert outbound.patch_outbound_settings(body) is None
    changed = outbound.get_outbound_settings()
    assert changed.reschedule_time_zone_skipped_contacts is False
    assert changed.version == settings.version + 1
    assert changed.automatic_time_zone_mapping.callable_windows[0].mapped == mapped
    body.reschedule_time_zone_skipped_contacts = True
    outbound.patch_outbound_settings(body)


def test_time_zone_guards_deserialize(api: sdk.ApiClient) -> None:
    """The preview, the list's ATZM fields and the campaign rules reach the SDK."""
    outbound = sdk.OutboundApi(api)
    florida = entity_id("contactList", "Retail Renewals")
    preview = outbound.get_outbound_contactlist_timezonemappingpreview(florida)
    assert preview.contacts_per_time_zone == {
        "America/New_York": 41200,
        "America/Chicago": 5300,
    }
    assert (preview.contacts_in_default_window, preview.contact_list_size) == (
        1500,
        48000,
    )
    atzm = outbound.get_outbound_contactlist(florida)
    assert (atzm.automatic_time_zone_mapping, atzm.zip_code_column_name) == (
        True,
        "Zip",
    )
    lapsed = outbound.get_outbound_contactlist(
        entity_id("contactList", "Lapsed Customers")
    )
    assert lapsed.phone_columns[0].callable_time_column_name == "TimeZone"
    rules = outbound.get_outbound_campaignrules(allow_empty_result=True)
    assert [r.name for r in rules.entities] == ["Win-back evening stop"]
    rule = outbound.get_outbound_campaignrule(rules.entities[0].id)
    condition = rule.campaign_rule_conditions[0]
    assert condition.condition_type == "timeOfDay"
    assert condition.date_time_parameters.time_of_day.interval.min == "19:00:00.000"
    assert rule.campaign_rule_actions[0].action_type == "turnOffCampaign"
    assert rule.campaign_rule_entities.campaigns[0].name == "Win-back"
    with pytest.raises(ApiException) as missing:
        outbound.get_outbound_contactlist_timezonemappingpreview("nope")
    assert missing.value.status == 404


def test_conflict_body_is_an_error_body(raw: httpx.Client) -> None:
    """The 409 body deserializes as ErrorBody with the correlation id."""
    oid = entity_id("campaign", "Lapsed Survey")
    r = raw.put(
        f"/api/v2/outbound/schedules/campaigns/{oid}",
        json={
            "campaign": {"id": oid},
            "intervals": [],
            "recurrences": [],
            "version": 1,
        },
    )
    assert r.status_code in (400, 409)
    check_keys(r.json(), "ErrorBody")
    assert r.json()["contextId"] == r.headers["ININ-Correlation-Id"]


def test_sdk_rides_out_a_429(tmp_path: Path) -> None:
    """A 429 with Retry-After 1 is retried by the SDK's own urllib3 retry."""
    fault = "429:rate=0.5,retry_after=1,path=/organizations/me"
    with running_sandbox("--fault", fault, "--fault-seed", "3") as base:
        client = sdk.ApiClient(host=base).get_client_credentials_token(
            DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
        )
        org_api = sdk.OrganizationApi(client)
        for _ in range(3):
            assert org_api.get_organizations_me().name == "Acme Outbound (sandbox)"
        stats = httpx.get(f"{base}/sandbox/stats").json()
        assert stats["rate_limited"] >= 1
        assert stats["requests"]["GET /api/v2/organizations/me"]["200"] == 3


def test_divisioned_refs_deserialize(api: sdk.ApiClient) -> None:
    """The division of a DivisionedDomainEntityRef reaches the SDK model."""
    outbound = sdk.OutboundApi(api)
    oid = entity_id("messagingCampaign", "Payment SMS")
    body = sdk.MessagingCampaignSchedule()
    ref = sdk.DivisionedDomainEntityRef()
    ref.id = oid
    body.messaging_campaign = ref
    interval = sdk.ScheduleInterval()
    interval.start, interval.end = "2026-12-01T09:00:00.000", "2026-12-01T17:00:00.000"
    body.intervals = [interval]
    existing = outbound.get_outbound_schedules_messagingcampaigns().entities
    body.version = {s.id: s.version for s in existing}.get(oid)
    saved = outbound.put_outbound_schedules_messagingcampaign(oid, body)
    campaign = outbound.get_outbound_messagingcampaign(oid)
    assert saved.messaging_campaign.division.id == campaign.division.id
    assert saved.messaging_campaign.division.self_uri.endswith(campaign.division.id)
    listed = outbound.get_outbound_schedules_messagingcampaigns().entities
    assert [s.messaging_campaign.division.id for s in listed] == [campaign.division.id]


def test_paged_schedule_listing_deserializes(tmp_path: Path) -> None:
    """listing_page_size=N: the SDK's EntityListing reads every page via nextUri."""
    count = 5
    seed = {
        "contactLists": [{"name": "L", "size": 1}],
        "messagingCampaigns": [
            {"name": "SMS {n}", "count": count, "channel": "sms", "contactList": "L"}
        ],
        "schedules": [
            {
                "family": "messagingcampaigns",
                "target": f"SMS {n}",
                "intervals": [
                    {"start": "2027-03-01T09:00:00", "end": "2027-03-01T10:00:00"}
                ],
            }
            for n in range(1, count + 1)
        ],
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    args = ("--seed", str(path), "--guess", "listing_page_size=2")
    with running_sandbox(*args) as base:
        client = sdk.ApiClient(host=base).get_client_credentials_token(
            DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
        )
        first = sdk.OutboundApi(client).get_outbound_schedules_messagingcampaigns()
        assert isinstance(first, sdk.MessagingCampaignScheduleEntityListing)
        assert (first.page_size, first.page_count, first.total) == (2, 3, count)
        pages, page = [first], first
        while page.next_uri:
            target = urlsplit(page.next_uri)
            page = client.call_api(
                target.path,
                "GET",
                query_params=dict(parse_qsl(target.query)),
                header_params={"Accept": "application/json"},
                response_type="MessagingCampaignScheduleEntityListing",
                auth_settings=["PureCloud OAuth"],
            )
            pages.append(page)
    names = [s.messaging_campaign.name for p in pages for s in p.entities]
    assert sorted(names) == sorted(f"SMS {n}" for n in range(1, count + 1))
    assert [p.page_number for p in pages] == [1, 2, 3]
    assert pages[-1].next_uri is None


def _audit_interval() -> str:
    now = datetime.now(UTC)
    start, end = now - timedelta(days=1), now + timedelta(hours=1)
    return f"{start:%Y-%m-%dT%H:%M:%S}Z/{end:%Y-%m-%dT%H:%M:%S}Z"


def _audited_edit(raw: httpx.Client) -> str:
    """A schedule PUT made "in the UI" by Jane Admin; returns the campaign id."""
    oid = entity_id("campaign", "Collections 60")
    url = f"/api/v2/outbound/schedules/campaigns/{oid}"
    current = raw.get(url)
    body: dict[str, Any] = {
        "campaign": {"id": oid},
        "timeZone": "Europe/Paris",
        "intervals": [{"start": "2026-12-01T09:00:00", "end": "2026-12-01T12:00:00"}],
    }
    if current.status_code == 200:
        body["version"] = current.json()["version"]
    put = raw.put(url, json=body, headers={"X-Sandbox-Act-As-User": "Jane Admin"})
    assert put.status_code == 200, put.text
    return oid


def test_audit_queries_with_the_sdk(api: sdk.ApiClient, raw: httpx.Client) -> None:
    """AuditApi: realtime, and the async query polled to Succeeded then paged."""
    oid = _audited_edit(raw)
    audits = sdk.AuditApi(api)
    wanted = sdk.AuditQueryFilter()
    wanted.pcProperty, wanted.value = "EntityId", oid
    realtime = sdk.AuditRealtimeQueryRequest()
    realtime.interval, realtime.service_name = _audit_interval(), "Outbound"
    realtime.filters = [wanted]
    found = audits.post_audits_query_realtime(realtime, expand=["user"])
    assert isinstance(found, sdk.AuditRealtimeQueryResultsResponse)
    entry = found.entities[-1]
    assert entry.user.name == "Jane Admin"
    assert entry.entity_type == "CampaignSchedule"
    assert "intervals" in {c.pcProperty for c in entry.property_changes}
    query = sdk.AuditQueryRequest()
    query.interval, query.service_name = _audit_interval(), "Outbound"
    query.filters = [wanted]
    order = sdk.AuditQuerySort()
    order.name, order.sort_order = "Timestamp", "descending"
    query.sort = [order]
    status = audits.post_audits_query(query)
    assert status.state == "Queued"
    states = [audits.get_audits_query_transaction_id(status.id).state for _ in "ab"]
    assert states == ["Running", "Succeeded"]
    page = audits.get_audits_query_transaction_id_results(
        status.id, page_size=1, expand=["user"]
    )
    assert isinstance(page, sdk.AuditQueryExecutionResultsResponse)
    assert page.entities[0].user.name == "Jane Admin"
    assert page.entities[0].event_date is not None


def test_audit_bodies_have_only_model_fields(raw: httpx.Client) -> None:
    """Every key of the audit answers exists in the SDK models (recursively)."""
    oid = _audited_edit(raw)
    body = {
        "interval": _audit_interval(),
        "serviceName": "Outbound",
        "filters": [{"property": "EntityId", "value": oid}],
        "sort": [{"name": "Timestamp", "sortOrder": "ascending"}],
    }
    realtime = raw.post("/api/v2/audits/query/realtime?expand=user", json=body)
    check_keys(realtime.json(), "AuditRealtimeQueryResultsResponse")
    assert realtime.json()["entities"]
    status = raw.post("/api/v2/audits/query", json=body)
    check_keys(status.json(), "AuditQueryExecutionStatusResponse")
    tid = status.json()["id"]
    for _ in range(2):
        check_keys(
            raw.get(f"/api/v2/audits/query/{tid}").json(),
            "AuditQueryExecutionStatusResponse",
        )
    results = raw.get(f"/api/v2/audits/query/{tid}/results?expand=user&pageSize=1")
    check_keys(results.json(), "AuditQueryExecutionResultsResponse")
    assert results.json()["entities"]
    early = raw.post("/api/v2/audits/query", json=body).json()["id"]
    check_keys(raw.get(f"/api/v2/audits/query/{early}/results").json(), "ErrorBody")
