"""Offline `validate` says loudly that it does not know the org's contact lists."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from cli_support import run

from gcsched.api import validate
from gcsched.domain.audience_note import audience_note

_FILE = """\
version: 1
schedules:
  - campaign: UK Renewals
    time_zone: Europe/London
    windows:
      - {days: [mon-fri], start: "09:00", end: "20:00"}
    from: 2026-12-01
    until: 2026-12-31
  - campaign: UK Upsell
    time_zone: Europe/London
    windows:
      - {days: [mon-fri], start: "17:00", end: "20:00"}
    from: 2026-12-01
    until: 2026-12-31
"""


def _file(tmp_path: Path, text: str = _FILE) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_text_output_warns_that_conflicts_may_be_missing(tmp_path: Path) -> None:
    """No `audience:` anywhere: validate finds none, and says why in its output."""
    result = run("validate", str(_file(tmp_path)))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Conflicts may be missing" in flat
    assert "does not know the contact lists" in flat
    assert "gcsched plan" in flat


def test_json_output_carries_the_same_words_as_the_report(tmp_path: Path) -> None:
    """--json names where audiences came from, in the one shared wording."""
    path = _file(tmp_path)
    data = json.loads(run("validate", str(path), "--json").output)
    loaded = validate(path, today=date(2026, 11, 1)).file
    assert data["audiences"] == "file"
    assert data["audience_warning"] == audience_note(
        loaded.schedules, None, by="validate"
    )
    assert data["audience_warning"].startswith(
        "Offline, `gcsched validate` does not know the contact lists"
    )


def test_partial_audiences_name_the_unchecked_schedules(tmp_path: Path) -> None:
    """One schedule with `audience:`, one without: the second is named."""
    text = _FILE.replace(
        "  - campaign: UK Upsell\n", "  - campaign: UK Upsell\n    audience: uk\n"
    )
    data = json.loads(run("validate", str(_file(tmp_path, text)), "--json").output)
    assert "1 schedule has none (UK Renewals)" in data["audience_warning"]
