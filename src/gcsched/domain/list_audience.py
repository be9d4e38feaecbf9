"""Where a campaign's contacts really are: the zones its contact lists span.

At plan time gcsched reads each automatic time-zone mapping list's
``timezonemappingpreview.contactsPerTimeZone`` (zone → contacts). The
calling-hour check then looks at the zones the contacts are in, not every zone
the file's `contacts:` regions span (`live_targets`):

* a zone both the list and a declared region span is checked for that region,
  with the list's count of contacts in it;
* a declared zone the list has no contacts in is left out (the preview narrows
  a ``[US]`` declaration to the zones actually present), unless the list has
  contacts no zone was found for: they may be anywhere the file says, so every
  declared zone stays;
* a zone outside the declared regions is a note a user must see, and is
  checked as every known region that spans it (the law applies where the
  contacts are), those of the declared regions' countries only when there are
  any (America/Phoenix for a US audience is Arizona, not also Creston, BC); a
  zone no known region spans is a note, not checked.

A campaign whose list has no preview (automatic time-zone mapping off, or the
read refused) keeps the file's regions, with a note saying so. Pure: the
engine reads the previews, the API maps zones to regions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from gcsched.domain.compliance import ContactTarget, ListAudience

__all__ = ["ZoneRegions", "live_targets"]


ZoneRegions = Callable[[str], tuple[str, ...]]
"""IANA zone → the known regions that span it (empty: none)."""


def _country(region: str) -> str:
    return region.split("-", maxsplit=1)[0]


def _regions(targets: Sequence[ContactTarget]) -> str:
    return ", ".join(dict.fromkeys(t.label for t in targets))


def live_targets(
    schedule: str,
    declared: Sequence[ContactTarget],
    seen: ListAudience,
    regions_of: ZoneRegions,
    *,
    written: bool = True,
) -> tuple[tuple[ContactTarget, ...], tuple[str, ...]]:
    """The targets to check for a schedule whose lists the org previewed.

    Args:
        schedule: the schedule's label, for notes.
        declared: the targets of the file's regions (see the module doc).
        seen: where the lists' contacts are.
        regions_of: the regions that span a zone (for zones outside `declared`).
        written: False when `declared` is only a guess (the country of the
            schedule's zone: the file says no `contacts`); the preview then
            decides alone and zones outside it are not "outside the declared
            contacts".

    Returns:
        The targets (with contact counts where the preview gives them) and the
        notes to show.
    """
    if seen.counts is None:
        return tuple(declared), (
            f"{schedule}: {seen.missing}: checked in every zone of the "
            f"{'declared contacts' if written else 'assumed contacts'} "
            f"[{_regions(declared)}]",
        )
    notes: list[str] = []
    targets: list[ContactTarget] = []
    countries = {_country(t.region) for t in declared}
    present = {z: n for z, n in sorted(seen.counts.items()) if n > 0}
    for zone, count in present.items():
        inside = [t for t in declared if t.zone == zone] if written else []
        if inside:
            targets.extend(replace(t, contacts=count) for t in inside)
            continue
        spanning = regions_of(zone)
        regions = tuple(r for r in spanning if _country(r) in countries) or spanning
        if not regions:
            notes.append(
                f"{schedule}: {seen.lists} has {count:,} contacts in {zone}, "
                "which no known region spans: not checked"
            )
            continue
        targets.extend(ContactTarget(r, r, zone, count) for r in regions)
        if written:
            notes.append(
                f"{schedule}: {seen.lists} has {count:,} contacts in {zone}, "
                f"outside the declared contacts [{_regions(declared)}]: checked "
                f"as {', '.join(regions)}"
            )
    absent = [t for t in declared if t.zone not in present]
    if seen.unmapped and absent:
        targets.extend(absent)
        notes.append(
            f"{schedule}: {seen.lists} has {seen.unmapped:,} contacts no time zone "
            "was found for: every zone of the "
            f"{'declared' if written else 'assumed'} contacts "
            f"[{_regions(declared)}] is checked for them"
        )
    elif not written:
        notes.append(
            f"{schedule}: no contacts: checked in the zones the contacts of "
            f"{seen.lists} are in ({', '.join(present) or 'none'})"
        )
    elif absent:
        kept = len({t.zone for t in declared if t.zone in present})
        notes.append(
            f"{schedule}: checked in the {kept} zone(s) the contacts of "
            f"{seen.lists} are in, of the {len({t.zone for t in declared})} the "
            f"declared contacts [{_regions(declared)}] span"
        )
    return tuple(targets), tuple(notes)
