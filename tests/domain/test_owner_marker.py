"""The name marker: `gcsched:` + project + label, and the form before projects."""

from __future__ import annotations

from gcsched.domain import marker, marker_label, marker_project, owned


def test_the_default_project_writes_the_form_before_projects() -> None:
    assert marker("default", "Q4") == "gcsched: Q4"
    assert marker("team-a", "Q4") == "gcsched:team-a: Q4"


def test_an_old_form_body_counts_as_project_default() -> None:
    old = {"name": "gcsched: Q4 weekday calling"}
    assert marker_project(old["name"]) == "default"
    assert owned(old, "default")
    assert not owned(old, "team-a")
    assert marker_label(old["name"]) == "Q4 weekday calling"


def test_a_project_marker_round_trips() -> None:
    name = marker("uk-retention", "Renewals: weekdays")
    assert marker_project(name) == "uk-retention"
    assert marker_label(name) == "Renewals: weekdays"
    assert owned({"name": name})
    assert not owned({"name": name}, "default")


def test_names_without_the_marker_are_nobodys() -> None:
    for name in ("Manual survey schedule", "", None, 7, "GCSCHED: x"):
        assert marker_project(name) is None
    assert not owned({})
    assert marker_label("Manual") == "Manual"
