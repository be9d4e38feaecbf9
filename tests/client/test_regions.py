"""Where to connect: region spellings, hosts, precedence, login host."""

from __future__ import annotations

import pytest

from gcsched.client import REGIONS, login_url_for, resolve_api_url
from gcsched.errors import InputError

IE = "https://api.mypurecloud.ie"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("us-east-1", "https://api.mypurecloud.com"),
        ("us_east_1", "https://api.mypurecloud.com"),
        ("US_EAST_1", "https://api.mypurecloud.com"),
        ("eu-west-1", IE),
        ("mypurecloud.ie", IE),
        ("api.mypurecloud.ie", IE),
        ("https://api.mypurecloud.ie", IE),
        ("https://api.mypurecloud.ie/", IE),
        ("login.mypurecloud.ie", IE),
        ("usw2.pure.cloud", "https://api.usw2.pure.cloud"),
    ],
)
def test_region_spellings(value: str, expected: str) -> None:
    """Region names in both spellings and host names all give the API URL."""
    got = resolve_api_url(api_url=None, env={}, region=value, file_region=None)
    assert got == expected


@pytest.mark.parametrize(
    ("api_url", "env", "region", "file_region", "expected"),
    [
        (
            "http://127.0.0.1:8765",
            {
                "GCSCHED_API_URL": "https://x.example",
                "GENESYSCLOUD_REGION": "eu-west-1",
            },
            "us-east-1",
            "ap-south-1",
            "http://127.0.0.1:8765",
        ),
        (
            None,
            {
                "GCSCHED_API_URL": "https://x.example/",
                "GENESYSCLOUD_REGION": "eu-west-1",
            },
            "us-east-1",
            "ap-south-1",
            "https://x.example",
        ),
        (
            None,
            {"GENESYSCLOUD_REGION": "eu-west-1"},
            "us-east-1",
            "ap-south-1",
            "https://api.mypurecloud.com",
        ),
        (None, {"GENESYSCLOUD_REGION": "eu-west-1"}, None, "ap-south-1", IE),
        (None, {}, None, "ap-south-1", "https://api.aps1.pure.cloud"),
        ("", {"GCSCHED_API_URL": "  "}, "", "eu_west_1", IE),
    ],
)
def test_precedence(
    api_url: str | None,
    env: dict[str, str],
    region: str | None,
    file_region: str | None,
    expected: str,
) -> None:
    """--api-url > GCSCHED_API_URL > --region > GENESYSCLOUD_REGION > org.region."""
    got = resolve_api_url(
        api_url=api_url, env=env, region=region, file_region=file_region
    )
    assert got == expected


def test_nothing_given_explains_the_options() -> None:
    """With nothing to go on, the error lists every way to say where to connect."""
    with pytest.raises(InputError) as info:
        resolve_api_url(api_url=None, env={}, region=None, file_region=None)
    text = str(info.value)
    for option in ("--api-url", "GCSCHED_API_URL", "--region", "GENESYSCLOUD_REGION"):
        assert option in text
    assert "org.region" in text


def test_unknown_region_lists_known_ones() -> None:
    """An unknown region name is an error that names the source and known regions."""
    with pytest.raises(InputError) as info:
        resolve_api_url(
            api_url=None,
            env={"GENESYSCLOUD_REGION": "mars-1"},
            region=None,
            file_region=None,
        )
    text = str(info.value)
    assert "GENESYSCLOUD_REGION" in text
    assert "mars-1" in text
    assert "us-east-1" in text
    assert "eu-west-1" in text


@pytest.mark.parametrize(
    "bad", ["ftp://api.mypurecloud.com", "https://", "http://h/?a=1"]
)
def test_bad_api_url(bad: str) -> None:
    """An --api-url that is not an http(s) URL is refused with the flag named."""
    with pytest.raises(InputError, match="--api-url"):
        resolve_api_url(api_url=bad, env={}, region=None, file_region=None)


def test_regions_mapping_has_both_known_hosts() -> None:
    """REGIONS maps region names to API base URLs."""
    assert REGIONS["us-east-1"] == "https://api.mypurecloud.com"
    assert REGIONS["eu-central-1"] == "https://api.mypurecloud.de"
    assert all(url.startswith("https://api.") for url in REGIONS.values())


@pytest.mark.parametrize(
    ("api_url", "login"),
    [
        ("https://api.mypurecloud.ie", "https://login.mypurecloud.ie"),
        ("https://api.usw2.pure.cloud", "https://login.usw2.pure.cloud"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("https://proxy.example.com/genesys", "https://proxy.example.com"),
    ],
)
def test_login_url(api_url: str, login: str) -> None:
    """//api. becomes //login.; any other host keeps its origin."""
    assert login_url_for(api_url) == login
