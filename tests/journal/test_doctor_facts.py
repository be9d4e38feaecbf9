"""Doctor facts in the journal: migration 2, one row per org, merged on save."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gcsched.journal import Journal
from gcsched.journal.migrations import MIGRATIONS


def test_facts_round_trip_and_keep_settled_values(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal.open(path) as journal:
        assert journal.facts_for("org-1") is None
        journal.save_facts(
            org_id="org-1",
            org_name="Acme",
            facts={"interval_time": "utc", "schedule_name_kept": False},
            probed=True,
        )
        # a later read-only run leaves the probe's answers in place
        saved = journal.save_facts(
            org_id="org-1",
            org_name="Acme",
            facts={"interval_time": None, "ratelimit_headers": False},
            probed=False,
        )
    assert saved.probed
    with Journal.open(path) as journal:
        stored = journal.facts_for("org-1")
        assert journal.facts_for("org-2") is None
    assert stored is not None
    assert stored.facts == {
        "interval_time": "utc",
        "schedule_name_kept": False,
        "ratelimit_headers": False,
    }
    assert stored.probed
    assert stored.observed_at.tzinfo is not None


def test_a_version_1_journal_is_migrated_to_hold_facts(tmp_path: Path) -> None:
    """A journal made before facts existed gains the table, its runs untouched."""
    path = tmp_path / "journal.sqlite"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA application_id = 1734570858")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Journal.open(path) as journal:
        journal.save_facts(org_id="o", org_name="O", facts={"a": 1}, probed=False)
        stored = journal.facts_for("o")
    assert stored is not None
    assert stored.facts == {"a": 1}
