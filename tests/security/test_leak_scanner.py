"""The leak scanner finds a canary in every form it may be written in."""

from __future__ import annotations

import base64
import json
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
from security_scan import files_under, find_leaks, forms

SECRET = 'cnry-S3cr3t/7f3a+9b"q&y=z~Q'
CANARIES = {"client secret": [SECRET]}


@pytest.mark.parametrize(
    "written",
    [
        SECRET,
        urllib.parse.quote(SECRET, safe=""),
        urllib.parse.quote_plus(SECRET),
        urllib.parse.quote(SECRET, safe="").lower(),
        json.dumps({"s": SECRET}),
        base64.b64encode(SECRET.encode()).decode(),
        base64.b64encode(f"client-id:{SECRET}".encode()).decode(),
        base64.b64encode(f"ab:{SECRET}".encode()).decode(),
        base64.urlsafe_b64encode(f"x{SECRET}".encode()).decode(),
        SECRET.encode().hex(),
    ],
    ids=[
        "raw",
        "quote",
        "quote_plus",
        "lower",
        "json",
        "b64",
        "basic",
        "b64-2",
        "urlsafe",
        "hex",
    ],
)
def test_each_form_is_found(written: str) -> None:
    """A canary written raw, URL-encoded, JSON-escaped, base64 or hex is a leak."""
    blob = f"before {written} after".encode()
    assert find_leaks({"f": blob}, CANARIES) != []


def test_clean_text_and_redacted_text_are_not_leaks() -> None:
    """Text without the canary, or with it masked, passes."""
    blobs = {"log": b"token [REDACTED] refused; secret=[REDACTED]", "x": b"cnry-S3"}
    assert find_leaks(blobs, CANARIES) == []


def test_a_writer_that_leaks_into_sqlite_is_caught(tmp_path: Path) -> None:
    """A helper that stores the canary in an SQLite row is detected by a file scan."""
    db = tmp_path / "state" / "journal.sqlite"
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.execute("create table t (v text)")
        conn.execute("insert into t values (?)", (json.dumps({"error": SECRET}),))
    conn.close()
    leaks = find_leaks(files_under(tmp_path / "state"), CANARIES)
    assert leaks
    assert {leak.where for leak in leaks} == {str(db)}


def test_forms_are_distinct_for_a_secret_with_specials() -> None:
    """The canary has characters that URL and JSON encode differently."""
    found = forms(SECRET)
    assert len({found["raw"], found["url-quote"], found["json-escaped"]}) == 3
