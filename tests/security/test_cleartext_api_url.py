"""Plain http:// API URLs are refused except to loopback, unless --insecure-http."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from gcsched.cli.app import app, hoist_globals
from gcsched.client import Credentials, GenesysClient, resolve_api_url
from gcsched.errors import InputError

CREDS = Credentials("client-id-1", "s3cr3t-value")


@pytest.mark.parametrize(
    ("api_url", "env", "source"),
    [
        ("http://api.mypurecloud.com", {}, "--api-url"),
        ("http://10.0.0.5:8080", {}, "--api-url"),
        (None, {"GCSCHED_API_URL": "http://api.evil.example"}, "GCSCHED_API_URL"),
        ("http://127.0.0.1.evil.example", {}, "--api-url"),
    ],
)
def test_http_to_a_remote_host_is_refused(
    api_url: str | None, env: dict[str, str], source: str
) -> None:
    with pytest.raises(InputError) as info:
        resolve_api_url(api_url=api_url, env=env, region=None, file_region=None)
    message = str(info.value)
    assert message.startswith(source)
    assert "cleartext" in message or "unencrypted" in message
    assert "--insecure-http" in message
    assert "https://" in message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://127.1.2.3",
        "http://localhost:8765",
        "http://[::1]:8765",
        "https://api.mypurecloud.com",
    ],
)
def test_loopback_and_https_are_accepted(url: str) -> None:
    got = resolve_api_url(api_url=url, env={}, region=None, file_region=None)
    assert got == url


def test_insecure_http_accepts_a_remote_http_url() -> None:
    got = resolve_api_url(
        api_url="http://test-api.internal:8080",
        env={},
        region=None,
        file_region=None,
        insecure_http=True,
    )
    assert got == "http://test-api.internal:8080"


def test_the_library_client_refuses_cleartext_too() -> None:
    with pytest.raises(InputError) as info:
        GenesysClient("http://api.mypurecloud.com", CREDS)
    assert "api_url" in str(info.value)
    GenesysClient("http://api.mypurecloud.com", CREDS, insecure_http=True)
    # In process, nothing travels on a network: no refusal.
    GenesysClient(
        "http://sandbox.test",
        CREDS,
        transport=httpx.MockTransport(lambda _r: httpx.Response(200)),
    )


def test_the_cli_refuses_and_names_the_flag(tmp_path: object) -> None:
    runner = CliRunner()
    env = {
        "GENESYSCLOUD_OAUTHCLIENT_ID": "client-id-1",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET": "s3cr3t-value",
        "GCSCHED_API_URL": "http://api.evil.example",
    }
    result = runner.invoke(
        app, hoist_globals(["export", "--state-dir", str(tmp_path)]), env=env
    )
    assert result.exit_code == 2, result.output
    assert "GCSCHED_API_URL" in result.stderr
    assert "--insecure-http" in result.stderr
    assert "s3cr3t" not in result.stderr


def test_insecure_http_is_a_global_flag() -> None:
    """Accepted before or after the command, like the other global flags."""
    assert hoist_globals(["plan", "f.yaml", "--insecure-http"]) == [
        "--insecure-http",
        "plan",
        "f.yaml",
    ]
