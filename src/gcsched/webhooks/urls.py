"""Send-time URL safety: resolve once, refuse unsafe addresses, pin the IP.

The schedule file's URLs were checked offline (scheme, host spelling, literal
addresses) by `gcsched.domain.webhook_urls.check_url`; the same check runs again
here first (one rule: what passed `validate` is not refused for what it says), with
``allow_insecure_loopback`` read from the scheme (an ``http`` URL can only be in the
outbox when its endpoint allowed it). Then the host is resolved once with
an injectable resolver; every address it returns must be acceptable, and the
request then goes to the first one (the `Host` header and, for TLS, the SNI name
and certificate check keep the original host name), so a DNS answer that changes
between check and connect (DNS rebinding) cannot redirect the request.

Rules: ``https`` to public addresses only; plain ``http`` only to loopback (such a
URL can only be in the outbox when its endpoint set `allow_insecure_loopback`);
private, link-local, metadata, CGNAT, IPv4-mapped, unspecified and multicast
addresses are refused by `gcsched.domain.webhook_urls.address_problem`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from gcsched.domain.webhook_urls import address_problem, check_url
from gcsched.errors import WebhookError

__all__ = [
    "PinnedTarget",
    "RefusedEndpointError",
    "Resolver",
    "endpoint_label",
    "pin",
    "system_resolver",
]

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Resolves (host, port) to IP address strings."""


class RefusedEndpointError(WebhookError):
    """The endpoint's URL or resolved address is not allowed (a permanent refusal)."""


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """Where one delivery goes: the URL with the pinned IP, and how to name the host."""

    url: str
    ip: str
    host_header: str
    extensions: dict[str, str] = field(default_factory=dict)


def endpoint_label(url: str) -> str:
    """How messages name an endpoint: scheme, host, port and path only.

    User info and query strings are dropped because they may carry credentials.

    Args:
        url: the endpoint URL as written in the schedule file.

    Returns:
        e.g. ``https://hooks.example.com/genesys``; the raw text, cut to 200
        characters, when it does not parse as a URL.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return url[:200]
    host = parsed.host
    if ":" in host:
        host = f"[{host}]"
    port = f":{parsed.port}" if parsed.port is not None else ""
    return f"{parsed.scheme}://{host}{port}{parsed.path}"


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve `host` with the operating system (`getaddrinfo`), TCP only.

    Args:
        host: a host name.
        port: the port to connect to.

    Returns:
        The IP address strings, in the resolver's order, without duplicates.

    Raises:
        OSError: the name does not resolve.
    """
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0])] = None
    return list(seen)


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def pin(url: str, resolver: Resolver) -> PinnedTarget:
    """Check `url` against the send-time rules and pin it to one resolved address.

    Args:
        url: the endpoint URL from the outbox.
        resolver: resolves (host, port) to IP strings.

    Returns:
        The `PinnedTarget` to send to.

    Raises:
        RefusedEndpointError: the scheme or a resolved address is not allowed, or
            the name resolves to nothing; the message names the endpoint.
        OSError: the resolver failed (temporary: try again later).
    """
    url = url.strip()  # as the offline check reads it
    label = endpoint_label(url)
    offline = check_url(url, allow_insecure_loopback=url.strip()[:5].lower() == "http:")
    if offline:
        msg = f"webhook endpoint {label}: refused: {'; '.join(offline)}"
        raise RefusedEndpointError(msg)
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        msg = f"webhook endpoint {label}: not a valid URL"
        raise RefusedEndpointError(msg) from exc
    scheme = parsed.scheme
    if scheme not in ("https", "http") or not parsed.host:
        msg = f"webhook endpoint {label}: only https URLs are allowed"
        raise RefusedEndpointError(msg)
    insecure = scheme == "http"
    port = parsed.port or (443 if scheme == "https" else 80)
    literal = _literal(parsed.host)
    addresses = (
        [parsed.host] if literal is not None else await resolver(parsed.host, port)
    )
    if not addresses:
        msg = f"webhook endpoint {label}: {parsed.host} resolves to no address"
        raise RefusedEndpointError(msg)
    chosen: str | None = None
    for text in addresses:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError as exc:
            msg = f"webhook endpoint {label}: {text!r} from the resolver is not an IP"
            raise RefusedEndpointError(msg) from exc
        problem = address_problem(ip, allow_loopback=insecure)
        if problem is None and insecure and not ip.is_loopback:
            problem = "plain http is allowed only to loopback (127.0.0.1, ::1)"
        if problem is not None:
            via = "" if literal is not None else f"{parsed.host} resolves to {ip}: "
            msg = f"webhook endpoint {label}: refused: {via}{problem}"
            raise RefusedEndpointError(msg)
        chosen = chosen or str(ip)
    assert chosen is not None  # addresses is not empty
    extensions = (
        {"sni_hostname": parsed.host} if not insecure and literal is None else {}
    )
    return PinnedTarget(
        url=str(parsed.copy_with(host=chosen)),
        ip=chosen,
        host_header=parsed.netloc.decode("ascii"),
        extensions=extensions,
    )
