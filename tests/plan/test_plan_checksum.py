"""Plan.checksum(): covers what the apply does, nothing read-only."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from plan_factories import body, change, plan, read_back

from gcsched.domain.model import Policy
from gcsched.plan import Change

BASE = [change("update", "c1"), change("create", "c2"), change("delete", "c3")]


def test_same_plan_same_sum() -> None:
    """Two plans built from equal content have the same 64-hex checksum."""
    first = plan(BASE).checksum()
    assert first == plan(list(BASE)).checksum()
    assert len(first) == 64
    assert int(first, 16) >= 0


def test_input_order_does_not_matter() -> None:
    """Changes are sorted before hashing."""
    assert plan(BASE).checksum() == plan(list(reversed(BASE))).checksum()


def test_checksum_is_sha256_of_the_documented_payload() -> None:
    """The sum is SHA-256 of sorted, compact JSON of changes and policy."""
    one = change("create", "c9", after={"name": "gcsched:x", "intervals": []})
    payload = {
        "changes": [["create", "campaigns", "c9", None, one.after]],
        "policy": {
            "allow_overlap": [],
            "audience_conflicts": "reject",
            "horizon_days": 90,
            "manage": "owned",
            "map_priority": False,
            "max_change_fraction": 0.3,
            "min_existing": 10,
        },
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    assert plan([one]).checksum() == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    "read_only", ["id", "version", "dateCreated", "dateModified", "selfUri"]
)
def test_read_only_fields_in_after_do_not_count(read_only: str) -> None:
    """An id, version or timestamp in after does not change the sum."""
    plain = change("update", "c1", after=body("c1"))
    noisy = change("update", "c1", after={**body("c1"), read_only: "2026-05-05"})
    assert plan([plain]).checksum() == plan([noisy]).checksum()


def test_nested_read_only_fields_do_not_count() -> None:
    """nextOccurrenceDetails or selfUri inside a recurrence do not count."""
    noisy_body = body("c1")
    noisy_body["recurrences"][0]["nextOccurrenceDetails"] = {"x": 1}
    noisy_body["campaign"]["selfUri"] = "/api/v2/outbound/campaigns/c1"
    assert (
        plan([change("update", after=body("c1"))]).checksum()
        == plan([change("update", after=noisy_body)]).checksum()
    )


def test_before_and_names_do_not_count() -> None:
    """Only what is sent counts: before (with its dateModified) and names do not."""
    one = change("update", "c1")
    other = dataclasses.replace(
        one, target_name="Renamed", before=read_back(body("c1", days=["Sunday"]), 3)
    )
    assert plan([one]).checksum() == plan([other]).checksum()


def test_warnings_and_unchanged_do_not_count() -> None:
    """Warnings, unchanged counts and not-managed notes are not hashed."""
    assert (
        plan(BASE).checksum()
        == plan(BASE, unchanged=7, warnings=("w",), not_managed=("n",)).checksum()
    )


@pytest.mark.parametrize(
    "altered",
    [
        change("update", "c1", after=body("c1", days=["Saturday"])),
        change("update", "c1", version=4),
        change("update", "c1", kind="sequences"),
        change("update", "c1x"),
        change("create", "c1"),
    ],
    ids=["body", "version_seen", "kind", "target", "action"],
)
def test_what_is_sent_counts(altered: Change) -> None:
    """A changed body, version_seen, kind, target or action changes the sum."""
    base = plan([change("update", "c1")]).checksum()
    assert plan([altered]).checksum() != base


@pytest.mark.parametrize(
    "policy",
    [
        Policy(audience_conflicts="warn"),
        Policy(allow_overlap=frozenset({frozenset({"A", "B"})})),
        Policy(horizon_days=30),
        Policy(max_change_fraction=0.5),
        Policy(min_existing=0),
        Policy(manage="all"),
        Policy(map_priority=True),
    ],
)
def test_policy_counts(policy: Policy) -> None:
    """Every policy field that affects the apply changes the sum."""
    assert plan(BASE, policy=policy).checksum() != plan(BASE).checksum()


def test_allow_overlap_order_does_not_count() -> None:
    """Pairs are hashed sorted, whatever order the file wrote."""
    one = Policy(
        allow_overlap=frozenset({frozenset({"B", "A"}), frozenset({"D", "C"})})
    )
    two = Policy(
        allow_overlap=frozenset({frozenset({"C", "D"}), frozenset({"A", "B"})})
    )
    assert plan(BASE, policy=one).checksum() == plan(BASE, policy=two).checksum()


def test_empty_plan_has_a_sum() -> None:
    """A plan without changes still has a stable checksum (of the policy)."""
    assert plan([]).checksum() == plan([]).checksum()
    assert plan([]).checksum() != plan([], policy=Policy(manage="all")).checksum()


def test_checksum_of_a_fixed_plan_is_pinned() -> None:
    """Every family, both pacing kinds, read-only keys at both depths: the sum
    is the one the code computed before changes became typed (base commit
    42463cf), so plans reviewed and runs journaled before still match."""
    after = read_back(body("w1"), 7)
    after["recurrences"][0]["selfUri"] = "/x"
    after["recurrences"][0]["id"] = "rec-1"
    after["nextOccurrenceDetails"] = {"a": 1}
    pinned = plan(
        [
            change("update", "c1"),
            change("delete", "s1", kind="sequences"),
            change("create", "e1", kind="emailcampaigns"),
            change("update", "w1", kind="whatsappcampaigns", after=after),
            change("create", "m1", kind="messagingcampaigns"),
            change(
                "pacing",
                "c2",
                kind="campaign",
                version=None,
                before={"maxCallsPerAgent": 2},
                after={"maxCallsPerAgent": 4},
            ),
            change(
                "pacing",
                "m2",
                kind="messagingcampaign",
                version=5,
                before={"messagesPerMinute": 2},
                after={"messagesPerMinute": 9},
            ),
        ]
    )
    assert pinned.checksum() == (
        "8a48a9f642e9db5a0c82d6f633faef373f0d228f0630cfde3e3b4cc700dd430d"
    )
    kinds = [entry["kind"] for entry in pinned.data()["changes"]]
    assert kinds == [
        "sequences",
        "emailcampaigns",
        "messagingcampaigns",
        "campaigns",
        "whatsappcampaigns",
        "campaign",
        "messagingcampaign",
    ]
