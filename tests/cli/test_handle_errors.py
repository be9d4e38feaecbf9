"""handle_errors: how a command's failures end (message and exit code)."""

from __future__ import annotations

import io

import pytest
import typer

from gcsched.cli.common import handle_errors


@handle_errors
def _declined_at_the_prompt() -> None:
    """typer.confirm at the end of its input raises typer's Abort (not click's)."""
    typer.confirm("Apply these changes?", abort=True)


def test_ctrl_c_at_the_confirm_prompt_is_not_an_unexpected_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Abort from a prompt says nothing was changed; no 'unexpected error'."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(typer.Exit) as info:
        _declined_at_the_prompt()
    assert info.value.exit_code == 130
    printed = capsys.readouterr().err
    assert "unexpected" not in printed
    assert "nothing was changed" in printed
