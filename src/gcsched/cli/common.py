"""What every command shares: global options, consoles, errors → exit codes."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

from gcsched.cli.plain_console import PlainConsole, escape
from gcsched.telemetry.printable import printable as _printable
from gcsched.telemetry.printable import printable_lines

if TYPE_CHECKING:
    import typer
    from rich.console import Console
    from rich.text import Text

    from gcsched.api.state import StatePaths

    out: Console
    err: Console

__all__ = [
    "GLOBAL_FLAGS",
    "GLOBAL_OPTIONS",
    "Globals",
    "err",
    "fail",
    "globals_of",
    "handle_errors",
    "out",
    "plain",
    "plain_err",
    "plain_out",
    "print_error",
    "printable",
    "report_failure",
    "run_async",
    "state_of",
    "today",
    "write_json",
]

P = ParamSpec("P")
T = TypeVar("T")

_CONSOLES: dict[str, Console] = {}


def _console(name: str) -> Console:
    """The rich console `out` or `err`, made on first use (rich is slow to import)."""
    console = _CONSOLES.get(name)
    if console is None:
        from rich.console import Console

        # No emoji codes: text such as `a:x:b` from a file or the org prints as written.
        console = Console(
            stderr=name == "err", highlight=False, soft_wrap=True, emoji=False
        )
        _CONSOLES[name] = console
    return console


def __getattr__(name: str) -> Console:
    """`out` and `err`, the rich consoles of stdout and stderr (PEP 562)."""
    if name in ("out", "err"):
        return _console(name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


#: `out` and `err` as plain text when they are not terminals, without rich.
plain_out = PlainConsole(stderr=False, rich=lambda: _console("out"))
plain_err = PlainConsole(stderr=True, rich=lambda: _console("err"))

#: Global options that take a value, and flags; accepted before or after the command.
GLOBAL_OPTIONS = (
    "--api-url",
    "--region",
    "--env",
    "--state-dir",
    "--state-url",
    "--lock-timeout",
    "--log-format",
)
GLOBAL_FLAGS = ("--sandbox", "--insecure-http", "-v", "-vv", "-vvv", "--verbose")


@dataclass(slots=True)
class Globals:
    """The global options of this invocation."""

    sandbox: bool = False
    api_url: str | None = None
    region: str | None = None
    env: str | None = None
    state_dir: str = ".gcsched"
    log_format: str = "text"
    verbose: int = 0
    insecure_http: bool = False
    state_url: str | None = None
    lock_timeout: float = 0.0


def globals_of(ctx: typer.Context) -> Globals:
    """The global options (set by the root callback)."""
    root = ctx.find_root()
    obj = root.obj
    if isinstance(obj, Globals):
        return obj
    return Globals()


def state_of(ctx: typer.Context) -> StatePaths:
    """The state of this invocation: `--state-dir`, or `--state-url` /
    ``GCSCHED_STATE_URL`` (a PostgreSQL database)."""
    from gcsched.api.state import StatePaths

    g = globals_of(ctx)
    return StatePaths.at(g.state_dir, g.state_url)


def today() -> date:
    """Today's date (UTC): the one place the CLI reads the clock for planning."""
    return datetime.now(UTC).date()


def printable(text: str) -> str:
    """`text` with control, bidi and line-breaking characters made visible as �.

    Names come from the file and the org: an escape sequence in a campaign name
    must not reach the terminal (`gcsched.telemetry.printable`, shared with logs).
    """
    return _printable(text)


def plain(text: str, style: str = "") -> Text:
    """User or org text as a rich `Text`: never markup, never control codes."""
    from rich.text import Text

    return Text(printable(text), style=style)


def print_error(message: str) -> None:
    """Print `message` (plain text, never markup) to stderr as an error."""
    plain_err.print(f"[bold red]error:[/] {escape(printable_lines(message))}")


def fail(message: str, code: int) -> NoReturn:
    """Print `message` (plain text, never markup) to stderr and exit with `code`."""
    import typer

    print_error(message)
    raise typer.Exit(code)


def report_failure(exc: BaseException) -> int:
    """Say why a command failed, on stderr, and return design.md's exit code.

    Never a traceback: unexpected errors say so and exit 1 (with `-v` the
    traceback goes to the log). The typer commands (`handle_errors`) and the
    fast path (`gcsched.cli.fast`) both answer through here.
    """
    from gcsched.errors import GcSchedError
    from gcsched.telemetry.redact import REDACTOR

    if isinstance(exc, GcSchedError):
        print_error(REDACTOR.redact(exc.message))
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        plain_err.print("interrupted; re-run the same command to resume")
        return 130
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        print_error(REDACTOR.redact(f"{exc.strerror or exc}{where}"))
        return 1
    import logging

    logging.getLogger("gcsched").debug("unexpected error", exc_info=exc)
    text = REDACTOR.redact(f"{type(exc).__name__}: {exc}")
    print_error(f"unexpected error ({text}); re-run with -v for details")
    return 1


def handle_errors(fn: Callable[P, T]) -> Callable[P, T]:
    """Turn gcsched errors into a clear message and design.md's exit code.

    Never a traceback: unexpected errors say so and exit 1 (with `-v` the
    traceback goes to the log).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        import typer

        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except typer.Abort:
            # Ctrl-C or end of input at a prompt (the apply confirmation):
            # typer's own Abort, not click's (typer no longer uses click).
            plain_err.print("aborted at the prompt; nothing was changed")
            raise typer.Exit(130) from None
        except (Exception, KeyboardInterrupt) as exc:
            raise typer.Exit(report_failure(exc)) from None

    return wrapper


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from a command.

    The result comes back through a box, not as the main task's result: on
    the way out, Python 3.11's `asyncio.run` reprs its SIGINT handler, whose
    repr holds the main task's, whose repr holds the result's: a plan of 61,075
    conflicting pairs cost 1.5 s and tens of MB of text there.
    """
    import asyncio

    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]


def env() -> dict[str, str]:
    """The process environment (secrets are read from here only)."""
    return dict(os.environ)


def is_interactive() -> bool:
    """True when a person can answer a prompt."""
    return sys.stdin.isatty()


#: About how much `write_json` hands its stream at once.
_JSON_PIECE = 1 << 16


def write_json(stream: IO[str], data: object, *, ensure_ascii: bool = False) -> None:
    """`data` as JSON indented by 2, then a newline, written as it is encoded.

    `json.dumps` with an indent builds the whole text before anything is
    written (tens of MiB for a plan of a few hundred campaigns on one list);
    this hands the stream the same text in pieces of about 64 KiB (one write
    per encoder fragment would cost more than the encoding).
    """
    encoder = json.JSONEncoder(indent=2, ensure_ascii=ensure_ascii)
    pending: list[str] = []
    size = 0
    for fragment in encoder.iterencode(data):
        pending.append(fragment)
        size += len(fragment)
        if size >= _JSON_PIECE:
            stream.write("".join(pending))
            pending.clear()
            size = 0
    pending.append("\n")
    stream.write("".join(pending))
