"""OAuth client credentials: read from the environment, never shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gcsched.errors import InputError

__all__ = ["CLIENT_ID_VAR", "CLIENT_SECRET_VAR", "Credentials", "credentials_from_env"]

CLIENT_ID_VAR = "GENESYSCLOUD_OAUTHCLIENT_ID"
CLIENT_SECRET_VAR = "GENESYSCLOUD_OAUTHCLIENT_SECRET"  # noqa: S105 (a name)


@dataclass(frozen=True, slots=True)
class Credentials:
    """A client-credentials OAuth client: its id and secret.

    The secret is excluded from ``repr`` and comparisons print nothing of it.
    """

    client_id: str
    client_secret: str = field(repr=False)

    def __str__(self) -> str:
        """Only the client id: safe for logs."""
        return f"OAuth client {self.client_id}"


def credentials_from_env(env: Mapping[str, str]) -> Credentials:
    """Read the OAuth client from the environment.

    Args:
        env: the environment, e.g. ``os.environ``.

    Returns:
        The credentials from ``GENESYSCLOUD_OAUTHCLIENT_ID`` and
        ``GENESYSCLOUD_OAUTHCLIENT_SECRET``.

    Raises:
        InputError: a variable is missing or empty (named, never its value).
    """
    missing = [
        name for name in (CLIENT_ID_VAR, CLIENT_SECRET_VAR) if not env.get(name, "")
    ]
    if missing:
        names = " and ".join(missing)
        msg = (
            f"Missing OAuth client credentials: set {names} to a Genesys Cloud "
            "OAuth client using the Client Credentials grant (Admin > Integrations "
            "> OAuth), or use --sandbox."
        )
        raise InputError(msg)
    return Credentials(
        client_id=env[CLIENT_ID_VAR].strip(), client_secret=env[CLIENT_SECRET_VAR]
    )
