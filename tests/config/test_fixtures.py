"""Bad schedule files give exact, positioned messages; good ones load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gcsched.config import MAX_BYTES, load, loads
from gcsched.errors import ConfigError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "config"
BAD = sorted(p.stem for p in (FIXTURES / "bad").glob("*.yaml"))
GOOD = sorted((FIXTURES / "good").glob("*.yaml"))


def reasons_of(path: str | os.PathLike[str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(path)
    return [line.replace(str(path), "FILE") for line in caught.value.reasons]


@pytest.mark.parametrize("name", BAD)
def test_bad_file_gives_expected_messages(name: str) -> None:
    """Each bad fixture reports exactly the lines in its .expected file."""
    expected = (FIXTURES / "bad" / f"{name}.expected").read_text().splitlines()
    assert reasons_of(FIXTURES / "bad" / f"{name}.yaml") == expected


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_good_file_loads(path: Path) -> None:
    """Each good fixture loads without problems and hashes its raw bytes."""
    loaded = load(path)
    assert loaded.schedules
    assert len(loaded.sha256) == 64


def test_every_bad_fixture_has_expectations() -> None:
    """No bad fixture is left without its expected messages."""
    assert len(BAD) >= 20
    for name in BAD:
        assert (FIXTURES / "bad" / f"{name}.expected").is_file(), name


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is one line naming it."""
    assert reasons_of(tmp_path / "nope.yaml") == ["FILE: no such file"]


def test_directory(tmp_path: Path) -> None:
    """A directory is refused by name."""
    assert reasons_of(tmp_path) == ["FILE: is a directory, not a schedule file"]


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A 50 MB file is refused on its size (a sparse file: nothing is read)."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert reasons_of(big) == ["FILE: the file is 50.0 MB; the limit is 5.0 MB"]


def test_oversized_text_is_refused() -> None:
    """loads applies the same size limit to text."""
    with pytest.raises(ConfigError) as caught:
        loads("#" * (MAX_BYTES + 1), "big.yaml")
    assert caught.value.reasons == (
        "big.yaml: the file is 5.0 MB; the limit is 5.0 MB",
    )


def test_unreadable_file(tmp_path: Path) -> None:
    """A file without read permission says so instead of failing."""
    locked = tmp_path / "locked.yaml"
    locked.write_text("version: 1\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read anything")
        assert reasons_of(locked) == ["FILE: cannot read the file: Permission denied"]
    finally:
        locked.chmod(0o600)


def test_utf16_file_is_named(tmp_path: Path) -> None:
    """A UTF-16 file gets a message naming its encoding."""
    path = tmp_path / "utf16.yaml"
    path.write_bytes("version: 1\n".encode("utf-16"))
    assert reasons_of(path) == ["FILE: the file is UTF-16 text; save it as UTF-8"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark (common from Windows editors) is fine."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfversion: 1\nschedules: []\n")
    assert load(path).schedules == ()


def test_message_header_counts_problems() -> None:
    """The ConfigError message starts with the number of problems, then lists them."""
    with pytest.raises(ConfigError) as caught:
        loads("version: 1\nfoo: 1\nbar: 2\n", "f.yaml")
    assert str(caught.value).splitlines() == [
        "2 problems in the schedule file:",
        "f.yaml:2:1: foo: unknown key 'foo'; known keys: version, project, org, "
        "policy, calendars, schedules, webhooks, include, environments",
        "f.yaml:3:1: bar: unknown key 'bar'; known keys: version, project, org, "
        "policy, calendars, schedules, webhooks, include, environments",
    ]
    assert caught.value.exit_code == 2
