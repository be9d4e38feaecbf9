"""Send-time URL safety: resolve once, refuse unsafe addresses, pin the IP."""

from __future__ import annotations

import pytest
from webhook_support import PUBLIC_IP, public_resolver

from gcsched.errors import WebhookError
from gcsched.webhooks import RefusedEndpointError, endpoint_label, pin, system_resolver


def resolving_to(*addresses: str) -> object:
    """A resolver answering `addresses` and remembering what it was asked."""
    calls: list[tuple[str, int]] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append((host, port))
        return list(addresses)

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


REFUSED = [
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.10",
    "127.0.0.1",
    "::1",
    "169.254.169.254",
    "169.254.10.10",
    "fd00:ec2::254",
    "fe80::1",
    "fc00::1",
    "100.64.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:93.184.216.34",
    "0.0.0.0",
    "::",
    "224.0.0.1",
]


@pytest.mark.anyio
@pytest.mark.parametrize("address", REFUSED)
async def test_unsafe_resolved_addresses_are_refused(address: str) -> None:
    """An https host resolving to a non-public address is refused, naming it."""
    resolver = resolving_to(address)
    with pytest.raises(RefusedEndpointError) as info:
        await pin("https://hooks.example.com/genesys?sig=s3cr3t", resolver)  # type: ignore[arg-type]
    message = info.value.message
    assert message.startswith("webhook endpoint https://hooks.example.com/genesys:")
    assert "hooks.example.com resolves to" in message
    assert "s3cr3t" not in message
    assert isinstance(info.value, WebhookError)
    assert resolver.calls == [("hooks.example.com", 443)]  # type: ignore[attr-defined]


@pytest.mark.anyio
@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "169.254.169.254"])
async def test_unsafe_literal_addresses_are_refused(address: str) -> None:
    """A literal address in an https URL is judged without resolving."""
    resolver = resolving_to(PUBLIC_IP)
    with pytest.raises(RefusedEndpointError, match="refused"):
        await pin(f"https://{address}/h", resolver)  # type: ignore[arg-type]
    assert resolver.calls == []  # type: ignore[attr-defined]


@pytest.mark.anyio
async def test_one_bad_address_among_good_ones_refuses() -> None:
    """Every resolved address must be acceptable, not just the first."""
    resolver = resolving_to(PUBLIC_IP, "10.0.0.5")
    with pytest.raises(RefusedEndpointError, match=r"10\.0\.0\.5"):
        await pin("https://hooks.example.com/h", resolver)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_public_address_is_pinned() -> None:
    """A public answer is pinned: IP in the URL, host in Host and SNI."""
    target = await pin("https://hooks.example.com:8443/g?x=1", public_resolver)
    assert target.url == f"https://{PUBLIC_IP}:8443/g?x=1"
    assert target.ip == PUBLIC_IP
    assert target.host_header == "hooks.example.com:8443"
    assert target.extensions == {"sni_hostname": "hooks.example.com"}


@pytest.mark.anyio
async def test_public_ipv6_is_pinned_with_brackets() -> None:
    """An IPv6 answer is bracketed in the pinned URL."""
    resolver = resolving_to("2606:2800:220:1:248:1893:25c8:1946")
    target = await pin("https://hooks.example.com/g", resolver)  # type: ignore[arg-type]
    assert target.url == "https://[2606:2800:220:1:248:1893:25c8:1946]/g"
    assert target.host_header == "hooks.example.com"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/h", "http://[::1]/h", "http://localhost:9/h"]
)
async def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    """Plain http reaches loopback (the file allowed it), without SNI."""
    target = await pin(url, resolving_to("127.0.0.1"))  # type: ignore[arg-type]
    assert target.extensions == {}
    assert target.ip in ("127.0.0.1", "::1")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("url", "address", "expected"),
    [
        ("http://hooks.example.com/h", PUBLIC_IP, "only to a loopback host"),
        ("http://localhost/h", PUBLIC_IP, "only to loopback"),
        ("http://localhost/h", "10.0.0.1", "private"),
        ("ftp://hooks.example.com/h", PUBLIC_IP, "use https"),
        ("file:///etc/passwd", PUBLIC_IP, "not an absolute URL"),
        ("https://hooks.example.com/h", "not-an-ip", "is not an IP"),
        ("https://[::1/h", PUBLIC_IP, "not a valid URL"),
    ],
)
async def test_other_refusals(url: str, address: str, expected: str) -> None:
    """Wrong schemes, http off loopback and bad resolver answers are refused."""
    with pytest.raises(RefusedEndpointError, match=expected):
        await pin(url, resolving_to(address))  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_empty_resolution_is_refused() -> None:
    """A name with no address is refused with the name."""
    with pytest.raises(RefusedEndpointError, match="resolves to no address"):
        await pin("https://hooks.example.com/h", resolving_to())  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_system_resolver_answers_literals_without_network() -> None:
    """The default resolver uses getaddrinfo (a literal needs no DNS)."""
    assert await system_resolver("127.0.0.1", 443) == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://user:pw@h.example:8443/p?token=t#f", "https://h.example:8443/p"),
        ("https://[::1]/p", "https://[::1]/p"),
        ("http://h.example", "http://h.example/"),
        ("https://[::1/h", "https://[::1/h"),
    ],
)
def test_endpoint_label_drops_credentials_and_query(url: str, label: str) -> None:
    """Messages name scheme, host, port and path only."""
    assert endpoint_label(url) == label
