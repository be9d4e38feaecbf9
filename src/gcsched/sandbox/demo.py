"""The default seed: the demo org "Acme Outbound (sandbox)".

Other engineers write examples against these exact names; change them only
together with docs/sandbox.md and the examples.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["DEMO_ORG_ID", "DEMO_SEED"]

DEMO_ORG_ID: Final = "8a3c7f42-5d1e-4b6a-9c0f-2e7d4a1b6c93"
US: Final = "US Business Hours"
EMEA: Final = "EMEA Business Hours"


def _voice(
    name: str,
    mode: str,
    contact_list: str,
    hours: str,
    *,
    status: str = "off",
    priority: int = 3,
    queue: str = "Outbound Agents",
    **pacing: Any,
) -> dict[str, Any]:
    return {
        "name": name,
        "dialingMode": mode,
        "contactList": contact_list,
        "callableTimeSet": hours,
        "campaignStatus": status,
        "priority": priority,
        "queue": queue,
        **pacing,
    }


DEMO_SEED: Final[dict[str, Any]] = {
    "org": {"name": "Acme Outbound (sandbox)", "id": DEMO_ORG_ID, "domain": "acme"},
    # Genesys's contact-local guards (compliance-drift-research.md §1.8), one
    # of each: Retail Renewals (Florida customers) has automatic time-zone
    # mapping on, under the default ATZM windows below (08:00-21:00 mapped is
    # wider than Florida's 20:00); Lapsed Customers names a zone column, so
    # the US Business Hours set (America/Chicago only) guards its Chicago
    # contacts; Collections Early and Prospects EMEA have no guard at all.
    "outboundSettings": {
        "automaticTimeZoneMapping": {
            "callableWindows": [
                {
                    "mapped": {
                        "earliestCallableTime": "08:00",
                        "latestCallableTime": "21:00",
                    },
                    "unmapped": {
                        "earliestCallableTime": "14:00",
                        "latestCallableTime": "20:00",
                        "timeZoneId": "America/New_York",
                    },
                }
            ],
            "supportedCountries": ["US", "CA"],
        },
        "rescheduleTimeZoneSkippedContacts": True,
    },
    "contactLists": [
        {
            "name": "Retail Renewals",
            "size": 48000,
            "columnNames": ["FirstName", "LastName", "Phone", "Email", "Zip"],
            "automaticTimeZoneMapping": True,
            "zipCodeColumnName": "Zip",
            "timeZoneMappingPreview": {
                "contactsPerTimeZone": {
                    "America/New_York": 41200,
                    "America/Chicago": 5300,
                },
                "contactsMappedUsingZipCode": {
                    "America/New_York": 2600,
                    "America/Chicago": 500,
                },
                "contactsInDefaultWindow": 1500,
            },
        },
        {
            "name": "Lapsed Customers",
            "size": 12500,
            "phoneColumns": [
                {
                    "columnName": "Phone",
                    "type": "cell",
                    "callableTimeColumnName": "TimeZone",
                }
            ],
            "timeZoneMappingPreview": {
                "contactsPerTimeZone": {
                    "America/Chicago": 7400,
                    "America/New_York": 3100,
                    "America/Los_Angeles": 2000,
                }
            },
        },
        {"name": "Collections Early", "size": 6200},
        {"name": "Prospects EMEA", "size": 95000},
    ],
    "callableTimeSets": [
        {
            "name": US,
            "timeZone": "America/Chicago",
            "slots": [
                {"days": [1, 2, 3, 4, 5], "start": "08:00", "stop": "21:00"},
                {"days": [6], "start": "09:00", "stop": "18:00"},
            ],
        },
        {
            "name": EMEA,
            "timeZone": "Europe/London",
            "slots": [{"days": [1, 2, 3, 4, 5], "start": "08:00", "stop": "20:00"}],
        },
    ],
    "campaigns": [
        _voice(
            "Q4 Renewals",
            "predictive",
            "Retail Renewals",
            US,
            priority=5,
            queue="Renewals",
            abandonRate=3.0,
            maxCallsPerAgent=3,
            outboundLineCount=60,
        ),
        _voice(
            "Win-back",
            "predictive",
            "Lapsed Customers",
            US,
            priority=3,
            queue="Retention",
            abandonRate=4.0,
            maxCallsPerAgent=2,
            outboundLineCount=30,
        ),
        _voice(
            "Renewals Follow-up",
            "power",
            "Retail Renewals",
            US,
            priority=4,
            queue="Renewals",
            abandonRate=2.5,
            maxCallsPerAgent=2,
            outboundLineCount=25,
        ),
        _voice(
            "Collections 30",
            "progressive",
            "Collections Early",
            US,
            priority=4,
            queue="Collections",
            maxCallsPerAgent=1,
            outboundLineCount=20,
        ),
        _voice(
            "Collections 60", "preview", "Collections Early", US, queue="Collections"
        ),
        _voice(
            "EMEA Prospecting",
            "predictive",
            "Prospects EMEA",
            EMEA,
            priority=3,
            queue="EMEA Sales",
            abandonRate=3.0,
            maxCallsPerAgent=2,
            outboundLineCount=40,
        ),
        _voice(
            "EMEA Callbacks",
            "preview",
            "Prospects EMEA",
            EMEA,
            priority=2,
            queue="EMEA Sales",
        ),
        _voice(
            "Loyalty Upsell",
            "power",
            "Retail Renewals",
            US,
            priority=2,
            queue="Retention",
            abandonRate=3.0,
            maxCallsPerAgent=2,
            outboundLineCount=20,
        ),
        _voice(
            "Lapsed Survey",
            "agentless",
            "Lapsed Customers",
            US,
            priority=1,
            outboundLineCount=15,
        ),
        _voice(
            "Payment Reminders",
            "agentless",
            "Collections Early",
            US,
            status="on",
            priority=4,
            outboundLineCount=25,
        ),
        _voice(
            "Holiday Offers",
            "predictive",
            "Lapsed Customers",
            US,
            priority=3,
            queue="Retention",
            abandonRate=5.0,
            maxCallsPerAgent=3,
            outboundLineCount=50,
        ),
        _voice(
            "Nurture Calls",
            "progressive",
            "Prospects EMEA",
            EMEA,
            priority=2,
            queue="EMEA Sales",
            maxCallsPerAgent=1,
            outboundLineCount=15,
        ),
    ],
    "sequences": [
        {
            "name": "Collections Ladder",
            "campaigns": ["Collections 30", "Collections 60"],
        },
        {"name": "EMEA Sequence", "campaigns": ["EMEA Prospecting", "EMEA Callbacks"]},
    ],
    "messagingCampaigns": [
        {
            "name": "Renewal Emails",
            "channel": "email",
            "contactList": "Retail Renewals",
            "messagesPerMinute": 100,
        },
        {
            "name": "Payment SMS",
            "channel": "sms",
            "contactList": "Collections Early",
            "messagesPerMinute": 60,
        },
        {
            "name": "WhatsApp Offers",
            "channel": "whatsapp",
            "contactList": "Lapsed Customers",
            "messagesPerMinute": 30,
        },
    ],
    # A second scheduler: this rule turns Win-back off every evening.
    "campaignRules": [
        {
            "name": "Win-back evening stop",
            "enabled": True,
            "timeZoneId": "America/New_York",
            "campaignRuleEntities": {"campaigns": ["Win-back"]},
            "campaignRuleConditions": [
                {
                    "conditionType": "timeOfDay",
                    "parameters": {"operator": "between"},
                    "dateTimeParameters": {
                        "timeOfDay": {
                            "interval": {"min": "19:00:00.000", "max": "23:59:00.000"}
                        }
                    },
                }
            ],
            "campaignRuleActions": [
                {
                    "actionType": "turnOffCampaign",
                    "campaignRuleActionEntities": {"useTriggeringEntity": True},
                }
            ],
        }
    ],
    "schedules": [
        {
            "family": "campaigns",
            "target": "Lapsed Survey",
            "name": "Manual survey schedule",
            "version": 3,
            "timeZone": "America/Chicago",
            "intervals": [],
            "recurrences": [
                {
                    "id": "5b0f4a8e-2c61-4d7e-9f13-6a8b2c4d0e71",
                    "start": "2026-12-01T10:00:00",
                    "end": "2026-12-01T16:00:00",
                    "pattern": {
                        "type": "Weekly",
                        "interval": 1,
                        "daysOfWeek": ["Tuesday", "Thursday"],
                    },
                    "range": {"type": "NoEnd"},
                }
            ],
        }
    ],
}
