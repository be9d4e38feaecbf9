"""Who an audit entry names: a user, an OAuth client, or nobody known."""

from __future__ import annotations

import pytest

from gcsched.engine.drift import Author, author_of


@pytest.mark.parametrize(
    ("entry", "label"),
    [
        (
            {"user": {"id": "u-1", "name": "Jane Admin"}, "client": {"id": ""}},
            "Jane Admin",
        ),
        ({"user": {"id": "u-1"}, "client": {"id": ""}}, "user u-1"),
        ({"client": {"id": "ci-bot"}}, "OAuth client ci-bot"),
        ({"user": {}, "client": {"id": ""}}, "unknown"),  # a real UI answer's shape
        ({"user": "someone", "client": None}, "unknown"),
        ({}, "unknown"),
    ],
)
def test_author_of(entry: dict[str, object], label: str) -> None:
    assert author_of(entry).label() == label


def test_author_json() -> None:
    assert Author("client", "ci").to_json() == {
        "kind": "client",
        "id": "ci",
        "name": None,
    }
