"""The gcsched command line: a thin layer over `gcsched.api`."""

from __future__ import annotations

import typer

from gcsched._version import __version__
from gcsched.cli.sandbox_cmd import sandbox_app

app = typer.Typer(
    name="gcsched",
    help="Schedules-as-code for Genesys Cloud outbound.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(sandbox_app, name="sandbox")


def _version(value: bool) -> None:
    if value:
        print(f"gcsched {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Schedules-as-code for Genesys Cloud outbound."""


def main() -> None:
    """Console-script entry point."""
    app()
