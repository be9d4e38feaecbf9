"""fixed_participants: labels and parsing of live schedules a run leaves in place."""

from __future__ import annotations

from typing import Any

from gcsched.domain import LiveSchedule, fixed_participants


def _body(name: str = "Manual survey schedule") -> dict[str, Any]:
    return {
        "name": name,
        "version": 3,
        "timeZone": "America/Chicago",
        "intervals": [],
        "recurrences": [
            {
                "start": "2026-12-01T10:00:00",
                "end": "2026-12-01T16:00:00",
                "pattern": {"type": "Weekly", "daysOfWeek": ["Tuesday", "Thursday"]},
                "range": {"type": "NoEnd"},
            }
        ],
    }


def _live(name: str, target_id: str, **kw: Any) -> LiveSchedule:
    return LiveSchedule(
        kw.pop("kind", "campaign"),
        target_id,
        name,
        kw.pop("body", _body()),
        kw.pop("audience", frozenset({"list-1"})),
    )


def test_label_is_the_target_name_and_the_body_is_parsed() -> None:
    """A live schedule is labelled by its target's name, with its audience."""
    result = fixed_participants([_live("Lapsed Survey", "c1")], taken={"Win-back"})
    (parsed,) = result.schedules
    assert parsed.label == "Lapsed Survey"
    assert parsed.target.kind == "campaign"
    assert parsed.time_zone == "America/Chicago"
    assert parsed.name == "Manual survey schedule"
    assert len(parsed.windows) == 1
    assert result.audiences == {"Lapsed Survey": frozenset({"list-1"})}
    assert result.labels == frozenset({"Lapsed Survey"})
    assert result.warnings == ()


def test_a_name_the_file_uses_gets_the_in_org_suffix() -> None:
    """A fixed label never collides with a file label."""
    result = fixed_participants(
        [_live("Win-back", "m1", kind="messaging_campaign")], taken={"Win-back"}
    )
    assert result.labels == frozenset({"Win-back (in org)"})
    result = fixed_participants(
        [_live("Win-back", "m1")], taken={"Win-back", "Win-back (in org)"}
    )
    assert result.labels == frozenset({"Win-back (m1)"})


def test_targets_sharing_a_name_are_labelled_by_id() -> None:
    """Two fixed targets with the same name are told apart by their ids."""
    result = fixed_participants(
        [_live("Survey", "c1"), _live("Survey", "s1", kind="sequence")], taken=()
    )
    assert [s.label for s in result.schedules] == ["c1", "s1"]
    assert [s.target.kind for s in result.schedules] == ["campaign", "sequence"]


def test_an_unreadable_body_is_skipped_with_a_warning() -> None:
    """A body parse_body refuses is left out, and the plan is told why."""
    bad = _body()
    bad["recurrences"][0]["pattern"] = {"type": "Monthly"}
    result = fixed_participants(
        [_live("Odd", "c1", body=bad), _live("Lapsed Survey", "c2")], taken=()
    )
    assert result.labels == frozenset({"Lapsed Survey"})
    assert set(result.audiences) == {"Lapsed Survey"}
    (warning,) = result.warnings
    assert warning.startswith("Odd: its schedule in the org cannot be read (")
    assert warning.endswith("conflicts with it are not checked")
