"""Console output without rich when nobody sees colours: the same bytes, cheaper.

Importing rich costs a fast command (`gcsched validate FILE`, `--version`) a
large share of its start-up. When the output is a pipe or a file, rich prints
plain text: the markup's tags dropped, its escapes undone, JSON indented.
`PlainConsole` prints exactly that without importing rich, and hands anything
else (a terminal, a table, a line with a tab to expand) to a rich console, so
what reaches the reader never depends on which of the two printed it.

`escape` and the tag grammar are rich's (`rich.markup`), kept here byte for byte:
markup written with this `escape` renders the same through rich.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["PlainConsole", "escape", "markup_text", "rich_prints_plain"]

#: rich.markup.RE_TAGS: an optional run of backslashes, then ``[tag]``.
_TAGS = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
#: What rich's `Text` strips from every string (rich.control.STRIP_CONTROL_CODES).
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


def escape(markup: str) -> str:
    """`markup` with its square brackets escaped (`rich.markup.escape`)."""

    def backslashes(match: re.Match[str]) -> str:
        slashes, text = match.groups()
        return f"{slashes}{slashes}\\{text}"

    markup = _ESCAPE.sub(backslashes, markup)
    if markup.endswith("\\") and not markup.endswith("\\\\"):
        return markup + "\\"
    return markup


def markup_text(markup: str) -> str:
    """The text rich prints for `markup`, styles dropped (`rich.markup.render`)."""
    parts: list[str] = []
    position = 0
    for match in _TAGS.finditer(markup):
        full, escapes, _tag = match.groups()
        start, end = match.span()
        parts.append(markup[position:start])
        position = end
        slashes, escaped = divmod(len(escapes), 2)
        parts.append("\\" * slashes)
        if escaped:
            parts.append(full[len(escapes) :])
    parts.append(markup[position:])
    return "".join(parts).translate(_STRIPPED)


def rich_prints_plain(file: IO[str], environ: dict[str, str] | None = None) -> bool:
    """Whether a rich console on `file` would print no escape codes at all.

    rich's own test (`Console.is_terminal`): ``TTY_COMPATIBLE``, then
    ``FORCE_COLOR``, then whether the file is a terminal.
    """
    env = os.environ if environ is None else environ
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force == ""
    isatty: Callable[[], bool] | None = getattr(file, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:
        return True


class PlainConsole:
    """The `print` and `print_json` of a rich console, without rich for pipes.

    Args:
        stderr: print to ``sys.stderr`` (else ``sys.stdout``), looked up at
            each print as rich does (so a test's captured streams are used).
        rich: the rich console to hand terminals and rich objects to; made
            on first need by the caller's factory.
    """

    def __init__(self, *, stderr: bool, rich: Callable[[], Console]) -> None:
        self._stderr = stderr
        self._rich = rich

    @property
    def file(self) -> IO[str]:
        """Where this console prints now."""
        return sys.stderr if self._stderr else sys.stdout

    def print(self, markup: Any = "") -> None:
        """Print `markup` (a str of console markup, or any rich renderable)."""
        file = self.file
        if isinstance(markup, str) and rich_prints_plain(file):
            text = markup_text(markup)
            if "\t" not in text:  # rich expands tabs by cell width: let it
                file.write(text + "\n")
                file.flush()
                return
        self._rich().print(markup)

    def print_json(self, text: str) -> None:
        """Print the JSON document `text`, indented by two spaces."""
        file = self.file
        if not rich_prints_plain(file):
            self._rich().print_json(text)
            return
        data = json.loads(text)
        file.write(json.dumps(data, indent=2, ensure_ascii=False).translate(_STRIPPED))
        file.write("\n")
        file.flush()
