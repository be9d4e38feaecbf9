"""Property: a resolved address is pinned exactly when the address rules allow it."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcsched.domain.webhook_urls import address_problem
from gcsched.webhooks import RefusedEndpointError, pin

addresses = st.one_of(
    st.ip_addresses(v=4),
    st.ip_addresses(v=6),
    st.ip_addresses(v=4).map(lambda ip: ipaddress.IPv6Address(f"::ffff:{ip}")),
)


@given(address=addresses, insecure=st.booleans())
def test_pin_agrees_with_the_address_rules(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, insecure: bool
) -> None:
    """https needs a public address, http a loopback one; pins go to that IP.

    (Plain http names a loopback host, as the offline check demands.)
    """

    async def resolve(host: str, port: int) -> list[str]:
        return [str(address)]

    scheme = "http" if insecure else "https"
    host = "localhost" if insecure else "hooks.example.com"
    allowed = address_problem(address, allow_loopback=insecure) is None and (
        not insecure or address.is_loopback
    )
    if not allowed:
        with pytest.raises(RefusedEndpointError, match=r"^webhook endpoint "):
            asyncio.run(pin(f"{scheme}://{host}/h", resolve))
        return
    target = asyncio.run(pin(f"{scheme}://{host}/h", resolve))
    assert target.ip == str(address)
    assert target.host_header == host
    assert not address.is_private or address.is_loopback
