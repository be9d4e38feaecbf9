"""OAuth client credentials: read from the environment, never shown."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from gcsched.errors import InputError

__all__ = [
    "CLIENT_ID_VAR",
    "CLIENT_SECRET_VAR",
    "Credentials",
    "credentials_from_env",
    "env_suffix",
]

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


def env_suffix(environment: str) -> str:
    """An environment's name as a variable suffix: `eu-prod` → `EU_PROD`."""
    return re.sub(r"[^A-Za-z0-9]", "_", environment).upper()


def credentials_from_env(
    env: Mapping[str, str], *, environment: str | None = None
) -> Credentials:
    """Read the OAuth client from the environment.

    Args:
        env: the environment, e.g. ``os.environ``.
        environment: the schedule file's environment (``--env NAME``): then
            ``GENESYSCLOUD_OAUTHCLIENT_ID_<ENV>`` / ``..._SECRET_<ENV>`` come
            first (both of them, never one mixed with a plain name).

    Returns:
        The credentials from ``GENESYSCLOUD_OAUTHCLIENT_ID`` and
        ``GENESYSCLOUD_OAUTHCLIENT_SECRET`` (or their ``_<ENV>`` forms).

    Raises:
        InputError: a variable is missing or empty (named, never its value).
    """
    names = (CLIENT_ID_VAR, CLIENT_SECRET_VAR)
    if environment is not None:
        suffix = env_suffix(environment)
        scoped = (f"{CLIENT_ID_VAR}_{suffix}", f"{CLIENT_SECRET_VAR}_{suffix}")
        if any(env.get(name, "") for name in scoped):
            names = scoped
    missing = [name for name in names if not env.get(name, "")]
    if missing:
        joined = " and ".join(missing)
        msg = (
            f"Missing OAuth client credentials: set {joined} to a Genesys Cloud "
            "OAuth client using the Client Credentials grant (Admin > Integrations "
            "> OAuth), or use --sandbox."
        )
        raise InputError(msg)
    id_var, secret_var = names
    return Credentials(client_id=env[id_var].strip(), client_secret=env[secret_var])
