"""The sandbox's OAuth clients: the default client and how secrets are kept.

Secrets (and tokens) are kept only as SHA-256 hashes, in memory and on disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "ClientRecord", "sha256"]

DEFAULT_CLIENT_ID: Final = "sandbox-client-id"
DEFAULT_CLIENT_SECRET: Final = "sandbox-client-secret"  # noqa: S105 - public default


def sha256(text: str) -> str:
    """Return the hex SHA-256 of `text` (how secrets and tokens are kept)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ClientRecord:
    """An OAuth client: hashed secret, permissions (None = all), token TTL."""

    client_id: str
    secret_sha256: str
    permissions: frozenset[str] | None = None
    token_ttl: int | None = None

    def allows(self, permission: str | None) -> bool:
        """Return True when the client holds `permission` (None needs nothing)."""
        return (
            permission is None
            or self.permissions is None
            or permission in self.permissions
        )
