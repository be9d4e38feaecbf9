"""Doctor facts: what `gcsched doctor` settled about an org, one row per org.

Later runs against the org adopt them (the interval time format, dropping
intervals wholly in the past); the plan header names them and when they were
observed. Stored in the state store, so a CI runner with shared state has them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gcsched.errors import JournalError
from gcsched.journal.database import SqlDatabase

__all__ = ["FactTable", "OrgFacts"]


@dataclass(frozen=True, slots=True)
class OrgFacts:
    """The facts stored for one org.

    Attributes:
        org_id / org_name: the org they were observed on.
        facts: fact name → value (bool, int, str or None for unsettled).
        observed_at: when doctor observed them (aware, UTC).
        probed: True when a ``--probe`` settled the write-side facts.
    """

    org_id: str
    org_name: str
    facts: Mapping[str, Any]
    observed_at: datetime
    probed: bool

    def value(self, name: str) -> Any:
        """One fact's value; None when unknown or unsettled."""
        return self.facts.get(name)


class FactTable:
    """The ``doctor_facts`` table of the journal."""

    def __init__(self, db: SqlDatabase) -> None:
        self._db = db

    def save_facts(
        self,
        *,
        org_id: str,
        org_name: str,
        facts: Mapping[str, Any],
        probed: bool,
    ) -> OrgFacts:
        """Store `facts` for `org_id`, merged over what was stored before.

        A fact now unsettled (None) keeps its earlier settled value, so a
        read-only doctor run never forgets what an earlier probe found.

        Raises:
            JournalError: the journal cannot be written.
        """
        earlier = self.facts_for(org_id)
        merged = dict(earlier.facts) if earlier is not None else {}
        merged.update({k: v for k, v in facts.items() if v is not None})
        for name in facts:
            merged.setdefault(name, None)
        was_probed = probed or (earlier is not None and earlier.probed)
        now = self._db.now()
        with self._db.transaction() as conn:
            conn.execute(
                """INSERT INTO doctor_facts (org_id, org_name, facts, observed_at,
                       probed) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (org_id) DO UPDATE SET org_name = excluded.org_name,
                       facts = excluded.facts, observed_at = excluded.observed_at,
                       probed = excluded.probed""",
                (
                    org_id,
                    org_name,
                    json.dumps(merged, sort_keys=True),
                    now.isoformat(),
                    int(was_probed),
                ),
            )
        return OrgFacts(org_id, org_name, merged, now, was_probed)

    def facts_for(self, org_id: str) -> OrgFacts | None:
        """The facts stored for `org_id`, or None when doctor never ran on it."""
        rows = self._db.query(
            "SELECT org_id, org_name, facts, observed_at, probed FROM doctor_facts "
            "WHERE org_id = ?",
            (org_id,),
        )
        if not rows:
            return None
        row = rows[0]
        try:
            facts = json.loads(row["facts"])
        except ValueError:
            msg = f"the doctor facts of org {org_id} in the journal are not JSON"
            raise JournalError(msg) from None
        return OrgFacts(
            org_id=row["org_id"],
            org_name=row["org_name"],
            facts=facts,
            observed_at=datetime.fromisoformat(row["observed_at"]),
            probed=bool(row["probed"]),
        )
