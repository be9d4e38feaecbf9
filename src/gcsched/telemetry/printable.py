"""The one printable-text function for every human output (terminal and logs).

Names come from the file and from the org: a campaign or org name may carry ESC
sequences (clearing the screen, an OSC 52 clipboard write), BEL, a newline that
forges a line of plan output, or U+202E that reorders what the reader sees. Each
such character becomes U+FFFD before it is printed or logged.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "printable", "printable_lines", "unsafe_characters"]

UNSAFE = re.compile(
    "["
    "\x00-\x08\x0a-\x1f\x7f-\x9f"  # C0 (tab excepted, newline included), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "]"
)
"""Characters no human output carries as they are."""

_REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    """`text` with control, bidi and line-breaking characters shown as U+FFFD."""
    return UNSAFE.sub(_REPLACEMENT, text)


def printable_lines(text: str) -> str:
    """As `printable`, keeping the line breaks of a message written as lines."""
    return "\n".join(printable(line) for line in text.split("\n"))


def unsafe_characters(text: str) -> list[str]:
    """The unsafe characters of `text`, as ``U+XXXX`` names, in order, once each."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in UNSAFE.findall(text))
    return list(found)
