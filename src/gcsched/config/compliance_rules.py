"""Checks of the compliance keys that need shipped data: regions, packs, freeze.

Each problem is recorded at its key's position (FILE:LINE:COL). The region table
and the pack list are read only when the file writes `contacts` or `packs`, so a
file without them pays nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from gcsched.config.compliance_models import ComplianceModel
from gcsched.config.models import PolicyModel
from gcsched.config.problems import Problems
from gcsched.config.yaml_source import Path
from gcsched.domain.model import CompliancePolicy

__all__ = ["check_policy", "compliance_policy", "contacts"]


def contacts(
    values: Sequence[str] | None, problems: Problems, where: Path
) -> tuple[str, ...] | None:
    """The `contacts` regions, each unknown one recorded as a problem."""
    if values is None:
        return None
    from gcsched.config.regions import region_table

    table = region_table()
    for index, region in enumerate(values):
        if not table.known(region):
            problems.add(
                (*where, "contacts", index),
                f"unknown region {region!r}: {table.suggest(region)}",
                code="unknown_region",
            )
    return tuple(values)


def compliance_policy(model: ComplianceModel | None) -> CompliancePolicy:
    """The domain value of `policy.compliance` (defaults when absent)."""
    if model is None:
        return CompliancePolicy()
    return CompliancePolicy(
        mode=model.mode,
        packs=None if model.packs is None else tuple(model.packs),
        freeze=tuple(model.freeze or ()),
        written=True,
    )


def check_policy(
    model: PolicyModel | None, calendars: frozenset[str], problems: Problems
) -> None:
    """Regions in `policy.contacts`, pack names, freeze calendar names."""
    if model is None:
        return
    contacts(model.contacts, problems, ("policy",))
    compliance = model.compliance
    if compliance is None:
        return
    where: Path = ("policy", "compliance")
    if compliance.packs is not None:
        from gcsched.config.rule_packs import is_pack_path, shipped_pack_names

        shipped = [name for name, _ in shipped_pack_names()]
        for index, name in enumerate(compliance.packs):
            if not is_pack_path(name) and name not in shipped:
                problems.add(
                    (*where, "packs", index),
                    f"unknown pack {name!r}; shipped packs: {', '.join(shipped)} "
                    "(or a path to a pack file ending in .yaml)",
                    code="unknown_pack",
                )
    for index, name in enumerate(compliance.freeze or ()):
        if name not in calendars:
            known = ", ".join(sorted(calendars)) or "none (add a calendars: section)"
            problems.add(
                (*where, "freeze", index),
                f"unknown calendar {name!r}; known calendars: {known}",
                code="unknown_calendar",
            )
