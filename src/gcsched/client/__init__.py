"""gcsched.client: the Genesys Cloud API client (httpx, async).

Where to connect (`resolve_api_url`, `REGIONS`, `login_url_for`), who connects
(`Credentials`, `credentials_from_env`, `ClientCredentialsAuth`) and the typed
client itself (`GenesysClient`) with its pacing, retries, retry budget and
circuit breaker. Imports only httpx, pydantic, stamina, `gcsched.errors` and
`gcsched.telemetry`.
"""

from __future__ import annotations

from gcsched.client.auth import ClientCredentialsAuth, renew_after
from gcsched.client.base import FAMILIES
from gcsched.client.client import GenesysClient
from gcsched.client.credentials import (
    CLIENT_ID_VAR,
    CLIENT_SECRET_VAR,
    Credentials,
    credentials_from_env,
)
from gcsched.client.pacing import DEFAULT_RATE_LIMIT, TokenBucket
from gcsched.client.regions import REGIONS, login_url_for, resolve_api_url
from gcsched.client.retry import CircuitBreaker, RetryBudget

__all__ = [
    "CLIENT_ID_VAR",
    "CLIENT_SECRET_VAR",
    "DEFAULT_RATE_LIMIT",
    "FAMILIES",
    "REGIONS",
    "CircuitBreaker",
    "ClientCredentialsAuth",
    "Credentials",
    "GenesysClient",
    "RetryBudget",
    "TokenBucket",
    "credentials_from_env",
    "login_url_for",
    "renew_after",
    "resolve_api_url",
]
