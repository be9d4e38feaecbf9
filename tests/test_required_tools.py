"""A missing outside tool: a skip on a developer's machine, an error under CI=true."""

from __future__ import annotations

import sys

import pytest

from required_tools import REQUIRED_TOOLS, Tool, require_tool

MISSING = Tool("/nonexistent/gcsched-test-tool", "nothing installs it")


def test_present_tool_gives_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool on disk is returned, CI or not."""
    monkeypatch.setitem(REQUIRED_TOOLS, "python", Tool(sys.executable, "-"))
    monkeypatch.setenv("CI", "true")
    assert require_tool("python") == sys.executable


def test_missing_tool_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without CI=true the test is skipped, with the way to install the tool."""
    monkeypatch.setitem(REQUIRED_TOOLS, "missing", MISSING)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="nothing installs it"):
        require_tool("missing")


def test_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under CI=true a missing tool fails the test: never a silent skip."""
    monkeypatch.setitem(REQUIRED_TOOLS, "missing", MISSING)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required tool missing missing"):
        require_tool("missing")


def test_every_tool_names_how_to_install_it() -> None:
    """chromium, promtool and postgresql are known, each with its make target."""
    assert {"chromium", "promtool", "postgresql"} <= set(REQUIRED_TOOLS)
    for name in ("chromium", "promtool", "postgresql"):
        assert f"make {name}" in REQUIRED_TOOLS[name].install
