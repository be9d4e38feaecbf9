"""Conflicts with live schedules the plan leaves in place (fixed participants)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from engine_support import EXAMPLE, TODAY

from gcsched.audit import AuditLog
from gcsched.client import GenesysClient
from gcsched.config import load, loads
from gcsched.engine import Runner, build_plan
from gcsched.journal import Journal
from gcsched.sandbox import SandboxState
from gcsched.sandbox.entities import entity_id

pytestmark = pytest.mark.anyio

SURVEY = entity_id("campaign", "Lapsed Survey")
LAPSED = entity_id("contactList", "Lapsed Customers")

WIN_BACK = """
version: 1
policy: {{audience_conflicts: {mode}}}
schedules:
  - campaign: Win-back
    time_zone: America/Chicago
    windows: [{{days: [{days}], start: "{start}", end: "{end}"}}]
    from: 2026-12-01
    until: {until}
"""


def _file(
    mode: str,
    *,
    days: str = "tue, thu",
    start: str = "11:00",
    end: str = "15:00",
    until: str = "2026-12-31",
) -> Any:
    text = WIN_BACK.format(mode=mode, days=days, start=start, end=end, until=until)
    return loads(text, "win-back.yaml")


class CountingOrg:
    """The real client, counting each port method called (a fake of ours)."""

    def __init__(self, client: GenesysClient) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()
        self.lists: list[str] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if name == "get_contact_list":
                self.lists.append(str(args[0]))
            if name == "list_contact_lists" and kwargs.get("include_size"):
                self.lists.extend(sorted(args[0]))
            return await method(*args, **kwargs)

        return counted


async def test_overlapping_a_manual_schedule_is_rejected(
    client: GenesysClient,
) -> None:
    """reject: Win-back on Tue/Thu 11-15 meets Lapsed Survey's 10-16: refused."""
    planned = await build_plan(client, _file("reject"), today=TODAY)
    plan = planned.plan
    assert planned.fixed == frozenset({"Lapsed Survey"})
    (pair,) = plan.conflicts  # one entry for the pair
    assert pair.count == 10  # every Tue/Thu of December
    assert pair.minutes == 10 * 4 * 60
    assert pair.campaigns == ("Lapsed Survey", "Win-back")
    assert (pair.resolution, pair.winner) == ("reject", "Lapsed Survey")
    assert pair.contact_list == LAPSED
    assert pair.first.isoformat() == "2026-12-01T17:00:00+00:00"
    assert pair.last.isoformat() == "2026-12-31T21:00:00+00:00"
    assert [c.target_name for c in plan.changes] == ["Win-back"]
    assert not any("Lapsed Survey" in w for w in plan.warnings)


async def test_trim_takes_the_overlap_from_the_file_and_leaves_the_manual_one(
    client: GenesysClient, journal: Journal, audit: AuditLog, state: SandboxState
) -> None:
    """trim: Win-back (priority 10) loses 10-16 on Tue/Thu; Lapsed Survey untouched."""
    text = WIN_BACK.replace("    time_zone", "    priority: 10\n    time_zone")
    file = loads(
        text.format(
            mode="trim", days="mon-fri", start="09:00", end="17:00", until="2026-12-04"
        ),
        "win-back.yaml",
    )
    before = state.schedule("campaigns", SURVEY)
    planned = await build_plan(client, file, today=TODAY)
    (change,) = planned.plan.changes
    assert change.target_name == "Win-back"
    assert change.after is not None
    assert change.after["recurrences"] == []
    spans = [(i["start"][:16], i["end"][11:16]) for i in change.after["intervals"]]
    assert spans == [
        ("2026-12-01T09:00", "10:00"),
        ("2026-12-01T16:00", "17:00"),
        ("2026-12-02T09:00", "17:00"),
        ("2026-12-03T09:00", "10:00"),
        ("2026-12-03T16:00", "17:00"),
        ("2026-12-04T09:00", "17:00"),
    ]
    assert {c.resolution for c in planned.plan.conflicts} == {"trim"}
    assert {c.winner for c in planned.plan.conflicts} == {"Lapsed Survey"}
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(planned.plan, checksum=planned.plan.checksum())
    assert result.status == "succeeded", result.outcomes
    assert state.schedule("campaigns", SURVEY) == before
    again = await build_plan(client, file, today=TODAY)
    assert not again.plan.has_changes, [c.data() for c in again.plan.changes]


async def test_warn_reports_the_overlap_and_renders_recurrences(
    client: GenesysClient,
) -> None:
    """warn: the clash is reported, nothing is trimmed or refused."""
    planned = await build_plan(client, _file("warn"), today=TODAY)
    assert {c.resolution for c in planned.plan.conflicts} == {"warn"}
    assert planned.check.trimmed == {}
    (change,) = planned.plan.changes
    assert change.after is not None
    assert change.after["recurrences"]


async def test_no_conflict_when_the_windows_do_not_meet(
    client: GenesysClient,
) -> None:
    """Mon/Wed/Fri never meets the Tue/Thu manual schedule."""
    planned = await build_plan(client, _file("reject", days="mon, wed"), today=TODAY)
    assert planned.plan.conflicts == ()
    assert planned.fixed == frozenset({"Lapsed Survey"})


async def test_a_listed_target_is_not_fixed(client: GenesysClient) -> None:
    """A campaign the file lists is compared as the file says, not as the org has."""
    text = WIN_BACK.replace("campaign: Win-back", "campaign: Lapsed Survey")
    file = loads(
        text.format(
            mode="reject", days="tue", start="11:00", end="12:00", until="x"
        ).replace("until: x", "until: 2026-12-31"),
        "survey.yaml",
    )
    planned = await build_plan(client, file, today=TODAY)
    assert planned.fixed == frozenset()
    assert planned.plan.conflicts == ()


async def test_scoped_plan_checks_against_other_owned_schedules(
    client: GenesysClient, journal: Journal, audit: AuditLog
) -> None:
    """scoped: gcsched's own Holiday Offers stays, so Win-back may not overlap it."""
    offers = loads(
        WIN_BACK.format(
            mode="reject", days="mon, wed, fri", start="12:00", end="13:00", until="x"
        )
        .replace("until: x", "until: 2026-12-11")
        .replace("campaign: Win-back", "campaign: Holiday Offers"),
        "offers.yaml",
    )
    first = await build_plan(client, offers, today=TODAY)
    assert first.plan.conflicts == ()
    runner = Runner(client, journal, audit, actor="sandbox-client-id")
    result = await runner.apply(first.plan, checksum=first.plan.checksum())
    assert result.status == "succeeded", result.outcomes
    win_back = _file("reject", days="mon, wed, fri", start="12:30", end="14:00")
    scoped = await build_plan(client, win_back, today=TODAY, scoped=True)
    assert scoped.fixed == frozenset({"Holiday Offers", "Lapsed Survey"})
    assert {c.campaigns for c in scoped.plan.conflicts} == {
        ("Holiday Offers", "Win-back")
    }
    assert {c.resolution for c in scoped.plan.conflicts} == {"reject"}
    assert [c.count for c in scoped.plan.conflicts] == [5]  # Mon/Wed/Fri, Dec 2-11
    assert [c.action for c in scoped.plan.changes] == ["create"]
    whole = await build_plan(client, win_back, today=TODAY)
    assert whole.fixed == frozenset({"Lapsed Survey"})
    assert whole.plan.conflicts == ()
    assert sorted(c.action for c in whole.plan.changes) == ["create", "delete"]


async def test_an_unreadable_live_schedule_is_skipped_with_a_warning(
    client: GenesysClient, state: SandboxState
) -> None:
    """A manual body gcsched cannot parse is not checked, and the plan says so."""
    state.edit_behind_back(
        "campaigns",
        SURVEY,
        {
            "recurrences": [
                {
                    "start": "2026-12-01T10:00:00",
                    "end": "2026-12-01T16:00:00",
                    "pattern": {"type": "Monthly"},
                    "range": {"type": "NoEnd"},
                }
            ]
        },
    )
    planned = await build_plan(client, _file("reject"), today=TODAY)
    assert planned.plan.conflicts == ()
    assert planned.fixed == frozenset()
    (warning,) = [w for w in planned.plan.warnings if w.startswith("Lapsed Survey")]
    assert "cannot be read" in warning
    assert "not checked" in warning


async def test_fixed_schedules_add_no_requests(client: GenesysClient) -> None:
    """Sizes are read only for conflicts between file schedules."""
    counting = CountingOrg(client)
    planned = await build_plan(counting, _file("reject"), today=TODAY)  # type: ignore[arg-type]
    assert planned.plan.conflicts
    assert counting.calls["get_contact_list"] == 0
    example = CountingOrg(client)
    planned = await build_plan(example, load(EXAMPLE), today=TODAY)  # type: ignore[arg-type]
    assert any("Lapsed Survey" in c.campaigns for c in planned.plan.conflicts)
    assert sorted(example.lists) == sorted(
        [
            entity_id("contactList", "Collections Early"),
            entity_id("contactList", "Retail Renewals"),
        ]
    )
    assert example.calls["get_contact_list"] == 0  # both sizes in one listing
    # org reads, schedule lists, sizes; then the time-zone guards: the lists
    # (one request), the campaign rules, and for Retail Renewals (ATZM on) the
    # org's outbound settings and its time-zone mapping preview
    assert sum(example.calls.values()) == 5 + 5 + 1 + 4


class ListingLeavesOut(CountingOrg):
    """An org whose sized listing leaves `hidden` out (as a division might)."""

    def __init__(self, client: GenesysClient, hidden: str) -> None:
        super().__init__(client)
        self._hidden = hidden

    async def list_contact_lists(self, ids: Any, *, include_size: bool = False) -> Any:
        self.calls["list_contact_lists"] += 1
        listed = await self._client.list_contact_lists(ids, include_size=include_size)
        return [body for body in listed if body["id"] != self._hidden]


async def test_a_list_the_sized_listing_leaves_out_is_read_on_its_own(
    client: GenesysClient,
) -> None:
    """Its own GET gives its size (or the error a plan always reported)."""
    hidden = entity_id("contactList", "Retail Renewals")
    org = ListingLeavesOut(client, hidden)
    planned = await build_plan(org, load(EXAMPLE), today=TODAY)  # type: ignore[arg-type]
    baseline = await build_plan(client, load(EXAMPLE), today=TODAY)
    assert org.lists == [hidden]  # read alone, after the listing
    assert org.calls["get_contact_list"] == 1
    assert planned.plan.checksum() == baseline.plan.checksum()


async def test_example_win_back_loses_its_overlap_with_the_manual_survey(
    client: GenesysClient,
) -> None:
    """q4.yaml (trim): Win-back loses Tue/Thu 15:00-16:00 Chicago to Lapsed Survey."""
    planned = await build_plan(client, load(EXAMPLE), today=TODAY)
    clashes = [c for c in planned.plan.conflicts if "Lapsed Survey" in c.campaigns]
    assert {c.campaigns for c in clashes} == {("Lapsed Survey", "Win-back")}
    assert {(c.first.hour, c.last.hour) for c in clashes} == {(21, 22)}
    assert "Win-back" in planned.check.trimmed
    assert "Lapsed Survey" not in planned.check.trimmed
    bodies = {c.target_name: c.after for c in planned.plan.changes}
    win_back = bodies["Win-back"]
    assert win_back is not None
    assert win_back["recurrences"] == []
    tuesday = [i for i in win_back["intervals"] if i["start"].startswith("2026-12-01")]
    assert [(i["start"][11:16], i["end"][11:16]) for i in tuesday] == [
        ("17:00", "20:00")
    ]
    assert "Lapsed Survey" not in {c.target_name for c in planned.plan.changes}
