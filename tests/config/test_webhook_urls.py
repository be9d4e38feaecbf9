"""Offline webhook URL checks: schemes, credentials and every forbidden address."""

from __future__ import annotations

import ipaddress

import pytest

from gcsched.domain.webhook_urls import address_problem, check_url, parse_numeric_host


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("10.1.2.3", "10.1.2.3 is a private (internal network) address"),
        ("172.16.0.1", "172.16.0.1 is a private (internal network) address"),
        ("192.168.1.1", "192.168.1.1 is a private (internal network) address"),
        ("fc00::1", "fc00::1 is a private (internal network) address"),
        ("169.254.10.10", "169.254.10.10 is a link-local address"),
        ("fe80::1", "fe80::1 is a link-local address"),
        ("169.254.169.254", "169.254.169.254 is a cloud metadata service address"),
        ("fd00:ec2::254", "fd00:ec2::254 is a cloud metadata service address"),
        ("100.100.100.200", "100.100.100.200 is a cloud metadata service address"),
        (
            "100.64.0.1",
            "100.64.0.1 is a carrier-grade NAT (shared, 100.64.0.0/10) address",
        ),
        ("0.0.0.0", "0.0.0.0 is an unspecified ('this host') address"),
        ("0.1.2.3", "0.1.2.3 is an unspecified ('this host') address"),
        ("::", ":: is an unspecified ('this host') address"),
        ("224.0.0.1", "224.0.0.1 is a multicast address"),
        ("ff02::1", "ff02::1 is a multicast address"),
        ("240.0.0.1", "240.0.0.1 is a reserved address"),
        ("fec0::1", "fec0::1 is a site-local address"),
        ("192.0.2.1", "192.0.2.1 is a private (internal network) address"),
        ("2001:db8::1", "2001:db8::1 is a private (internal network) address"),
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("127.8.9.10", "127.8.9.10 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        (
            "::ffff:10.0.0.1",
            "::ffff:a00:1 is an IPv4-mapped IPv6 address "
            "(10.0.0.1 is a private (internal network) address); use the IPv4 address",
        ),
        (
            "::ffff:8.8.8.8",
            "::ffff:808:808 is an IPv4-mapped IPv6 address; use the IPv4 address",
        ),
        ("::7f00:1", "::7f00:1 is a deprecated IPv4-compatible IPv6 address"),
        (
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::a9fe:a9fe embeds an IPv4 address that is not allowed "
            "(169.254.169.254 is a cloud metadata service address)",
        ),
        (
            "2002:c0a8:101::1",
            "2002:c0a8:101::1 embeds an IPv4 address that is not allowed "
            "(192.168.1.1 is a private (internal network) address)",
        ),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("64:ff9b::808:808", None),
    ],
)
def test_address_classes(address: str, expected: str | None) -> None:
    """Each forbidden class is named; public addresses pass."""
    assert (
        address_problem(ipaddress.ip_address(address), allow_loopback=False) == expected
    )


def test_loopback_allowed_only_when_asked() -> None:
    """Loopback passes with allow_loopback, other classes still do not."""
    assert (
        address_problem(ipaddress.ip_address("127.0.0.1"), allow_loopback=True) is None
    )
    assert address_problem(ipaddress.ip_address("::1"), allow_loopback=True) is None
    assert address_problem(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("192.168.257", "192.168.1.1"),
        ("example.com", None),
        ("1.2.3.4.5", None),
        ("256.1.1.1", None),
        ("4294967296", None),
        ("09.1.1.1", None),
        ("0xzz.1", None),
    ],
)
def test_numeric_host_spellings(host: str, expected: str | None) -> None:
    """inet_aton spellings of IPv4 addresses are seen through."""
    result = parse_numeric_host(host)
    assert (str(result) if result else None) == expected


@pytest.mark.parametrize(
    ("url", "allow", "expected"),
    [
        ("https://hooks.example.com/x", False, []),
        ("https://hooks.example.com:8443/x?a=1", False, []),
        ("http://127.0.0.1:9000/hook", True, []),
        ("http://[::1]:9000/hook", True, []),
        ("http://localhost/hook", True, []),
        (
            "https://127.0.0.1/hook",
            True,
            [
                "https to the loopback host 127.0.0.1 is never sent (its certificate "
                "cannot be checked); allow_insecure_loopback permits plain http to "
                "it: write http://127.0.0.1/hook"
            ],
        ),
        (
            "http://hooks.example.com/x",
            False,
            [
                "plain http is not allowed; use https (allow_insecure_loopback: true "
                "permits http to 127.0.0.1 or ::1 only)"
            ],
        ),
        (
            "http://hooks.example.com/x",
            True,
            [
                "plain http is allowed only to a loopback host "
                "(127.0.0.0/8, ::1 or localhost); use https"
            ],
        ),
        (
            "ftp://hooks.example.com/x",
            False,
            ["scheme 'ftp' is not allowed; use https"],
        ),
        (
            "https://user:pass@hooks.example.com/x",
            False,
            [
                "credentials in the URL are not allowed; webhooks are signed with the "
                "secret named in secret_env"
            ],
        ),
        ("https://127.0.0.1/x", False, ["127.0.0.1 is a loopback address"]),
        ("https://localhost/x", False, ["localhost is a loopback host name"]),
        (
            "https://2130706433/x",
            False,
            [
                "host '2130706433' is a non-standard spelling of 127.0.0.1; write "
                "addresses in plain dotted decimal",
                "127.0.0.1 is a loopback address",
            ],
        ),
        (
            "https://[::ffff:169.254.169.254]/",
            False,
            [
                "::ffff:a9fe:a9fe is an IPv4-mapped IPv6 address (169.254.169.254 is a "
                "cloud metadata service address); use the IPv4 address"
            ],
        ),
        (
            "https://metadata.google.internal/x",
            False,
            ["metadata.google.internal is a cloud metadata service host name"],
        ),
        ("https://[fe80::1%25eth0]/x", False, ["fe80::1 is a link-local address"]),
        (
            "https://10.0.0.1./x",
            False,
            ["10.0.0.1 is a private (internal network) address"],
        ),
        (
            "hooks.example.com/x",
            False,
            ["not an absolute URL; write it like https://hooks.example.com/path"],
        ),
        ("https://:443/x", False, ["the URL has no host"]),
        ("https://[::1/x", False, ["not a valid URL: Invalid IPv6 URL"]),
        (
            "https://example.com:99999/",
            False,
            ["not a valid URL: Port out of range 0-65535"],
        ),
        ("https://example.com:0/", False, ["port 0 is not a usable port"]),
    ],
)
def test_check_url(url: str, allow: bool, expected: list[str]) -> None:
    """Scheme, credentials, literal addresses and metadata hosts are checked."""
    assert check_url(url, allow_insecure_loopback=allow) == expected


def test_credentials_are_never_echoed() -> None:
    """A password in the URL does not appear in any message."""
    problems = check_url(
        "https://admin:hunter2@10.0.0.1/", allow_insecure_loopback=False
    )
    assert problems
    assert not any("hunter2" in p or "admin" in p for p in problems)
