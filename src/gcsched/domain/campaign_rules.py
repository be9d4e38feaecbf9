"""Campaign rules that act as a second scheduler of a managed campaign.

A campaign rule (SDK 269 ``CampaignRule``) whose conditions are about the
clock (``timeOfDay``, ``dayOfWeek``...) and whose actions turn a campaign or a
sequence on or off decides when that campaign dials, next to its schedule.
gcsched does not model what the rule does; it names it (issue 14).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

__all__ = ["SWITCH_ACTIONS", "TIME_CONDITIONS", "competing_rules"]

#: Condition types that depend on the date or the time (research §1.8 D).
TIME_CONDITIONS: Final = frozenset(
    {
        "timeOfDay",
        "dayOfWeek",
        "dayOfMonth",
        "weekDayOfMonth",
        "specificDate",
        "campaignRunTime",
        "campaignWaitTime",
    }
)
#: Actions that start or stop dialling.
SWITCH_ACTIONS: Final = {
    "turnOnCampaign": "turns on",
    "turnOffCampaign": "turns off",
    "turnOnSequence": "turns on",
    "turnOffSequence": "turns off",
}
_ENTITY_KEYS: Final = ("campaigns", "sequences", "emailCampaigns", "smsCampaigns")


def _conditions(rule: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for condition in rule.get("campaignRuleConditions") or []:
        if isinstance(condition, Mapping):
            yield condition
    for group in rule.get("conditionGroups") or []:
        if isinstance(group, Mapping):
            for condition in group.get("conditions") or []:
                if isinstance(condition, Mapping):
                    yield condition


def _ids(entities: Any) -> list[str]:
    if not isinstance(entities, Mapping):
        return []
    return [
        str(ref["id"])
        for key in _ENTITY_KEYS
        for ref in entities.get(key) or []
        if isinstance(ref, Mapping) and ref.get("id")
    ]


def competing_rules(
    rules: Sequence[Mapping[str, Any]], managed: Mapping[str, str]
) -> tuple[str, ...]:
    """One plan warning per enabled time-conditioned rule that switches a
    managed campaign or sequence on or off.

    Args:
        rules: ``CampaignRule`` bodies.
        managed: id → label of the file's campaigns and sequences.

    Returns:
        The warnings, by rule name.
    """
    out: list[str] = []
    for rule in sorted(rules, key=lambda r: str(r.get("name", ""))):
        if rule.get("enabled") is False:
            continue
        kinds = sorted({str(c.get("conditionType")) for c in _conditions(rule)})
        timed = [k for k in kinds if k in TIME_CONDITIONS]
        if not timed:
            continue
        triggers = _ids(rule.get("campaignRuleEntities"))
        hits: dict[str, set[str]] = {}
        for action in rule.get("campaignRuleActions") or []:
            if not isinstance(action, Mapping):
                continue
            verb = SWITCH_ACTIONS.get(str(action.get("actionType")))
            if verb is None:
                continue
            entities = action.get("campaignRuleActionEntities") or {}
            targets = _ids(entities)
            if isinstance(entities, Mapping) and entities.get("useTriggeringEntity"):
                targets += triggers
            for target in targets:
                if target in managed:
                    hits.setdefault(managed[target], set()).add(verb)
        if not hits:
            continue
        zone = rule.get("timeZoneId")
        where = f" in {zone}" if isinstance(zone, str) and zone else ""
        what = "; ".join(
            f"{' and '.join(sorted(verbs))} {label}"
            for label, verbs in sorted(hits.items())
        )
        out.append(
            f"campaign rule {rule.get('name') or rule.get('id')!r} "
            f"({', '.join(timed)}{where}) {what}: a second scheduler; "
            "gcsched's schedule and the rule both decide when it dials"
        )
    return tuple(out)
