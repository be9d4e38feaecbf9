"""`gcsched sandbox ...` commands (filled in by the sandbox work)."""

from __future__ import annotations

import typer

sandbox_app = typer.Typer(
    help="The local Genesys Cloud API sandbox.", no_args_is_help=True
)
