"""Genesys's contact-local guards of the file's campaigns, read once per plan.

Read-only: gcsched never PATCHes org settings (they set voice and messaging
together). For the campaigns a file schedules (a sequence: its member
campaigns), the plan reads:

* their contact lists, 100 ids a request (the ATZM flag, zip and zone columns);
* the org's outbound settings (ATZM windows), only when one of those lists
  has automatic time-zone mapping on;
* the time-zone mapping preview of each such list (``contactsPerTimeZone``:
  the zones the list really spans); `LiveGuards.zones_for` gives them per
  campaign (a sequence: its members' lists summed), or says why a list has
  none (its zones then come from the file);
* the campaign rules, once (a rule with time conditions that turns a managed
  campaign on or off is a competing scheduler: a plan warning).

The callable time sets are in the snapshot already. A read the role is not
allowed (403) is a plan warning saying which permission to add and what is
unknown without it; the plan goes on, with those guards unknown (no guard).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from importlib import resources
from typing import Final, TypeVar

from gcsched.domain.campaign_rules import competing_rules
from gcsched.domain.compliance import ListAudience
from gcsched.domain.guards import (
    ContactLocalGuard,
    ListZones,
    atzm_guard,
    list_zones,
    time_set_guard,
    zone_columns,
)
from gcsched.engine.ports import Json, Org
from gcsched.engine.resolve import Resolved
from gcsched.engine.snapshot import OrgSnapshot, gather_or_cancel
from gcsched.errors import NotFoundError, PermissionDeniedError
from gcsched.genesys import Family

__all__ = [
    "GUARD_PERMISSIONS",
    "LiveGuards",
    "nanp_zones",
    "read_guards",
]

#: What each guard read needs, and what is unknown without it (docs/real-org.md).
GUARD_PERMISSIONS: Final = {
    "settings": (
        "outbound:settings:view",
        "the org's automatic time-zone mapping windows are unknown, so lists "
        "with it on count as unguarded",
    ),
    "rules": (
        "outbound:campaignRule:view",
        "a campaign rule that turns a managed campaign on or off would go unseen",
    ),
    "lists": (
        "outbound:contactList:view",
        "the lists' time-zone guards and the zones they span are unknown",
    ),
}
#: ATZM maps NANP numbers only: the US and Canada (research §1.8 A).
DEFAULT_COUNTRIES: Final = ("US", "CA")

T = TypeVar("T")


@cache
def _zones_by_country() -> Mapping[str, frozenset[str]]:
    """tzdata's zone.tab and zone1970.tab: the zones of each ISO country."""
    out: dict[str, set[str]] = {}
    base = resources.files("tzdata").joinpath("zoneinfo")
    for name in ("zone.tab", "zone1970.tab"):
        for line in base.joinpath(name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            countries, _coords, zone = line.split("\t")[:3]
            for country in countries.split(","):
                out.setdefault(country, set()).add(zone)
    return {country: frozenset(zones) for country, zones in out.items()}


def nanp_zones(countries: Sequence[str] = DEFAULT_COUNTRIES) -> frozenset[str]:
    """The IANA zones of `countries` (ATZM's supported countries)."""
    table = _zones_by_country()
    return frozenset(z for c in countries for z in table.get(c.upper(), ()))


@dataclass(frozen=True, slots=True)
class LiveGuards:
    """The guards of the file's campaigns, as read for one plan."""

    guards: Mapping[str, ContactLocalGuard] = field(default_factory=dict)
    zones: Mapping[str, ListZones] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    audiences: Mapping[str, ListAudience] = field(default_factory=dict)

    def guard_for(self, campaign_id: str) -> ContactLocalGuard | None:
        """The guard Genesys applies to a campaign's contacts; None: no guard
        (or one gcsched could not read, said in `warnings`)."""
        return self.guards.get(campaign_id)

    def zones_of(self, contact_list_id: str) -> ListZones | None:
        """The zones a contact list spans (ATZM lists); None when not read."""
        return self.zones.get(contact_list_id)

    def zones_for(self, target_id: str) -> ListAudience | None:
        """Where a scheduled target's contacts are (the compliance check's
        `ZoneLookup`); None when it has no contact list."""
        return self.audiences.get(target_id)


def _campaigns(snap: OrgSnapshot, resolved: Sequence[Resolved]) -> dict[str, Json]:
    """Campaign id → body of every campaign the file schedules."""
    by_id = {str(c.get("id")): c for c in snap.campaigns}
    out: dict[str, Json] = {}
    for item in resolved:
        if item.family == Family.SEQUENCES:
            for ref in item.entity.get("campaigns") or []:
                member = by_id.get(str(ref.get("id")))
                if member is not None:
                    out[str(member["id"])] = member
        else:
            out[item.target_id] = dict(item.entity)
    return out


def _list_id(campaign: Mapping[str, object]) -> str | None:
    ref = campaign.get("contactList")
    if isinstance(ref, Mapping) and ref.get("id"):
        return str(ref["id"])
    return None


def _members(item: Resolved, campaigns: Mapping[str, Json]) -> list[Json]:
    """The campaigns of one scheduled target (a sequence: its members)."""
    if item.family == Family.SEQUENCES:
        ids = [str(ref.get("id")) for ref in item.entity.get("campaigns") or []]
        return [campaigns[i] for i in ids if i in campaigns]
    return [campaigns[item.target_id]]


def _audiences(
    resolved: Sequence[Resolved],
    campaigns: Mapping[str, Json],
    lists: Mapping[str, Json] | None,
    zones: Mapping[str, ListZones],
) -> dict[str, ListAudience]:
    """Target id → where its contacts are (`ListAudience`), for targets with
    contact lists; `lists` None: the lists could not be read."""
    out: dict[str, ListAudience] = {}
    for item in resolved:
        refs: dict[str, str] = {}
        for campaign in _members(item, campaigns):
            list_id = _list_id(campaign)
            if list_id is not None:
                ref = campaign.get("contactList")
                named = ref.get("name") if isinstance(ref, Mapping) else None
                refs[list_id] = str(named or list_id)
        if not refs:
            continue
        names = {
            i: str((lists or {}).get(i, {}).get("name") or n) for i, n in refs.items()
        }
        quoted = ", ".join(repr(n) for n in names.values())
        words = f"contact list{'s' if len(names) > 1 else ''} {quoted}"
        missing: list[str] = []
        counts: dict[str, int] = {}
        unmapped = 0
        for list_id, name in names.items():
            body = None if lists is None else lists.get(list_id)
            seen = zones.get(list_id)
            if lists is None:
                missing.append("the contact lists could not be read")
            elif body is None:
                missing.append(f"contact list {name!r} was not found")
            elif not body.get("automaticTimeZoneMapping"):
                missing.append(
                    f"contact list {name!r} has automatic time-zone mapping off, "
                    "so the org gives no time-zone mapping preview"
                )
            elif seen is None:
                missing.append(
                    f"the time-zone mapping preview of contact list {name!r} "
                    "could not be read"
                )
            else:
                for zone, count in seen.counts.items():
                    counts[zone] = counts.get(zone, 0) + count
                unmapped += seen.in_default_window
        out[item.target_id] = ListAudience(
            lists=words,
            counts=None if missing else counts,
            unmapped=unmapped,
            missing="; ".join(dict.fromkeys(missing)),
        )
    return out


class _Reader:
    """Runs reads, turning a refusal into a warning."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    async def read(
        self, key: str, call: Callable[[], Awaitable[T]], *, missing_ok: bool = False
    ) -> T | None:
        try:
            return await call()
        except PermissionDeniedError as exc:
            self._refused(key, exc.path)
        except NotFoundError:
            if not missing_ok:
                raise
        return None

    def _refused(self, key: str, path: str | None) -> None:
        permission, unknown = GUARD_PERMISSIONS[key]
        self.warnings.append(
            f"time-zone guards: GET {path} was refused; the OAuth client's role "
            f"needs {permission}: {unknown}"
        )


async def read_guards(
    org: Org, snap: OrgSnapshot, resolved: Sequence[Resolved]
) -> LiveGuards:
    """Read and model the guards of the campaigns `resolved` schedules.

    Args:
        org: the org (read-only calls).
        snap: the org as read for this plan (campaigns, callable time sets).
        resolved: the file's schedules matched to their targets.

    Returns:
        The guards per campaign id, zones per ATZM list, and warnings (refused
        reads, competing campaign rules).
    """
    campaigns = _campaigns(snap, resolved)
    if not campaigns:
        return LiveGuards()
    reader = _Reader()
    list_ids = {i for c in campaigns.values() if (i := _list_id(c)) is not None}
    listed, rules = await gather_or_cancel(
        reader.read("lists", lambda: org.list_contact_lists(list_ids)),
        reader.read("rules", org.list_campaign_rules),
    )
    lists = {str(item.get("id")): item for item in listed or []}
    atzm_lists = sorted(
        i for i, body in lists.items() if body.get("automaticTimeZoneMapping")
    )
    settings: Json | None = None
    previews: list[Json | None] = []
    if atzm_lists:
        settings, *previews = await gather_or_cancel(
            reader.read("settings", org.get_outbound_settings),
            *(
                reader.read(
                    "lists",
                    partial(org.get_time_zone_mapping_preview, i),
                    missing_ok=True,
                )
                for i in atzm_lists
            ),
        )
    zones = {
        list_id: list_zones(preview)
        for list_id, preview in zip(atzm_lists, previews, strict=True)
        if preview is not None
    }
    atzm = None
    if settings is not None:
        countries = (settings.get("automaticTimeZoneMapping") or {}).get(
            "supportedCountries"
        ) or DEFAULT_COUNTRIES
        # The format of supportedCountries is not documented (ISO codes are a
        # GUESS): codes tzdata does not know fall back to ATZM's US and Canada,
        # so a mapped zone is never taken for an unmapped one.
        atzm = atzm_guard(settings, nanp_zones(countries) or nanp_zones())
    time_sets = {str(t.get("id")): t for t in snap.callable_time_sets}
    guards: dict[str, ContactLocalGuard] = {}
    for campaign_id, campaign in campaigns.items():
        body = lists.get(_list_id(campaign) or "")
        if body is None:
            continue
        if body.get("automaticTimeZoneMapping"):
            if atzm is not None:
                seen = zones.get(str(body.get("id")))
                guards[campaign_id] = replace(
                    atzm, unmapped_contacts=seen is None or seen.in_default_window > 0
                )
            continue
        ref = campaign.get("callableTimeSet")
        time_set = (
            time_sets.get(str(ref.get("id"))) if isinstance(ref, Mapping) else None
        )
        if time_set is not None and zone_columns(body):
            guards[campaign_id] = time_set_guard(time_set)
    managed = {cid: str(c.get("name") or cid) for cid, c in campaigns.items()}
    managed |= {r.target_id: r.label for r in resolved}
    return LiveGuards(
        guards=guards,
        zones=zones,
        warnings=(*reader.warnings, *competing_rules(rules or [], managed)),
        audiences=_audiences(
            resolved, campaigns, None if listed is None else lists, zones
        ),
    )
