"""Credentials per environment: `..._ID_<ENV>` / `..._SECRET_<ENV>` first."""

from __future__ import annotations

import pytest

from gcsched.client.credentials import credentials_from_env, env_suffix
from gcsched.errors import InputError

PLAIN = {"GENESYSCLOUD_OAUTHCLIENT_ID": "plain", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "s"}


def test_env_suffix() -> None:
    assert env_suffix("eu-prod") == "EU_PROD"
    assert env_suffix("dev.2") == "DEV_2"


def test_the_environment_pair_wins_over_the_plain_names() -> None:
    env = {
        **PLAIN,
        "GENESYSCLOUD_OAUTHCLIENT_ID_EU_PROD": "prod-client",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET_EU_PROD": "prod-secret",
    }
    creds = credentials_from_env(env, environment="eu-prod")
    assert (creds.client_id, creds.client_secret) == ("prod-client", "prod-secret")
    assert credentials_from_env(env).client_id == "plain"


def test_without_the_environment_pair_the_plain_names() -> None:
    assert credentials_from_env(PLAIN, environment="dev").client_id == "plain"


def test_half_an_environment_pair_is_never_mixed_with_the_plain_names() -> None:
    env = {**PLAIN, "GENESYSCLOUD_OAUTHCLIENT_ID_DEV": "dev-client"}
    with pytest.raises(InputError) as caught:
        credentials_from_env(env, environment="dev")
    assert "set GENESYSCLOUD_OAUTHCLIENT_SECRET_DEV" in caught.value.message
