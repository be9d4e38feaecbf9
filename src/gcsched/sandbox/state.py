"""The sandbox's in-memory org: objects, schedules, clients and tokens.

Mutations from request handlers run under ``state.lock`` (an asyncio.Lock).
Secrets and tokens are kept only as SHA-256 hashes, in memory and on disk.
"""

from __future__ import annotations

import asyncio
import copy
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from gcsched.sandbox.audit_trail import SCHEDULE_ENTITY_TYPES, AuditTrail, StoreChange
from gcsched.sandbox.clients import ClientRecord, sha256
from gcsched.sandbox.contact_time import build_outbound_settings
from gcsched.sandbox.demo import DEMO_SEED
from gcsched.sandbox.families import FAMILIES
from gcsched.sandbox.seed import seed_parts

__all__ = ["COLLEAGUE", "SandboxState", "TokenRecord", "utc_stamp"]

#: Who `SandboxState.edit_behind_back` edits as (a user "in the UI").
COLLEAGUE: Final = "Sandbox Colleague"

STATE_FORMAT: Final = "gcsched-sandbox-state/1"
STORES: Final = (
    "contact_lists",
    "callable_time_sets",
    "campaigns",
    "messaging_campaigns",
    "sequences",
    "campaign_rules",
)
_JSON_KEYS: Final = {
    "contact_lists": "contactLists",
    "callable_time_sets": "callableTimeSets",
    "campaigns": "campaigns",
    "messaging_campaigns": "messagingCampaigns",
    "sequences": "sequences",
    "campaign_rules": "campaignRules",
}


def utc_stamp(seconds: float) -> str:
    """Return an ISO-8601 UTC timestamp with milliseconds and ``Z``."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(slots=True)
class TokenRecord:
    """A minted access token, known only by its hash."""

    client_id: str
    issued_at: float
    expires_at: float


class SandboxState:
    """The org the sandbox serves: every object, schedule, client and token.

    Build one with `from_seed`, `demo` or `load`; the app reads and changes
    it, tests inspect it with `schedule`, `campaigns` and `edit_behind_back`.

    Args:
        org: the ``Organization`` JSON.
        clients: OAuth clients by id.
        stores: objects by store name (``campaigns``...) then id.
        schedules: schedules by family path then id.
        tokens: minted tokens by hash.
        clock: wall-clock seconds (injectable for tests).
        settings: the org's ``OutboundSettings`` (default: Genesys's).
        previews: seeded ``TimeZoneMappingPreview`` counts by contact list id.
        audits: the platform audit entries (``AuditLogMessage`` JSON).
    """

    def __init__(
        self,
        *,
        org: dict[str, Any],
        clients: dict[str, ClientRecord],
        stores: Mapping[str, dict[str, dict[str, Any]]],
        schedules: Mapping[str, dict[str, dict[str, Any]]] | None = None,
        tokens: dict[str, TokenRecord] | None = None,
        clock: Callable[[], float] = time.time,
        settings: dict[str, Any] | None = None,
        previews: Mapping[str, dict[str, Any]] | None = None,
        audits: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.org = org
        self.settings: dict[str, Any] = settings or build_outbound_settings(
            str(org.get("id", ""))
        )
        self.previews: dict[str, dict[str, Any]] = dict(previews or {})
        self.clients = clients
        self.stores: dict[str, dict[str, dict[str, Any]]] = {
            name: dict(stores.get(name, {})) for name in STORES
        }
        self.schedules: dict[str, dict[str, dict[str, Any]]] = {
            family: dict((schedules or {}).get(family, {})) for family in FAMILIES
        }
        self.tokens: dict[str, TokenRecord] = tokens or {}
        self.mints: dict[str, list[float]] = {}
        self.clock = clock
        self.lock = asyncio.Lock()
        self.audit_trail = AuditTrail(audits)
        #: Called with every `StoreChange` after the audit trail records it.
        self.observers: list[Callable[[StoreChange], None]] = []

    def changed(self, change: StoreChange) -> None:
        """The hook of every write path: audit `change`, then tell observers."""
        moment = datetime.fromtimestamp(self.clock(), tz=UTC)
        self.audit_trail.record(change, org_id=str(self.org.get("id", "")), when=moment)
        for observer in self.observers:
            observer(change)

    # ------------------------------------------------------------ building
    @classmethod
    def from_seed(cls, seed: Mapping[str, Any]) -> SandboxState:
        """Build an org from a seed mapping (format in docs/sandbox.md).

        Args:
            seed: the decoded seed.

        Returns:
            A new state.

        Raises:
            ValueError: the seed is malformed; the message says where.
        """
        parts = seed_parts(seed)
        return cls(
            org=parts.org,
            clients=parts.clients,
            stores=parts.stores,
            schedules=parts.schedules,
            settings=parts.settings,
            previews=parts.previews,
        )

    @classmethod
    def demo(cls) -> SandboxState:
        """Return the default demo org "Acme Outbound (sandbox)"."""
        return cls.from_seed(DEMO_SEED)

    @classmethod
    def load(cls, path: str | Path) -> SandboxState:
        """Load a state saved by `save`.

        Args:
            path: the JSON file.

        Returns:
            The state as it was saved.

        Raises:
            ValueError: the file is not a saved sandbox state.
        """
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            msg = f"cannot read sandbox state {file}: {exc}"
            raise ValueError(msg) from exc
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            msg = f"{file} is not a sandbox state file (format {STATE_FORMAT})"
            raise ValueError(msg)
        clients = {
            c["id"]: ClientRecord(
                c["id"],
                c["secretSha256"],
                None if c.get("permissions") is None else frozenset(c["permissions"]),
                c.get("tokenTtl"),
            )
            for c in data["clients"]
        }
        tokens = {
            t["sha256"]: TokenRecord(t["clientId"], t["issuedAt"], t["expiresAt"])
            for t in data["tokens"]
        }
        stores = {
            name: {o["id"]: o for o in data.get(_JSON_KEYS[name], [])}
            for name in STORES
        }
        schedules = {
            family: {s["id"]: s for s in data["schedules"].get(family, [])}
            for family in FAMILIES
        }
        return cls(
            org=data["org"],
            clients=clients,
            stores=stores,
            schedules=schedules,
            tokens=tokens,
            settings=data.get("outboundSettings"),
            previews=data.get("timeZoneMappingPreviews"),
            audits=data.get("audits", []),
        )

    def save(self, path: str | Path) -> None:
        """Write the state as JSON; secrets and tokens only as hashes.

        Args:
            path: the file to (over)write, atomically.
        """
        now = self.clock()
        data: dict[str, Any] = {
            "format": STATE_FORMAT,
            "org": self.org,
            "clients": [
                {
                    "id": c.client_id,
                    "secretSha256": c.secret_sha256,
                    "permissions": None
                    if c.permissions is None
                    else sorted(c.permissions),
                    "tokenTtl": c.token_ttl,
                }
                for c in self.clients.values()
            ],
            "tokens": [
                {
                    "sha256": h,
                    "clientId": t.client_id,
                    "issuedAt": t.issued_at,
                    "expiresAt": t.expires_at,
                }
                for h, t in self.tokens.items()
                if t.expires_at > now
            ],
            "schedules": {f: list(s.values()) for f, s in self.schedules.items()},
            "outboundSettings": self.settings,
            "timeZoneMappingPreviews": self.previews,
            "audits": self.audit_trail.entries,
        }
        for name in STORES:
            data[_JSON_KEYS[name]] = list(self.stores[name].values())
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(file.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(file)

    # ------------------------------------------------------------ test helpers
    def schedule(self, family: str, id_: str) -> dict[str, Any] | None:
        """Return a copy of the schedule of `family` (path name) with `id_`."""
        found = self.schedules[family].get(id_)
        return copy.deepcopy(found) if found is not None else None

    def campaigns(self) -> list[dict[str, Any]]:
        """Return copies of every voice campaign, in seed order."""
        return copy.deepcopy(list(self.stores["campaigns"].values()))

    def find(self, store: str, name: str) -> dict[str, Any] | None:
        """Return a copy of the object of `store` named `name`, if any."""
        for obj in self.stores[store].values():
            if obj.get("name") == name:
                return copy.deepcopy(obj)
        return None

    def edit_behind_back(
        self,
        family: str,
        id_: str,
        changes: Mapping[str, Any] | None = None,
        *,
        user: str = COLLEAGUE,
    ) -> dict[str, Any]:
        """Change a schedule as a colleague would: new version, new dateModified.

        The platform audit trail records it as made by `user` in the UI.

        Args:
            family: the family path name (``campaigns``...).
            id_: the schedule id.
            changes: top-level fields to overwrite (e.g. ``{"name": "x"}``).
            user: the colleague's name in the audit trail.

        Returns:
            A copy of the edited schedule.

        Raises:
            KeyError: no such schedule.
        """
        stored = self.schedules[family][id_]
        before = copy.deepcopy(stored)
        stored.update(copy.deepcopy(dict(changes or {})))
        stored["version"] = int(stored["version"]) + 1
        stored["dateModified"] = utc_stamp(self.clock())
        self.changed(
            StoreChange(
                SCHEDULE_ENTITY_TYPES[family],
                id_,
                stored.get("name"),
                before,
                copy.deepcopy(stored),
                client_id="",
                user=user,
            )
        )
        return copy.deepcopy(stored)

    # ------------------------------------------------------------ auth
    def check_client(self, client_id: str, secret: str) -> ClientRecord | None:
        """Return the client when id and secret match, else None."""
        client = self.clients.get(client_id)
        if client is None:
            return None
        if not hmac.compare_digest(client.secret_sha256, sha256(secret)):
            return None
        return client

    def mint(self, client: ClientRecord, ttl: int) -> str:
        """Mint a token for `client` living `ttl` seconds; keep only its hash."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self.tokens[sha256(token)] = TokenRecord(client.client_id, now, now + ttl)
        return token

    def token(self, token: str) -> TokenRecord | None:
        """Return the live record of a bearer token, or None."""
        record = self.tokens.get(sha256(token))
        if record is None or record.expires_at <= self.clock():
            return None
        return record
