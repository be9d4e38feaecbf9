"""handle_errors: how a command's failures end (message and exit code)."""

from __future__ import annotations

import click
import pytest
import typer

from gcsched.cli.common import handle_errors


@handle_errors
def _declined_at_the_prompt() -> None:
    """What typer.confirm raises on Ctrl-C or end of input."""
    raise click.exceptions.Abort


def test_ctrl_c_at_the_confirm_prompt_is_not_an_unexpected_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Abort from a prompt says nothing was changed; no 'unexpected error'."""
    with pytest.raises(typer.Exit) as info:
        _declined_at_the_prompt()
    assert info.value.exit_code == 130
    printed = capsys.readouterr().err
    assert "unexpected" not in printed
    assert "nothing was changed" in printed
