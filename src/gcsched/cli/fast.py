"""The fast path of the console entry point: the commonest commands, no typer.

typer converts every option through pydantic and pulls in rich: about half of
what `gcsched validate FILE` cost before its work began. `answer` recognises
exactly ``--version`` and ``validate FILE [--json]`` (``--json`` before or
after FILE) and runs them through the same code the typer commands run
(`version_text`, `gcsched.cli.validate_cmd.validate_file`,
`gcsched.cli.common.report_failure`); anything else (another command, a global
option, ``--help``, an unknown flag, a second file) is left to the typer app,
so every message and exit code stays typer's.
"""

from __future__ import annotations

from pathlib import Path

from gcsched._version import __version__

__all__ = ["answer", "validate_arguments", "version_text"]


def version_text() -> str:
    """What ``gcsched --version`` prints."""
    return f"gcsched {__version__}"


def validate_arguments(argv: list[str]) -> tuple[str, bool] | None:
    """FILE and whether ``--json`` was given, if `argv` is a plain validate."""
    if not argv or argv[0] != "validate":
        return None
    rest = argv[1:]
    as_json = "--json" in rest
    files = [arg for arg in rest if arg != "--json"]
    if len(rest) - len(files) > 1 or len(files) != 1:
        return None
    file = files[0]
    # Not printable: control characters, or an undecodable byte of argv (a
    # surrogate escape); typer has its own ways with those.
    if file.startswith("-") or not file.isprintable():
        return None
    return file, as_json


def answer(argv: list[str]) -> int | None:
    """Run `argv` if it is one of the fast commands: its exit code, else None."""
    if argv == ["--version"]:
        print(version_text())
        return 0
    command = validate_arguments(argv)
    if command is None:
        return None
    file, as_json = command
    from gcsched.cli.common import report_failure
    from gcsched.cli.validate_cmd import validate_file

    try:
        return validate_file(Path(file), as_json=as_json)
    except (Exception, KeyboardInterrupt) as exc:
        return report_failure(exc)
