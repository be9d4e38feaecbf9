"""Credentials from the environment; the secret never shows."""

from __future__ import annotations

import pytest

from gcsched.client import Credentials, credentials_from_env
from gcsched.errors import InputError


def test_from_env() -> None:
    """Both variables give the credentials."""
    creds = credentials_from_env(
        {
            "GENESYSCLOUD_OAUTHCLIENT_ID": "abc",
            "GENESYSCLOUD_OAUTHCLIENT_SECRET": "xyz-secret",
        }
    )
    assert creds == Credentials("abc", "xyz-secret")


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ("GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET")),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "abc"}, ("GENESYSCLOUD_OAUTHCLIENT_SECRET",)),
        (
            {"GENESYSCLOUD_OAUTHCLIENT_ID": "", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "s"},
            ("GENESYSCLOUD_OAUTHCLIENT_ID",),
        ),
    ],
)
def test_missing_variables_are_named(
    env: dict[str, str], missing: tuple[str, ...]
) -> None:
    """A missing variable is an input error naming it, never a value."""
    with pytest.raises(InputError) as info:
        credentials_from_env(env)
    for name in missing:
        assert name in str(info.value)
    assert info.value.exit_code == 2


def test_secret_never_in_repr_or_str() -> None:
    """repr() and str() show the client id only."""
    creds = Credentials("client-1", "very-secret-value")
    assert "very-secret-value" not in repr(creds)
    assert "very-secret-value" not in str(creds)
    assert "client-1" in repr(creds)
