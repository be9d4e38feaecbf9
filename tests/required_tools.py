"""Outside tools some tests need: skipped when missing locally, an error under CI.

A test that needs a tool calls `require_tool(name)` (directly or from a fixture)
and gets the tool's path. When the tool is missing the test is skipped on a
developer's machine, but with ``CI=true`` in the environment it fails: in CI a
missing tool is a broken setup, never a silently skipped test. The Makefile
installs each tool (as root); add a tool here and there together.
"""

from __future__ import annotations

import glob
import os
import shutil
from dataclasses import dataclass
from typing import Final

import pytest

__all__ = ["REQUIRED_TOOLS", "Tool", "postgres_bindir", "require_tool"]


def postgres_bindir() -> str:
    """Where Debian's PostgreSQL server binaries are (the newest version's)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else "/usr/lib/postgresql/15/bin"


@dataclass(frozen=True, slots=True)
class Tool:
    """An executable (a name on PATH or an absolute path) and how to get it."""

    command: str
    install: str


REQUIRED_TOOLS: Final[dict[str, Tool]] = {
    "chromium": Tool(
        "/usr/bin/chromium", "`make chromium` (as root) installs Debian's chromium"
    ),
    "promtool": Tool(
        "promtool", "`make promtool` (as root) installs Debian's prometheus package"
    ),
    "postgresql": Tool(
        os.path.join(postgres_bindir(), "initdb"),
        "`make postgresql` (as root) installs Debian's postgresql package",
    ),
}


def require_tool(name: str) -> str:
    """Return the path of the tool `name`; skip the test (fail it under CI) if missing.

    Raises:
        KeyError: `name` is not in `REQUIRED_TOOLS`.
    """
    tool = REQUIRED_TOOLS[name]
    found = shutil.which(tool.command)
    if found is not None:
        return found
    msg = f"required tool {name} missing ({tool.command}): {tool.install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg}; CI=true, so this is an error, not a skip", pytrace=False)
    pytest.skip(msg)
