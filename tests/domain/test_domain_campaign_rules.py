"""Campaign rules as a competing scheduler of managed campaigns."""

from __future__ import annotations

from typing import Any

from gcsched.domain.campaign_rules import competing_rules

MANAGED = {"c1": "Win-back", "s1": "Collections Ladder"}


def _rule(
    name: str = "Evening stop",
    *,
    conditions: list[str] = ["timeOfDay"],  # noqa: B006 - read only
    action: str = "turnOffCampaign",
    entities: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": f"id-{name}",
        "name": name,
        "campaignRuleEntities": {"campaigns": [{"id": "c1"}]},
        "campaignRuleConditions": [{"conditionType": c} for c in conditions],
        "campaignRuleActions": [
            {
                "actionType": action,
                "campaignRuleActionEntities": entities
                if entities is not None
                else {"useTriggeringEntity": True},
            }
        ],
        **extra,
    }


def test_a_time_rule_that_turns_a_managed_campaign_off_is_named() -> None:
    """The warning names the rule, its time conditions, zone and what it does."""
    (warning,) = competing_rules([_rule(timeZoneId="America/New_York")], MANAGED)
    assert warning.startswith(
        "campaign rule 'Evening stop' (timeOfDay in America/New_York) turns off "
        "Win-back: a second scheduler"
    )


def test_rules_that_do_not_compete_are_left_out() -> None:
    """Disabled, no time condition, no on/off action, or no managed target."""
    rules = [
        _rule("Disabled", enabled=False),
        _rule("Progress", conditions=["campaignProgress"]),
        _rule("Priority", action="setCampaignPriority"),
        _rule("Other", entities={"campaigns": [{"id": "elsewhere"}]}),
        {"name": "Junk", "campaignRuleConditions": ["x"], "campaignRuleActions": [1]},
    ]
    assert competing_rules(rules, MANAGED) == ()


def test_condition_groups_and_explicit_sequences() -> None:
    """Conditions in groups count; explicit sequence targets too."""
    rule = _rule(
        "Weekend",
        conditions=[],
        action="turnOnSequence",
        entities={"sequences": [{"id": "s1"}, "junk"]},
        conditionGroups=[
            {"conditions": [{"conditionType": "dayOfWeek"}, 1]},
            "junk",
        ],
    )
    both = _rule(
        "Both",
        entities={"campaigns": [{"id": "c1"}], "useTriggeringEntity": True},
    )
    both["campaignRuleActions"].append(
        {"actionType": "turnOnCampaign", "campaignRuleActionEntities": {}}
    )
    both["campaignRuleActions"][1]["campaignRuleActionEntities"] = {
        "campaigns": [{"id": "c1"}]
    }
    warnings = competing_rules([rule, both], MANAGED)
    assert warnings[0].startswith(
        "campaign rule 'Both' (timeOfDay) turns off and turns on Win-back"
    )
    assert warnings[1].startswith(
        "campaign rule 'Weekend' (dayOfWeek) turns on Collections Ladder"
    )
    assert competing_rules([{**rule, "campaignRuleEntities": "junk"}], {}) == ()
