"""Where to connect: Genesys Cloud regions, API URLs and the login host.

Precedence (design.md, CLI): ``--api-url`` > ``GCSCHED_API_URL`` > ``--region`` >
``GENESYSCLOUD_REGION`` > the schedule file's ``org.region``; nothing given is an
error that lists the options.

Plain ``http://`` would send the client secret and tokens in cleartext: it is
refused except to a loopback host (127.0.0.0/8, ::1, ``localhost``: the sandbox),
unless the caller says ``insecure_http`` (the CLI's ``--insecure-http``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import urlsplit

from gcsched.client.credentials import CLIENT_ID_VAR, CLIENT_SECRET_VAR
from gcsched.errors import InputError

__all__ = [
    "REGIONS",
    "is_loopback_host",
    "login_url_for",
    "refuse_cleartext",
    "resolve_api_url",
]

# From the official SDK's PureCloudRegionHosts (genesys-api.md §4).
_REGION_HOSTS: dict[str, str] = {
    "us-east-1": "mypurecloud.com",
    "eu-west-1": "mypurecloud.ie",
    "ap-southeast-2": "mypurecloud.com.au",
    "ap-northeast-1": "mypurecloud.jp",
    "eu-central-1": "mypurecloud.de",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "ap-northeast-2": "apne2.pure.cloud",
    "eu-west-2": "euw2.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "us-east-2": "use2.us-gov-pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
    "eu-central-2": "euc2.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}

REGIONS: Mapping[str, str] = MappingProxyType(
    {name: f"https://api.{host}" for name, host in _REGION_HOSTS.items()}
)
"""Region name (``us-east-1`` spelling) → API base URL."""

_WHERE_HELP = (
    "say where to connect with --api-url URL, GCSCHED_API_URL, --region REGION, "
    "GENESYSCLOUD_REGION, or org.region in the schedule file "
    "(or use --sandbox for the local sandbox)"
)


def _refuse_user_info(text: str, source: str) -> None:
    """Credentials in a URL would end up in messages and logs: refuse them.

    The message names the source, never the value.
    """
    authority = text.split("://", 1)[-1].split("/", 1)[0]
    if "@" in authority:
        msg = (
            f"{source} must not carry user:password@; credentials never go in a "
            f"URL (the OAuth client comes from {CLIENT_ID_VAR} and "
            f"{CLIENT_SECRET_VAR}, a proxy and its credentials from HTTPS_PROXY)"
        )
        raise InputError(msg)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1, ``localhost`` (and ``*.localhost``)."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refuse_cleartext(url: str, source: str, *, insecure_http: bool) -> None:
    """Refuse an ``http://`` URL to a host that is not loopback.

    Args:
        url: the API base URL.
        source: where it came from (``--api-url``, ``GCSCHED_API_URL`` …).
        insecure_http: the caller accepts cleartext (``--insecure-http``).

    Raises:
        InputError: plain http to a non-loopback host, without `insecure_http`.
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or insecure_http:
        return
    host = parts.hostname or ""
    if is_loopback_host(host):
        return
    msg = (
        f"{source} {url} uses plain http to {host}: the OAuth client secret and "
        "tokens would cross the network unencrypted. Use https:// (the Genesys "
        "API is https only); plain http is accepted only to a loopback host "
        "(127.0.0.1, ::1, localhost), or with --insecure-http (library: "
        "insecure_http=True) for a test server you trust"
    )
    raise InputError(msg)


def _known_regions() -> str:
    return ", ".join(sorted(REGIONS))


def _normalise_url(value: str, source: str) -> str:
    text = value.strip()
    _refuse_user_info(text, source)
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        msg = (
            f"{source} {value!r} is not an http(s) URL; "
            "give e.g. https://api.mypurecloud.com"
        )
        raise InputError(msg)
    if parts.query or parts.fragment:
        msg = (
            f"{source} must not carry a query or fragment; give only the base URL, "
            "e.g. https://api.mypurecloud.com"
        )
        raise InputError(msg)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _region_to_url(value: str, source: str) -> str:
    text = value.strip()
    _refuse_user_info(text, source)
    key = text.lower().replace("_", "-")
    if key in REGIONS:
        return REGIONS[key]
    if "." not in text:
        msg = (
            f"{source} {value!r} is not a known Genesys Cloud region; "
            f"known regions: {_known_regions()} (or give a host such as "
            "mypurecloud.ie)"
        )
        raise InputError(msg)
    host = text
    if "://" in host:
        host = urlsplit(host).netloc or host.split("://", 1)[1]
    host = host.strip("/").lower()
    if "/" in host or not host:
        msg = f"{source} {value!r} is not a region or a host name"
        raise InputError(msg)
    for prefix in ("api.", "login."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    return f"https://api.{host}"


def resolve_api_url(
    *,
    api_url: str | None,
    env: Mapping[str, str],
    region: str | None,
    file_region: str | None,
    insecure_http: bool = False,
) -> str:
    """Pick the API base URL by design.md's precedence.

    Args:
        api_url: ``--api-url`` (a full URL; a bare host gets ``https://``).
        env: the environment (``GCSCHED_API_URL``, ``GENESYSCLOUD_REGION``).
        region: ``--region``: a region (``us-east-1`` or ``us_east_1``) or a host
            (``mypurecloud.ie``, ``api.mypurecloud.ie``, ``https://api...``).
        file_region: the schedule file's ``org.region``, same forms as ``region``.
        insecure_http: accept ``http://`` to a host that is not loopback.

    Returns:
        The base URL without a trailing slash, e.g. ``https://api.mypurecloud.ie``.

    Raises:
        InputError: nothing says where to connect, or a value is not a known
            region, host or URL (the message lists the known regions), or it is
            plain http to a host that is not loopback (without `insecure_http`).
    """
    for value, source in (
        (api_url, "--api-url"),
        (env.get("GCSCHED_API_URL"), "GCSCHED_API_URL"),
    ):
        if value and value.strip():
            url = _normalise_url(value, source)
            refuse_cleartext(url, source, insecure_http=insecure_http)
            return url
    if region and region.strip():
        return _region_to_url(region, "--region")
    env_region = env.get("GENESYSCLOUD_REGION", "")
    if env_region.strip():
        return _region_to_url(env_region, "GENESYSCLOUD_REGION")
    if file_region and file_region.strip():
        return _region_to_url(file_region, "org.region in the schedule file")
    msg = f"No Genesys Cloud region or API URL given: {_WHERE_HELP}."
    raise InputError(msg)


def login_url_for(api_url: str) -> str:
    """The OAuth login origin for an API base URL.

    Like the official SDK, ``//api.`` becomes ``//login.``; any other host (the
    sandbox, a proxy) keeps the same origin. The token endpoint is
    ``<login>/oauth/token``.

    Args:
        api_url: the API base URL.

    Returns:
        The login origin without a trailing slash.
    """
    parts = urlsplit(api_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if "//api." in origin:
        return origin.replace("//api.", "//login.", 1)
    return origin
