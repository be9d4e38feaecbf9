"""gcsched.genesys: the one Genesys vocabulary, and the sandbox agreeing with it.

The sandbox keeps its own tables (it is an independent oracle and imports
nothing of gcsched); these tests keep both sides equal, so a GUESS corrected in
one place without the other fails here.
"""

from __future__ import annotations

import pytest

from gcsched.genesys import (
    CAMPAIGN_READ_ONLY_KEYS,
    DAY_NAMES,
    FAMILIES,
    FAMILY_BY_CHANNEL,
    REFERENCE_FIELD,
    SCHEDULE_READ_ONLY_KEYS,
    TARGET_KIND,
    Action,
    ChangeSpec,
    Family,
    messaging_family,
    parse_stored_kind,
    target_kind_of,
)
from gcsched.sandbox import families as sandbox_families
from gcsched.sandbox import guesses as sandbox_guesses
from gcsched.sandbox import routes_outbound as sandbox_outbound
from gcsched.sandbox import validation as sandbox_validation

_SANDBOX_STORE_KIND = {
    "campaigns": "campaign",
    "sequences": "sequence",
    "messaging_campaigns": "messaging_campaign",
}


def test_the_sandbox_serves_the_same_families_and_reference_fields() -> None:
    """Same families in the same order, same reference field, same target kind."""
    served = sandbox_families.FAMILIES
    assert tuple(served) == FAMILIES
    for family in FAMILIES:
        assert served[family].ref_field == REFERENCE_FIELD[family]
        assert _SANDBOX_STORE_KIND[served[family].target] == TARGET_KIND[family]


def test_the_sandbox_maps_channels_to_families_the_same_way() -> None:
    """Its channel check is the inverse of FAMILY_BY_CHANNEL."""
    inverse = {
        channel: family for family, channel in sandbox_guesses.FAMILY_CHANNEL.items()
    }
    assert inverse == FAMILY_BY_CHANNEL


def test_the_sandbox_takes_the_same_day_names() -> None:
    """The schedule validator's days are the Genesys day names."""
    assert set(sandbox_validation.DAYS) == set(DAY_NAMES)
    assert len(DAY_NAMES) == 7


def test_the_sandbox_sets_the_same_read_only_keys() -> None:
    """Campaign PUTs ignore what gcsched drops (version aside: the PUT carries it);
    the schedules it returns hold the schedule read-only keys it may add."""
    assert sandbox_outbound.READ_ONLY | {"version"} == CAMPAIGN_READ_ONLY_KEYS
    top = sandbox_validation.SCHEDULE_KEYS
    assert SCHEDULE_READ_ONLY_KEYS - {"nextOccurrenceDetails"} <= top
    assert "nextOccurrenceDetails" in sandbox_validation.RECURRENCE_KEYS


def test_messaging_family_follows_the_channel_config() -> None:
    """Email, SMS and WhatsApp configs; no config reads as SMS."""
    assert messaging_family({"emailConfig": {"x": 1}}) is Family.EMAIL_CAMPAIGNS
    assert messaging_family({"whatsAppConfig": {"x": 1}}) is Family.WHATSAPP_CAMPAIGNS
    assert messaging_family({"smsConfig": {"x": 1}}) is Family.MESSAGING_CAMPAIGNS
    assert messaging_family({}) is Family.MESSAGING_CAMPAIGNS


@pytest.mark.parametrize(
    ("stored", "family", "kind"),
    [
        ("campaigns", Family.CAMPAIGNS, "campaign"),
        ("sequences", Family.SEQUENCES, "sequence"),
        ("emailcampaigns", Family.EMAIL_CAMPAIGNS, "messaging_campaign"),
        ("messagingcampaigns", Family.MESSAGING_CAMPAIGNS, "messaging_campaign"),
        ("whatsappcampaigns", Family.WHATSAPP_CAMPAIGNS, "messaging_campaign"),
        ("campaign", None, "campaign"),
        ("messagingcampaign", None, "messaging_campaign"),
    ],
)
def test_stored_kinds_read_back(stored: str, family: Family | None, kind: str) -> None:
    """Every spelling the journal holds reads back, and old audit kinds map."""
    assert parse_stored_kind(stored) == (family, kind)
    assert target_kind_of(stored) == kind
    assert target_kind_of(kind) == kind
    action = Action.PACING if family is None else Action.UPDATE
    spec = ChangeSpec(action, family, kind, "t", "T", 1, None, None)  # type: ignore[arg-type]
    assert spec.stored_kind == stored
    assert spec.is_schedule is (family is not None)


def test_unknown_kinds_are_refused() -> None:
    """No guessing: an unknown stored kind raises, an unknown audit kind is None."""
    with pytest.raises(ValueError, match="unknown change kind 'widgets'"):
        parse_stored_kind("widgets")
    assert target_kind_of("widgets") is None


def test_a_change_spec_checks_its_kinds_agree() -> None:
    """Family and target kind must agree; pacing has no family, schedules one."""
    with pytest.raises(ValueError, match="schedules a campaign, not a sequence"):
        ChangeSpec("update", "campaigns", "sequence", "t", "T", 1, None, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a schedule family"):
        ChangeSpec("create", None, "campaign", "t", "T", None, None, {})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pacing change names a campaign"):
        ChangeSpec("pacing", Family.CAMPAIGNS, "campaign", "t", "T", None, {}, {})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pacing change names a campaign"):
        ChangeSpec("pacing", None, "sequence", "t", "T", None, {}, {})  # type: ignore[arg-type]
    spec = ChangeSpec("delete", "sequences", "sequence", "t", "T", 2, {}, None)  # type: ignore[arg-type]
    assert spec.action is Action.DELETE
    assert spec.family is Family.SEQUENCES
