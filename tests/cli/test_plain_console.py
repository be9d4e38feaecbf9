"""PlainConsole prints what rich prints on a pipe, and hands terminals to rich."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from rich.console import Console
from rich.markup import escape as rich_escape

from gcsched.cli.plain_console import (
    PlainConsole,
    escape,
    markup_text,
    rich_prints_plain,
)

#: Text from a file or an org, as it reaches the CLI's markup.
TEXTS = [
    "",
    "plain",
    "a [b] c",
    "[red]not a style[/]",
    "trailing \\",
    "two \\\\",
    "\\[red]escaped already[/]",
    "\\\\[bold]x",
    "a:x:b :smile:",
    "bell\x07 cr\r ff\x0c vt\x0b bs\x08 del\x7f c1\x85",
    "é 中文 [@click]x[/]",
    "[#ff0000]hex[/] [link=https://x]l[/link]",
    "lone ] and [ brackets [",
]

#: Markup as the commands write it: our tags around escaped text.
MARKUPS = [
    *(escape(t) for t in TEXTS),
    *(f"[yellow]{escape(t)}[/]" for t in TEXTS),
    *(f"[bold red]error:[/] {escape(t)} — [green]valid[/]" for t in TEXTS),
]


def _rich_output(markup: str) -> str:
    buffer = io.StringIO()
    Console(file=buffer, highlight=False, soft_wrap=True, emoji=False).print(markup)
    return buffer.getvalue()


def _plain(monkeypatch: pytest.MonkeyPatch) -> PlainConsole:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    return PlainConsole(
        stderr=False,
        rich=lambda: Console(highlight=False, soft_wrap=True, emoji=False),
    )


@pytest.mark.parametrize("text", TEXTS)
def test_escape_is_riches(text: str) -> None:
    """The same escaping as rich.markup.escape, so markup means the same in both."""
    assert escape(text) == rich_escape(text)


@pytest.mark.parametrize("markup", MARKUPS)
def test_markup_prints_as_rich_prints_it_on_a_pipe(
    markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags dropped, escapes undone, control codes stripped: rich's bytes."""
    console = _plain(monkeypatch)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        console.print(markup)
    assert buffer.getvalue() == _rich_output(markup)


def test_a_tab_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich expands tabs by cell width; the plain console lets it."""
    console = _plain(monkeypatch)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        console.print("中文\tx [green]ok[/]")
    assert buffer.getvalue() == _rich_output("中文\tx [green]ok[/]")
    assert "\t" not in buffer.getvalue()


def test_json_prints_as_rich_prints_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Indented by two, non-ASCII as it is, control characters as JSON escapes."""
    console = _plain(monkeypatch)
    document = json.dumps(
        {"file": "é\x85\x07[red]", "n": [1, 2.5, None, True], "empty": {}}
    )
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        console.print_json(document)
    reference = io.StringIO()
    Console(file=reference, highlight=False, soft_wrap=True, emoji=False).print_json(
        document
    )
    assert buffer.getvalue() == reference.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Closed(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("I/O operation on closed file")


@pytest.mark.parametrize(
    ("file", "environ", "plain"),
    [
        (io.StringIO(), {}, True),
        (_Terminal(), {}, False),
        (_Closed(), {}, True),
        (object(), {}, True),
        (io.StringIO(), {"FORCE_COLOR": "1"}, False),
        (io.StringIO(), {"FORCE_COLOR": ""}, True),
        (_Terminal(), {"TTY_COMPATIBLE": "0"}, True),
        (io.StringIO(), {"TTY_COMPATIBLE": "1"}, False),
        (io.StringIO(), {"TTY_COMPATIBLE": "", "FORCE_COLOR": "yes"}, False),
    ],
)
def test_plain_exactly_when_rich_would_be(
    file: io.StringIO, environ: dict[str, str], plain: bool
) -> None:
    """rich's own terminal test, in its order; a rich console agrees."""
    assert rich_prints_plain(file, environ) is plain
    if isinstance(file, io.StringIO):
        rich = Console(file=file, _environ=environ)
        assert rich.is_terminal is not plain


def test_terminals_get_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    """With FORCE_COLOR, styles reach the terminal exactly as rich writes them."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    made: list[Console] = []

    def rich() -> Console:
        made.append(Console(stderr=True, highlight=False, soft_wrap=True))
        return made[-1]

    console = PlainConsole(stderr=True, rich=rich)
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        console.print("[red]refused[/] x")
        console.print_json('{"a": 1}')
    assert made  # rich printed
    assert "\x1b[31mrefused\x1b[0m x\n" in buffer.getvalue()
    assert "\x1b[" in buffer.getvalue().split("\n", 1)[1]


def test_markup_text_of_a_tag_run() -> None:
    """Escaped and unescaped tags side by side."""
    assert markup_text("\\\\\\[a][b]c[/b]\\\\[d]") == "\\[a]c\\"
    assert markup_text("\\\\\\[a][b]c[/b]\\\\[d]") == _rich_output(
        "\\\\\\[a][b]c[/b]\\\\[d]"
    ).removesuffix("\n")
