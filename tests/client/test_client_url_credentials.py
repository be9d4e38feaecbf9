"""Where-to-connect values never carry credentials, and errors never echo them."""

from __future__ import annotations

import pytest

from gcsched.client import resolve_api_url
from gcsched.errors import InputError


@pytest.mark.parametrize(
    ("kwargs", "env", "source"),
    [
        ({"api_url": "https://user:pw-XYZ@api.mypurecloud.com"}, {}, "--api-url"),
        (
            {},
            {"GCSCHED_API_URL": "https://user:pw-XYZ@proxy.example"},
            "GCSCHED_API_URL",
        ),
        ({"region": "https://user:pw-XYZ@api.mypurecloud.ie"}, {}, "--region"),
        (
            {},
            {"GENESYSCLOUD_REGION": "user:pw-XYZ@mypurecloud.ie"},
            "GENESYSCLOUD_REGION",
        ),
    ],
)
def test_user_info_in_the_url_is_refused_without_echoing_it(
    kwargs: dict[str, str], env: dict[str, str], source: str
) -> None:
    """user:password@ in a URL or host is refused, naming the source, not the value."""
    args = {"api_url": None, "region": None, "file_region": None, **kwargs}
    with pytest.raises(InputError) as info:
        resolve_api_url(env=env, **args)
    message = str(info.value)
    assert source in message
    assert "pw-XYZ" not in message
    assert "HTTPS_PROXY" in message


def test_query_in_api_url_is_refused_without_echoing_it() -> None:
    """A query string is refused; its content (maybe a token) is not repeated."""
    with pytest.raises(InputError) as info:
        resolve_api_url(
            api_url="https://api.mypurecloud.com/?access_token=tok-XYZ",
            env={},
            region=None,
            file_region=None,
        )
    assert "query" in str(info.value)
    assert "tok-XYZ" not in str(info.value)
