"""A table as rich prints it on a pipe, without importing rich.

The conflicts table of `gcsched validate` was a rich `Table` even when the
output went to a pipe or a file, and rich's import and layout were a tenth of
the command on a 1,000-schedule file. `table_text` lays out the one kind of
table the CLI prints there (rich's defaults: a heavy-headed box with edges,
one space of padding each side, left-justified cells that wrap at spaces, the
header aligned to the bottom, a left-justified title) by rich's own rules:
each column's width from its cells' longest word and longest line, the widest
columns shrunk in turn while the table is wider than the console
(`rich.table.Table._calculate_column_widths`), and each cell
wrapped word by word (`rich._wrap.divide_line`, no folding).

It answers only where its bytes are rich's for certain: text of single-width
characters without control codes (`SAFE`), a UTF-8 stream, and room for the
borders and a cell of one character. Anything else is None, and the caller
hands the table to rich. A word wider than its column is cut with an
ellipsis, as rich cuts it. `console_width` is the width a
rich console would take (`rich.console.Console.size`).
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Mapping, Sequence

__all__ = ["SAFE", "console_width", "table_text"]

#: Characters rich measures as one cell each and never treats as whitespace
#: but the space: printable ASCII and the two symbols the CLI's tables use.
SAFE = re.compile(r"[\x20-\x7e→×]*")
#: rich's word: leading spaces, the word, trailing spaces (`rich._wrap.re_word`).
_WORD = re.compile(r" *[^ ]+ *")
#: The streams rich asks for a terminal size, in its order: stdin, stdout, stderr.
_STREAMS = (0, 1, 2)
#: rich's fallback width when no stream is a terminal.
_DEFAULT_WIDTH = 80
#: rich.box.HEAVY_HEAD, by the rows `Box` reads: top, head, head row, body, bottom.
_TOP = "┏━┳┓"
_HEAD = "┃┃┃"
_HEAD_ROW = "┡━╇┩"
_BODY = "│││"
_BOTTOM = "└─┴┘"


def console_width(environ: Mapping[str, str] | None = None) -> int | None:
    """The width a rich console on this process would print at (None: ask rich).

    ``COLUMNS`` when it is a number, else the first of stdin, stdout and
    stderr that is a terminal, else 80; None inside IPython or Jupyter, whose
    widths rich sets otherwise.
    """
    if hasattr(builtins, "get_ipython"):
        return None
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for stream in _STREAMS:
        try:
            width = os.get_terminal_size(stream).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or _DEFAULT_WIDTH
    return _DEFAULT_WIDTH


def _measure(text: str, width: int) -> tuple[int, int]:
    """A padded cell's (minimum, maximum) width within `width` (rich.measure)."""
    if width - 2 < 1:
        return width, width
    words = text.split()
    longest = len(text)
    shortest = max(map(len, words)) if words else longest
    low, high = min(shortest, width), min(longest, width)
    if high < 1:
        low = high = 0
    low = min(max(0, low), high)
    return min(low + 2, width), min(high + 2, width)


def _column_widths(cells: Sequence[Sequence[str]], width: int) -> list[int]:
    """Each column's width, padding included (rich's algorithm; see the module)."""
    ranges = [_column_range(column, width) for column in cells]
    widths = [high or 1 for _, high in ranges]
    if sum(widths) <= width:
        return widths
    excess = sum(widths) - width
    # The widest columns shrink toward the next widest (toward 0 when all are
    # alike) until the table fits: with every width >= 1 each round cuts the
    # whole excess or reaches the next width, so rich's last resort (cut every
    # column evenly) never comes.
    while excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        widths = _reduce(
            excess, ratios, [min(excess, widest - second)] * len(widths), widths
        )
        excess = sum(widths) - width
    return [
        high or 0
        for _, high in (_column_range(c, w) for c, w in zip(cells, widths, strict=True))
    ]


def _column_range(column: Sequence[str], width: int) -> tuple[int, int]:
    # A width below 1 measures below 3 here, and the caller declines it.
    measured = [_measure(text, width) for text in column]
    low = max(m[0] for m in measured)
    high = max(m[1] for m in measured)
    return min(low, width), min(high, width)


def _reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """`values` less `total` shared by `ratios`, each cut at most its maximum."""
    ratios = [ratio if top else 0 for ratio, top in zip(ratios, maximums, strict=True)]
    left, remaining = sum(ratios), total  # > 0: a ratio of 1 on a width >= 1
    out: list[int] = []
    for ratio, top, value in zip(ratios, maximums, values, strict=True):
        if ratio and left > 0:
            cut = min(top, round(ratio * remaining / left))
            out.append(value - cut)
            remaining -= cut
            left -= ratio
        else:
            out.append(value)
    return out


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of `width` cells, padded with spaces (rich's left wrap).

    A word wider than `width` takes a line of its own, cut to fit with an
    ellipsis (rich's default overflow for a table cell).
    """
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip(" "))
        if width - offset >= length:
            offset += len(word)
            continue
        if start and (offset or length > width):
            breaks.append(start)
        offset = len(word)
    lines: list[str] = []
    for begin, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        line = text[begin:end]
        if len(line) > width:  # rich drops trailing spaces past the width only
            line = line[: max(width, len(line.rstrip(" ")))]
        if len(line) > width:
            line = line[: width - 1] + "…"
        lines.append(line.ljust(width))
    return lines


def table_text(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    encoding: str,
) -> str | None:
    """The table as rich's `Console.print(Table(...))` writes it to a pipe.

    Args:
        title: printed above the table, as written.
        headers: one per column.
        rows: the cells, as plain text (not markup).
        width: the console's width (`console_width`).
        encoding: the stream's encoding (rich draws an ASCII box unless UTF).

    Returns:
        The text, every line ending in a newline; None when only rich can
        say (see the module).
    """
    if not encoding.lower().startswith("utf"):
        return None
    texts = [title, *headers, *(cell for row in rows for cell in row)]
    if not all(SAFE.fullmatch(text) for text in texts):
        return None
    inner = width - (len(headers) + 1)
    if inner < 1:
        return None
    cells = [[header, *(row[i] for row in rows)] for i, header in enumerate(headers)]
    widths = _column_widths(cells, inner)
    if any(w < 3 for w in widths):
        return None
    out = [title] if title else []
    out.append(_line(_TOP, widths))
    for index, row in enumerate([headers, *rows]):
        wrapped = [_wrap(text, w - 2) for text, w in zip(row, widths, strict=True)]
        height = max(len(lines) for lines in wrapped)
        edges = _HEAD if index == 0 else _BODY
        for i, lines in enumerate(wrapped):
            blank = [" " * (widths[i] - 2)] * (height - len(lines))
            # The header row sits at the bottom of its height, the rest at the top.
            wrapped[i] = blank + lines if index == 0 else lines + blank
        for line in range(height):
            inside = edges[1].join(f" {lines[line]} " for lines in wrapped)
            out.append(f"{edges[0]}{inside}{edges[2]}")
        if index == 0:
            out.append(_line(_HEAD_ROW, widths))
    out.append(_line(_BOTTOM, widths))
    return "\n".join(out) + "\n"


def _line(box: str, widths: Sequence[int]) -> str:
    """A border line: left corner, runs of the horizontal joined, right corner."""
    return box[0] + box[2].join(box[1] * w for w in widths) + box[3]
