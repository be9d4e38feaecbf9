"""Schedule families: which Genesys endpoint family a target's schedule lives in.

The messaging family follows the messaging campaign's channel configuration:
`emailConfig` → `emailcampaigns`, `smsConfig` → `messagingcampaigns`,
`whatsAppConfig` → `whatsappcampaigns`. That mapping is a GUESS about the real
API (genesys-api.md §2.6); it lives in this one table, used by plan and export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "FAMILIES",
    "FAMILY_BY_CHANNEL",
    "REFERENCE_FIELD",
    "TARGET_KIND",
    "messaging_family",
]

FAMILIES: Final = (
    "campaigns",
    "sequences",
    "emailcampaigns",
    "messagingcampaigns",
    "whatsappcampaigns",
)

#: The messaging campaign config key → the schedule family (a GUESS, see above).
FAMILY_BY_CHANNEL: Final[Mapping[str, str]] = {
    "emailConfig": "emailcampaigns",
    "smsConfig": "messagingcampaigns",
    "whatsAppConfig": "whatsappcampaigns",
}

#: The reference field of each family's schedule body.
REFERENCE_FIELD: Final[Mapping[str, str]] = {
    "campaigns": "campaign",
    "sequences": "sequence",
    "emailcampaigns": "emailCampaign",
    "messagingcampaigns": "messagingCampaign",
    "whatsappcampaigns": "whatsAppCampaign",
}

#: The schedule-file target kind of each family.
TARGET_KIND: Final[Mapping[str, str]] = {
    "campaigns": "campaign",
    "sequences": "sequence",
    "emailcampaigns": "messaging_campaign",
    "messagingcampaigns": "messaging_campaign",
    "whatsappcampaigns": "messaging_campaign",
}


def messaging_family(campaign: Mapping[str, Any]) -> str:
    """The schedule family of a messaging campaign, from its channel config.

    A campaign with no recognised config is treated as SMS (`messagingcampaigns`).
    """
    for key, family in FAMILY_BY_CHANNEL.items():
        if campaign.get(key):
            return family
    return "messagingcampaigns"
