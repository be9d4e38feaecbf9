"""The plain table is rich's table on a pipe, byte for byte, or it declines."""

from __future__ import annotations

import io
import random
from datetime import date
from pathlib import Path

import pytest
from cli_support import EXAMPLE, shared_lists
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gcsched.cli import common, plain_table, render
from gcsched.cli.plain_table import console_width, table_text
from gcsched.domain.conflicts import Conflict

WORDS = [
    "Campaign",
    "00530",
    "×",
    "→",
    "list-00529",
    "308",
    "(975",
    "h)",
    "2026-01-01",
    "22:00",
    "warn",
    "reject",
    "(priority",
    "10",
    "vs",
    "8)",
    "tie",
    "on",
    "score",
    "broken",
    "by",
    "name)",
    "a",
    "-",
    "supercalifragilistic",
]


def _rich(title: str, headers: list[str], rows: list[list[str]], width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, highlight=False, soft_wrap=True, emoji=False
    )
    table = Table(title=title, title_justify="left", show_lines=False)
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
    return buffer.getvalue()


def _text(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.05:
        return ""
    if shape < 0.1:
        return "  ".join(rng.choices(WORDS, k=rng.randint(1, 3)))  # double spaces
    return " ".join(rng.choices(WORDS, k=rng.randint(1, 6)))


def _case(seed: int) -> tuple[list[str], list[list[str]], int]:
    rng = random.Random(seed)
    columns = rng.randint(1, 6)
    headers = [_text(rng) or "h" for _ in range(columns)]
    rows = [[_text(rng) for _ in range(columns)] for _ in range(rng.randint(0, 5))]
    return headers, rows, rng.choice([20, 30, 40, 60, 80, 100, 120, 200])


@pytest.mark.parametrize("seed", range(400))
def test_the_same_bytes_as_rich_or_none(seed: int) -> None:
    """Random tables at many widths: what the plain table prints, rich prints."""
    headers, rows, width = _case(seed)
    text = table_text("Conflicts", headers, rows, width, encoding="utf-8")
    if text is not None:
        assert text == _rich("Conflicts", headers, rows, width)


def test_most_tables_are_answered() -> None:
    """The fast path answers nearly every table."""
    answered = sum(
        table_text("Conflicts", *_case(seed), encoding="utf-8") is not None
        for seed in range(400)
    )
    assert answered > 370  # only the narrowest widths decline


def test_the_validate_table_at_80_columns() -> None:
    """The conflicts table of a big file, shrunk evenly to 80 columns."""
    headers = [
        "schedules",
        "audience",
        "overlaps",
        "first → last (UTC)",
        "resolution",
        "winner",
    ]
    rows = [
        [
            f"Campaign {i:05d} × Campaign {i + 1:05d}",
            f"list-{i:05d}",
            f"{300 + i} (1,{i:03d} h)",
            "2026-01-01 22:00 → 2026-12-31 01:00",
            "warn",
            f"Campaign {i:05d} (tie on score 90, broken by name)",
        ]
        for i in range(30)
    ]
    for width in (80, 100, 150, 250):
        text = table_text("Conflicts", headers, rows, width, encoding="utf-8")
        assert text == _rich("Conflicts", headers, rows, width)


@pytest.mark.parametrize(
    ("cells", "encoding"),
    [
        (["wide 中文"], "utf-8"),
        (["tab\there"], "utf-8"),
        (["é accent"], "utf-8"),
        (["plain"], "latin-1"),
    ],
)
def test_declines_what_only_rich_knows(cells: list[str], encoding: str) -> None:
    """Wide or unusual characters and non-UTF streams go to rich."""
    assert table_text("T", ["h"], [cells], 80, encoding=encoding) is None


def test_declines_a_console_too_narrow() -> None:
    """No room for the borders, or a word cut short: rich's ellipsis, not ours."""
    assert table_text("T", ["a", "b"], [["x", "y"]], 3, encoding="utf-8") is None
    assert table_text("T", ["a", "b"], [["x", "y"]], 5, encoding="utf-8") is None


@pytest.mark.parametrize("width", [9, 12, 20, 30])
def test_a_word_wider_than_its_column_is_cut_as_rich_cuts_it(width: int) -> None:
    """rich's ellipsis: the word on a line of its own, cut to the width."""
    headers = ["a", "bb"]
    rows = [["abcdefghijklmnop", "x abcdefghijklmnopqrst y  zz"], ["  lead", "t  "]]
    text = table_text("T", headers, rows, width, encoding="utf-8")
    assert text is not None
    assert "…" in text
    assert text == _rich("T", headers, rows, width)


def test_no_title_line_without_a_title() -> None:
    headers, rows = ["a"], [["x"]]
    assert table_text("", headers, rows, 40, encoding="utf-8") == _rich(
        "", headers, rows, 40
    )


def test_console_width_as_rich_takes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS first, then a terminal among the standard streams, else 80."""
    assert console_width({"COLUMNS": "132"}) == 132
    assert console_width({"COLUMNS": "wide"}) == Console(file=io.StringIO()).width
    monkeypatch.setattr(
        "os.get_terminal_size", lambda fd: (_ for _ in ()).throw(OSError(fd))
    )
    assert console_width({}) == 80
    monkeypatch.setattr(
        "os.get_terminal_size", lambda fd: __import__("os").terminal_size((0, 0))
    )
    assert console_width({}) == 80
    monkeypatch.setattr(
        "os.get_terminal_size", lambda fd: __import__("os").terminal_size((99, 30))
    )
    assert console_width({}) == 99
    monkeypatch.setattr("builtins.get_ipython", lambda: None, raising=False)
    assert console_width({"COLUMNS": "132"}) is None


@pytest.mark.parametrize("width", [36, 45, 57, 80])
def test_columns_of_one_width_shrink_evenly(width: int) -> None:
    """Columns all as wide as the widest shrink together."""
    headers = ["h1", "h2", "h3", "h4", "h5", "h6"]
    rows = [["aa bb cc dd ee ff gg"] * 6, ["ab cd"] * 6]
    text = table_text("T", headers, rows, width, encoding="utf-8")
    assert text is not None
    assert text == _rich("T", headers, rows, width)


def _conflicts() -> tuple[Conflict, ...]:
    from gcsched.api.validation import validate

    result = validate(EXAMPLE, today=date(2026, 1, 1))
    assert result.check.conflicts  # the example has audience conflicts
    return result.check.conflicts


@pytest.mark.parametrize("columns", ["80", "200"])
def test_print_conflicts_on_a_pipe_is_riches_table(
    columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The validate table: plain on a pipe, byte for byte what rich printed."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(common, "_CONSOLES", {})  # rich reads COLUMNS when made
    conflicts = _conflicts()
    rows = render.print_conflicts(conflicts)
    fast = capsys.readouterr().out
    monkeypatch.setattr(plain_table, "table_text", lambda *a, **k: None)
    assert render.print_conflicts(conflicts) == rows
    assert capsys.readouterr().out == fast
    assert fast.startswith("Conflicts\n┏")


def test_print_conflicts_leaves_terminals_and_notebooks_to_rich(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A terminal gets rich's colours; IPython's width is rich's to choose."""
    conflicts = _conflicts()
    called: list[object] = []
    monkeypatch.setattr(plain_table, "table_text", lambda *a, **k: called.append(a))
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setattr(common, "_CONSOLES", {})
    render.print_conflicts(conflicts)
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    monkeypatch.setattr("builtins.get_ipython", lambda: None, raising=False)
    monkeypatch.setattr(common, "_CONSOLES", {})
    render.print_conflicts(conflicts)
    assert capsys.readouterr().out.startswith("Conflicts\n┏")
    assert called == []
    assert render.print_conflicts(()) == 0


@pytest.mark.parametrize("policy", ["warn", "trim", "reject"])
def test_pairs_group_as_their_overlaps_do(
    policy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Grouping the check's pairs prints what grouping every overlap printed."""
    from gcsched.api.validation import validate

    path = tmp_path / "shared.yaml"
    path.write_text(shared_lists(policy), encoding="utf-8")
    for file in (path, EXAMPLE):
        check = validate(file, today=date(2026, 1, 1)).check
        assert len(check.conflicts) > len(check.pairs) > 1
        rows = render.print_conflicts(check.conflicts)
        by_overlap = capsys.readouterr().out
        assert render.print_conflicts(check.conflicts, pairs=check.pairs) == rows
        assert capsys.readouterr().out == by_overlap
