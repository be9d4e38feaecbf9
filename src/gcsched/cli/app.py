"""The gcsched command line: a thin layer over `gcsched.api`.

`main` is the console entry point. The commonest commands (`gcsched validate
FILE [--json]`, `gcsched --version`) are answered by `gcsched.cli.fast`
without importing typer; everything else goes to the typer app
(`gcsched.cli.root`, here as `app`, imported on first use), which prints the
same bytes and exit codes for those commands too.

Global options may come before or after the command (`gcsched plan f.yaml
--sandbox` works like `gcsched --sandbox plan f.yaml`).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from gcsched._lazy import lazy_attributes
from gcsched.cli.common import GLOBAL_FLAGS, GLOBAL_OPTIONS

if TYPE_CHECKING:
    from gcsched.cli.root import app

__all__ = [
    "app",
    "console",
    "exit_now",
    "hoist_globals",
    "main",
    "skip_pydantic_plugins",
    "tune_gc",
]


def hoist_globals(argv: list[str]) -> list[str]:
    """Move global options found after the command to the front."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            front.append(arg)
            if "=" not in arg and i + 1 < len(argv):
                front.append(argv[i + 1])
                i += 1
        elif arg in GLOBAL_FLAGS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def tune_gc() -> None:
    """Collect garbage cycles less often: a command is a short process.

    Expanding a year of 1,000 schedules allocates ~10^6 objects that all stay
    alive; with the default thresholds the collector traverses them again and
    again (about a quarter of `gcsched validate`'s CPU time). The objects alive
    when it runs (the interpreter's and the entry point's; the commands import
    the rest later) are frozen out of every collection, and the youngest
    generation is collected every 100,000 allocations instead of 700, as mypy
    does for the same reason. Nothing gcsched does relies on prompt collection.
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def skip_pydantic_plugins() -> None:
    """Do not look for third-party pydantic plugins (unless the user says so).

    pydantic looks for plugins (observability hooks, by package metadata entry
    points) the first time a model validates: it reads the metadata of every
    distribution installed beside gcsched, a cost that grows with the
    environment (~5 ms in gcsched's own). The models the CLI validates are
    its own file's, which no plugin is for. ``PYDANTIC_DISABLE_PLUGINS`` set
    in the environment wins: plugins load as the user asks. The library,
    imported by someone else's program, leaves the choice to that program.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(*, hard_exit: bool = False) -> None:
    """Run the command of ``sys.argv``; the console script is `console`.

    Args:
        hard_exit: end a fast command (`gcsched.cli.fast`) without tearing
            the interpreter down, and without collecting garbage on the way
            (`console`); False, for a caller that goes on after it, ends it
            with `SystemExit` as any command.
    """
    tune_gc()
    skip_pydantic_plugins()
    argv = sys.argv[1:]
    from gcsched.cli.fast import answer

    if hard_exit:
        gc.disable()  # for a fast command; the typer app gets it back below
    code = answer(argv)
    if code is not None:
        if hard_exit:
            exit_now(code)
        sys.exit(code)
    if hard_exit:
        gc.enable()
    from gcsched.cli.root import app

    app(args=hoist_globals(argv), prog_name="gcsched")


def console() -> None:
    """The ``gcsched`` console script: `main`, a fast command ended at once.

    `gcsched validate FILE` is one pass over a file of at most 5 MB whose
    objects all stay alive until the process ends: a garbage collection
    frees nothing (the same peak RSS for 5,000 schedules, measured with and
    without it) and a normal exit frees the million objects of 1,000
    schedules one by one. Together about a tenth of the command's CPU time
    for 1,000 schedules, a seventh for 5,000 (docs/benchmarks.md); mypy ends
    its runs the same way, for the same reason.
    """
    main(hard_exit=True)


def exit_now(code: int) -> NoReturn:
    """End the process with `code` once its output is written, skipping the
    interpreter's teardown (freeing every object, running finalizers).

    Falls back to a normal exit, whose error reporting users know, when the
    output cannot be flushed (a closed pipe) or when something registered
    work for the exit (`atexit`: a coverage or profiling tool, say).
    """
    if atexit._ncallbacks():  # CPython's count of them (typeshed has it)
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # closed, or no stream at all
        sys.exit(code)
    os._exit(code)


__getattr__, __dir__ = lazy_attributes(
    "gcsched.cli.app", {"app": "gcsched.cli.root"}, globals()
)


if __name__ == "__main__":
    main()
