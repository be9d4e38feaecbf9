"""Split files: `include: [teams/*.yaml]` merges schedules and calendars."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gcsched.config import load
from gcsched.errors import ConfigError

WINDOW = "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"


def _entry(name: str, extra: str = "") -> str:
    return f"  - campaign: {name}\n    time_zone: Europe/Paris\n{extra}{WINDOW}"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _main(tmp_path: Path, body: str = "") -> Path:
    return _write(
        tmp_path / "main.yaml",
        "version: 1\ninclude: [teams/*.yaml]\n"
        "calendars:\n  xmas: [2026-12-25]\n"
        f"schedules:\n{_entry('A')}{body}",
    )


def _reasons(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(path)
    return list(caught.value.reasons)


def test_included_schedules_and_calendars_are_merged(tmp_path: Path) -> None:
    main = _main(tmp_path)
    _write(
        tmp_path / "teams" / "b.yaml",
        "calendars:\n  closed: [2026-12-24]\n"
        f"schedules:\n{_entry('B', '    except: [xmas, closed]' + chr(10))}",
    )
    _write(tmp_path / "teams" / "c.yaml", f"schedules:\n{_entry('C')}")
    file = load(main)
    assert [s.target.ref for s in file.schedules] == ["A", "B", "C"]
    assert dict(file.calendars).keys() >= {"xmas", "closed"}
    assert file.includes == (
        os.path.join(str(tmp_path), "teams", "b.yaml"),
        os.path.join(str(tmp_path), "teams", "c.yaml"),
    )
    b = file.schedules[1]
    assert b.source is not None
    assert b.source.path.endswith(os.path.join("teams", "b.yaml"))
    assert b.source.line == 4
    assert len(b.except_) == 2  # main's calendar and its own, both resolved


def test_errors_keep_the_file_line_and_column_they_are_in(tmp_path: Path) -> None:
    main = _main(tmp_path)
    team = _write(
        tmp_path / "teams" / "b.yaml",
        "schedules:\n  - campaign: B\n    time_zone: Mars/Base\n" + WINDOW,
    )
    (reason,) = _reasons(main)
    assert reason.startswith(f"{team}:3:16: schedules[0].time_zone:")


def test_a_duplicate_target_across_files_names_both_places(tmp_path: Path) -> None:
    main = _main(tmp_path)
    team = _write(tmp_path / "teams" / "b.yaml", f"schedules:\n{_entry('A')}")
    (reason,) = _reasons(main)
    assert reason.startswith(f"{team}:2:15: schedules[0].campaign: duplicate:")
    assert f"at {main}:6:5" in reason


def test_the_same_name_for_two_kinds_across_files_is_refused(tmp_path: Path) -> None:
    main = _main(tmp_path)
    _write(
        tmp_path / "teams" / "b.yaml",
        "schedules:\n  - sequence: A\n    time_zone: Europe/Paris\n"
        "    intervals: [{start: 2026-12-01T09:00, end: 2026-12-01T10:00}]\n",
    )
    (reason,) = _reasons(main)
    assert "sequence 'A' has the same name as the campaign at" in reason


def test_a_duplicate_calendar_across_files_names_both_places(tmp_path: Path) -> None:
    main = _main(tmp_path)
    team = _write(tmp_path / "teams" / "b.yaml", "calendars:\n  xmas: [2026-12-24]\n")
    (reason,) = _reasons(main)
    assert reason == (
        f"{team}:2:3: calendars.xmas: duplicate calendar 'xmas': also defined "
        f"at {main}:4:3"
    )


def test_an_included_file_holds_only_schedules_and_calendars(tmp_path: Path) -> None:
    main = _main(tmp_path)
    team = _write(
        tmp_path / "teams" / "b.yaml", "x-note: fine\npolicy: {}\nversion: 1\n"
    )
    reasons = _reasons(main)
    assert [r.split(": ")[0] for r in reasons] == [f"{team}:2:1", f"{team}:3:1"]
    assert "'policy' belongs in the main file" in reasons[0]


def test_an_include_cycle_is_an_error(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.yaml",
        f"version: 1\ninclude: [a.yaml]\nschedules:\n{_entry('A')}",
    )
    _write(tmp_path / "a.yaml", "include: [sub/b.yaml]\n")
    b = _write(tmp_path / "sub" / "b.yaml", "include: ['../main.yaml']\n")
    (reason,) = _reasons(main)
    assert reason.startswith(f"{b}:1:11: include[0]: include cycle: ")
    assert reason.endswith("main.yaml")
    assert "a.yaml → " in reason


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.yaml",
        f"version: 1\ninclude: [teams/*.yaml, teams/b.yaml]\nschedules:\n{_entry('A')}",
    )
    _write(tmp_path / "teams" / "b.yaml", f"schedules:\n{_entry('B')}")
    assert [s.target.ref for s in load(main).schedules] == ["A", "B"]


def test_bad_include_values(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.yaml",
        f"version: 1\ninclude: [nothing/*.yaml, 3]\nschedules:\n{_entry('A')}",
    )
    reasons = _reasons(main)
    assert len(reasons) == 3, reasons  # the glob, the item, and the model's type
    assert any("'nothing/*.yaml' matches no file" in r for r in reasons)
    assert any("include[1]: expected a file glob" in r for r in reasons)


def test_include_must_be_a_list(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.yaml",
        f"version: 1\ninclude: teams/*.yaml\nschedules:\n{_entry('A')}",
    )
    reasons = _reasons(main)
    assert any("include: expected a list of file globs" in r for r in reasons)


def test_an_unreadable_included_file_is_named(tmp_path: Path) -> None:
    main = _main(tmp_path)
    empty = _write(tmp_path / "teams" / "b.yaml", "")
    _write(tmp_path / "teams" / "c.yaml", "- just a list\n")
    reasons = _reasons(main)
    assert f"{empty}: the file is empty" in reasons[-1]
    assert any("an included file must be a mapping" in r for r in reasons)


def test_the_run_key_hashes_every_included_file(tmp_path: Path) -> None:
    main = _main(tmp_path)
    team = _write(tmp_path / "teams" / "b.yaml", f"schedules:\n{_entry('B')}")
    first = load(main).sha256
    assert load(main).sha256 == first  # stable
    team.write_text(f"schedules:\n{_entry('B', '    priority: 6' + chr(10))}")
    assert load(main).sha256 != first
    team.unlink()
    alone = _write(tmp_path / "alone.yaml", f"version: 1\nschedules:\n{_entry('A')}")
    import hashlib

    assert load(alone).sha256 == hashlib.sha256(alone.read_bytes()).hexdigest()
