"""The engine's view of an org: a small protocol the HTTP client satisfies by shape.

The engine never imports the client; anything with these coroutines (the real
`gcsched.client.GenesysClient`, or an in-memory fake in a test) can be planned
against and applied to.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

__all__ = ["DoctorOrg", "Json", "Observed", "Org"]

Json = dict[str, Any]
"""A JSON object as the API sends and takes it (the one alias of the engine)."""


class Org(Protocol):
    """The Genesys Cloud calls the engine needs (bodies are plain JSON dicts)."""

    async def get_organization(self) -> Json: ...

    async def list_campaigns(self) -> list[Json]: ...

    async def list_messaging_campaigns(self) -> list[Json]: ...

    async def list_sequences(self) -> list[Json]: ...

    async def list_callable_time_sets(self) -> list[Json]: ...

    async def get_campaign(self, campaign_id: str) -> Json: ...

    async def get_messaging_campaign(self, campaign_id: str) -> Json: ...

    async def get_contact_list(
        self, contact_list_id: str, *, include_size: bool = True
    ) -> Json: ...

    async def list_contact_lists(
        self, ids: Collection[str], *, include_size: bool = False
    ) -> list[Json]: ...

    async def get_outbound_settings(self) -> Json: ...

    async def get_time_zone_mapping_preview(self, contact_list_id: str) -> Json: ...

    async def list_campaign_rules(self) -> list[Json]: ...

    async def list_schedules(self, family: str) -> list[Json]: ...

    async def get_schedule(self, family: str, target_id: str) -> Json | None: ...

    async def put_schedule(
        self, family: str, target_id: str, body: Mapping[str, Any]
    ) -> Json: ...

    async def delete_schedule(self, family: str, target_id: str) -> None: ...

    async def put_campaign(
        self,
        campaign_id: str,
        body: Mapping[str, Any],
        *,
        fields: Collection[str] | None = None,
    ) -> Json: ...

    async def put_messaging_campaign(
        self,
        campaign_id: str,
        body: Mapping[str, Any],
        *,
        fields: Collection[str] | None = None,
    ) -> Json: ...


class Observed(Protocol):
    """One answer as doctor sees it (the client's `Observation` by shape)."""

    @property
    def status(self) -> int: ...

    @property
    def body(self) -> Any: ...

    @property
    def date(self) -> str | None: ...

    @property
    def ratelimit_headers(self) -> bool: ...

    @property
    def error(self) -> str | None: ...


class DoctorOrg(Protocol):
    """What `gcsched doctor` needs of an org: reads, raw observations and the
    probe campaign's schedule."""

    async def get_organization(self) -> Json: ...

    async def get_rate_limit(self) -> int: ...

    async def observe(
        self, path: str, params: Mapping[str, str | int] | None = None
    ) -> Observed: ...

    async def wrong_secret_status(self) -> int: ...

    async def list_campaigns(self) -> list[Json]: ...

    async def get_schedule(self, family: str, target_id: str) -> Json | None: ...

    async def put_schedule(
        self, family: str, target_id: str, body: Mapping[str, Any]
    ) -> Json: ...

    async def delete_schedule(self, family: str, target_id: str) -> None: ...
