"""One rule for webhook URLs: what passes `validate` is not refused at send time."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcsched.domain.webhook_urls import check_url
from gcsched.webhooks import RefusedEndpointError, pin

PUBLIC_IP = "93.184.216.34"


async def _resolve(host: str, port: int) -> list[str]:
    """Loopback for loopback names, a public address for everything else."""
    low = host.lower()
    if low == "localhost" or low.endswith(".localhost"):
        return ["127.0.0.1"]
    return [PUBLIC_IP]


@pytest.mark.parametrize(
    ("url", "allow", "said"),
    [
        ("https://[::1]/", True, "https to the loopback host ::1 is never sent"),
        ("https://127.0.0.1/h", True, "write http://127.0.0.1/h"),
        ("https://localhost/h", True, "https to the loopback host localhost"),
        ("https://①②⑦.0.0.1/", False, "is not plain ASCII"),
        ("https://①②⑦.0.0.1/", True, "is not plain ASCII"),
        ("https://exa mple.com/", False, "is not a host name"),
        ("https://hooks%2eexample.com/", False, "is not a host name"),
        ("https://a..b.example/", False, "is not a host name"),
        ("https://999.1.1.1/", False, "looks like an IPv4 address"),
        ("https://1a2b3c4/", False, "looks like an IPv4 address"),
        ("https://a\t.example/", False, "control character"),
    ],
)
def test_urls_dead_at_send_time_are_refused_offline(
    url: str, allow: bool, said: str
) -> None:
    """These passed `validate` and then were refused (or unreachable) when sent."""
    problems = check_url(url, allow_insecure_loopback=allow)
    assert any(said in p for p in problems), problems
    with pytest.raises(RefusedEndpointError, match=r"^webhook endpoint "):
        asyncio.run(pin(url, _resolve))


@pytest.mark.parametrize(
    ("url", "allow"),
    [
        ("https://hooks.example.com/h", False),
        ("https://xn--bcher-kva.example/h", False),
        ("https://a_b.example:8443/h?x=1", False),
        ("https://93.184.216.34/h", False),
        ("https://0x-a/h", False),  # a DNS label, not hex: once a crash
        ("http://127.0.0.1:9000/h", True),
        ("http://[::1]:9000/h", True),
        ("http://localhost/h", True),
        ("http://hooks.localhost/h", True),
    ],
)
def test_accepted_urls_are_sent(url: str, allow: bool) -> None:
    assert check_url(url, allow_insecure_loopback=allow) == []
    asyncio.run(pin(url, _resolve))


_HOST_CHARS = st.sampled_from(
    [*"abcxyz019-_.", " ", "%", "①", "ü", "[", "]", ":", "@", "\t", "0x"]
)
hosts = st.one_of(
    st.lists(_HOST_CHARS, min_size=1, max_size=14).map("".join),
    st.sampled_from(
        ["localhost", "127.0.0.1", "[::1]", "10.0.0.1", PUBLIC_IP, "2130706433"]
    ),
)


@given(
    scheme=st.sampled_from(["http", "https"]),
    host=hosts,
    port=st.sampled_from(["", ":443", ":9000"]),
    allow=st.booleans(),
)
def test_validate_implies_sendable(
    scheme: str, host: str, port: str, allow: bool
) -> None:
    """Property: check_url finds nothing ⇒ pin (with an honest resolver) pins it."""
    url = f" {scheme}://{host}{port}/hook "
    if check_url(url, allow_insecure_loopback=allow):
        return
    target = asyncio.run(pin(url, _resolve))
    assert target.ip
