"""Builders of Genesys schedule bodies and plans for the plan tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from gcsched.domain import ConflictPair
from gcsched.domain.model import Policy
from gcsched.genesys import parse_stored_kind
from gcsched.plan import Change, Plan

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
READ_ONLY = {"id", "version", "dateCreated", "dateModified", "selfUri"}
REFERENCES = {"campaign", "sequence", "emailCampaign", "messagingCampaign"}


def body(
    target_id: str = "c1",
    *,
    name: str = "gcsched:Q4 weekday calling",
    days: list[str] | None = None,
    zone: str = "America/Chicago",
    start: str = "2026-12-01T09:00:00",
    end: str = "2026-12-01T17:00:00",
    **extra: Any,
) -> dict[str, Any]:
    """A campaign schedule body with one weekly recurrence."""
    return {
        "name": name,
        "campaign": {"id": target_id},
        "timeZone": zone,
        "intervals": [],
        "recurrences": [
            {
                "start": start,
                "end": end,
                "pattern": {
                    "type": "Weekly",
                    "interval": 1,
                    "daysOfWeek": list(WEEKDAYS if days is None else days),
                },
                "range": {"type": "EndDate", "end": "2026-12-31T17:00:00"},
                "alterations": [
                    {
                        "type": "Exclusion",
                        "start": "2026-12-25T00:00:00",
                        "end": "2026-12-26T00:00:00",
                    }
                ],
            }
        ],
        **extra,
    }


def read_back(desired: Mapping[str, Any], version: int = 3) -> dict[str, Any]:
    """The body as the org returns it after a PUT: read-only fields added."""
    return {
        **desired,
        "id": "sched-" + str(desired.get("campaign", {}).get("id", "x")),
        "version": version,
        "dateCreated": "2026-01-01T00:00:00.000Z",
        "dateModified": "2026-02-02T02:02:02.000Z",
        "selfUri": "/api/v2/outbound/schedules/campaigns/x",
    }


def canonical(body: Mapping[str, Any]) -> dict[str, Any]:
    """Stand-in for the domain's canonical_body: drop read-only and reference."""
    return {k: v for k, v in body.items() if k not in READ_ONLY | REFERENCES}


def is_owned(body: Mapping[str, Any]) -> bool:
    """Stand-in for the domain's owned()."""
    name = body.get("name")
    return isinstance(name, str) and name.startswith("gcsched:")


def fake_pair(
    type: Literal["overlap", "audience"],
    campaigns: tuple[str, str],
    contact_list: str | None,
    start: datetime,
    end: datetime,
    resolution: Literal["reject", "trim", "warn", "allowed"],
    winner: str | None,
    reason: str,
    *,
    count: int = 1,
) -> ConflictPair:
    """The domain's conflicting pair of one overlap (or `count` of that length)."""
    return ConflictPair(
        type=type,
        campaigns=campaigns,
        contact_list=contact_list,
        first=start,
        last=end,
        count=count,
        total=(end - start) * count,
        resolution=resolution,
        winner=winner,
        reason=reason,
    )


def change(
    action: str = "update",
    target_id: str = "c1",
    *,
    kind: str = "campaigns",
    name: str | None = None,
    version: int | None = 3,
    after: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
) -> Change:
    """A change with sensible bodies for its action (`kind`: the stored kind)."""
    if action == "create":
        version = None
    if after is None and action in ("create", "update"):
        after = body(target_id)
    if before is None and action in ("update", "delete"):
        before = read_back(body(target_id, days=["Monday"]), version or 1)
    if action == "pacing" and kind == "campaigns":
        kind = "campaign"  # a campaign's pacing, not its schedule
    family, target_kind = parse_stored_kind(kind)
    return Change(
        action=action,  # type: ignore[arg-type]
        family=family,
        target_kind=target_kind,
        target_id=target_id,
        target_name=name or f"Campaign {target_id}",
        version_seen=version,
        before=before,
        after=after,
    )


def plan(
    changes: Iterable[Change] = (),
    *,
    existing: int = 20,
    unchanged: int = 0,
    policy: Policy | None = None,
    **extra: Any,
) -> Plan:
    """A plan for the Acme org from schedules.yaml."""
    return Plan(
        org_id="org-1",
        org_name="Acme Outbound",
        file_path="schedules.yaml",
        file_sha256="f" * 64,
        policy=policy or Policy(),
        changes=tuple(changes),
        unchanged=unchanged,
        existing_count=existing,
        **extra,
    )


def many(action: str, count: int) -> list[Change]:
    """`count` changes of one action on distinct targets."""
    return [change(action, f"{action}-{index:03d}") for index in range(count)]
