"""Offline safety checks for webhook URLs and the addresses they point to.

Pure: only `ipaddress`, `re` and `urllib.parse`, no name resolution. `check_url`
looks at what the URL says literally (scheme, credentials, the host's spelling, a
literal address or a well-known metadata host name); `address_problem` judges one IP
address. Both are THE rule: the sender runs `check_url` again at send time, then
`address_problem` on every address a host name resolves to, so a URL that passes
`validate` is not refused later for what it says.

Loopback is reachable only by plain http with ``allow_insecure_loopback`` (a
certificate for 127.0.0.1 cannot be checked, and at send time the outbox knows only
the URL: http means the endpoint allowed it). Host names are plain ASCII letters,
digits, ``-`` and ``_`` in non-empty labels; a host that looks like an IPv4 address
must be one, in dotted decimal.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

__all__ = ["address_problem", "check_url", "parse_numeric_host"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
_METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)


def address_problem(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Say why a webhook may not be sent to `ip`, or None when it may.

    Args:
        ip: A literal or resolved address.
        allow_loopback: True to accept 127.0.0.0/8 and ::1 (for local testing).

    Returns:
        A sentence naming the address and its class, or None for a public address.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        problem = _ipv6_problem(ip, allow_loopback=allow_loopback)
        if problem is not None or ip in _NAT64:
            return problem  # NAT64 of a public IPv4 address is public
    if ip in _METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata service address"
    if ip.is_unspecified or (
        isinstance(ip, ipaddress.IPv4Address) and ip in _THIS_NETWORK
    ):
        return f"{ip} is an unspecified ('this host') address"
    if ip.is_loopback:
        return None if allow_loopback else f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return f"{ip} is a carrier-grade NAT (shared, 100.64.0.0/10) address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return f"{ip} is a site-local address"
    if ip.is_reserved:
        return f"{ip} is a reserved address"
    if ip.is_private:
        return f"{ip} is a private (internal network) address"
    if not ip.is_global:
        return f"{ip} is not a public internet address"
    return None


def _ipv6_problem(ip: ipaddress.IPv6Address, *, allow_loopback: bool) -> str | None:
    """Problems specific to IPv6 forms that embed an IPv4 address."""
    if ip.ipv4_mapped is not None:
        inner = address_problem(ip.ipv4_mapped, allow_loopback=allow_loopback)
        detail = f" ({inner})" if inner else ""
        return f"{ip} is an IPv4-mapped IPv6 address{detail}; use the IPv4 address"
    if ip in _IPV4_COMPATIBLE and not (ip.is_loopback or ip.is_unspecified):
        return f"{ip} is a deprecated IPv4-compatible IPv6 address"
    embedded: ipaddress.IPv4Address | None = None
    if ip in _NAT64:
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    elif ip.sixtofour is not None:
        embedded = ip.sixtofour
    elif ip.teredo is not None:
        embedded = ip.teredo[1]
    if embedded is not None:
        inner = address_problem(embedded, allow_loopback=False)
        if inner is not None:
            return f"{ip} embeds an IPv4 address that is not allowed ({inner})"
    return None


def parse_numeric_host(host: str) -> ipaddress.IPv4Address | None:
    """Read a host the way `inet_aton` would: `2130706433`, `0x7f.1`, `0177.0.0.1`.

    Resolvers accept these spellings of IPv4 addresses, so the checks must see
    through them.

    Args:
        host: A host name from a URL (no brackets, no port).

    Returns:
        The address, or None when `host` is not a numeric IPv4 spelling.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        low = part.lower()
        try:
            if low.startswith("0x"):
                digits = low[2:]
                if not all(c in "0123456789abcdef" for c in digits):
                    return None  # int() would accept "-a", "_1", " 1"
                numbers.append(int(digits, 16))
            elif len(low) > 1 and low.startswith("0"):
                numbers.append(int(low, 8))
            elif low.isdigit() and low.isascii():
                numbers.append(int(low, 10))
            else:
                return None
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, n in enumerate(head):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


_LABEL = re.compile(r"[A-Za-z0-9_-]+")
# What HTTP clients (httpx) read as an IPv4 address: four digit runs, any separators.
_IPV4_SHAPED = re.compile(r"[0-9]+[^0-9][0-9]+[^0-9][0-9]+[^0-9][0-9]+")


def _host_name_problem(host: str) -> str | None:
    """Why `host` (not an IP literal) is not a usable host name, or None."""
    if not host.isascii():
        return (
            f"host {host!r} is not plain ASCII; write an internationalised name "
            "in its xn-- (punycode) form"
        )
    labels = host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return (
            f"host {host!r} is not a host name (only letters, digits, '-' and '_' "
            "in labels separated by single dots)"
        )
    if labels[-1].isdigit() or _IPV4_SHAPED.fullmatch(host):
        return f"host {host!r} looks like an IPv4 address but is not one"
    return None


def _literal_address(host: str) -> tuple[IPAddress | None, str | None]:
    """The address a literal host stands for, and a problem with its spelling."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]), None
    except ValueError:
        pass
    numeric = parse_numeric_host(host)
    if numeric is None:
        return None, None
    if str(numeric) == host:  # pragma: no cover - ip_address already accepted it
        return numeric, None
    return numeric, (
        f"host {host!r} is a non-standard spelling of {numeric}; "
        "write addresses in plain dotted decimal"
    )


def check_url(url: str, *, allow_insecure_loopback: bool) -> list[str]:
    """Check a webhook URL without resolving it.

    Args:
        url: The URL as written in the schedule file.
        allow_insecure_loopback: True permits plain http to a literal loopback host
            (127.0.0.0/8, ::1 or `localhost`).

    Returns:
        Every problem found, one sentence each (empty when the URL is acceptable).
    """
    text = url.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        # urlsplit silently drops tabs and newlines; an HTTP client refuses them.
        return ["the URL contains a control character (tab, newline …)"]
    try:
        parts = urlsplit(text)
        port = parts.port
        raw_host = parts.hostname
    except ValueError as exc:
        return [f"not a valid URL: {exc}"]
    problems: list[str] = []
    scheme = parts.scheme.lower()
    host = (raw_host or "").rstrip(".")
    if not scheme or not parts.netloc:
        return ["not an absolute URL; write it like https://hooks.example.com/path"]
    if parts.username is not None or parts.password is not None:
        problems.append(
            "credentials in the URL are not allowed; webhooks are signed "
            "with the secret named in secret_env"
        )
    if not host:
        problems.append("the URL has no host")
        return problems
    if port == 0:
        problems.append("port 0 is not a usable port")
    address, spelling = _literal_address(host)
    if spelling is not None:
        problems.append(spelling)
    elif address is None:
        name_problem = _host_name_problem(host)
        if name_problem is not None:
            problems.append(name_problem)
            return problems
    is_localhost = host.lower() == "localhost" or host.lower().endswith(".localhost")
    loopback = is_localhost or (address is not None and address.is_loopback)
    loopback_ok = allow_insecure_loopback and scheme == "http"
    if scheme == "http":
        if not allow_insecure_loopback:
            problems.append(
                "plain http is not allowed; use https "
                "(allow_insecure_loopback: true permits http to 127.0.0.1 or ::1 only)"
            )
        elif not loopback:
            problems.append(
                "plain http is allowed only to a loopback host "
                "(127.0.0.0/8, ::1 or localhost); use https"
            )
    elif scheme != "https":
        problems.append(f"scheme {scheme!r} is not allowed; use https")
    https_loopback = loopback and scheme == "https" and allow_insecure_loopback
    if https_loopback:
        problems.append(
            f"https to the loopback host {host} is never sent (its certificate "
            "cannot be checked); allow_insecure_loopback permits plain http "
            f"to it: write http://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"
        )
    elif is_localhost and not loopback_ok:
        problems.append(f"{host} is a loopback host name")
    if host.lower() in _METADATA_HOSTS:
        problems.append(f"{host} is a cloud metadata service host name")
    if address is not None and not https_loopback:
        problem = address_problem(address, allow_loopback=loopback_ok)
        if problem is not None:
            problems.append(problem)
    return problems
