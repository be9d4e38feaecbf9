"""Opening a connection from the global options (secrets come from the environment)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from gcsched.cli.common import Globals, fail

if TYPE_CHECKING:
    from gcsched.api import Connection
    from gcsched.domain.model import ScheduleFile

__all__ = ["ALL", "environments_of", "load_file", "open_connection"]

ALL = "all"
"""`--env all`: every environment of the file (plan only)."""


def _choose(path: Path, names: tuple[str, ...]) -> str:
    return (
        f"{path} names environments {', '.join(names)}: choose one with "
        "--env NAME (plan also takes --env all)"
    )


def load_file(g: Globals, path: Path) -> ScheduleFile:
    """The schedule file for `--env` (one environment; never `all`).

    A file with environments and no `--env` is a usage error (exit 2) that
    lists them; so is `--env all` here (only plan takes it).
    """
    from gcsched.api import load

    if g.env == ALL:
        fail("--env all is for plan only: apply one environment at a time", 2)
    if g.env is not None:
        return load(path, env=g.env)
    schedule_file = load(path)
    if schedule_file.environments:
        fail(_choose(path, schedule_file.environments), 2)
    return schedule_file


def environments_of(g: Globals, path: Path) -> tuple[ScheduleFile, ...]:
    """The file once per environment `--env` selects (`all`: every one)."""
    from gcsched.api import load

    if g.env != ALL:
        return (load_file(g, path),)
    names = load(path).environments
    if not names:
        fail(f"--env all: {path} names no environments", 2)
    return tuple(load(path, env=name) for name in names)


def open_connection(
    g: Globals,
    *,
    file: ScheduleFile | None = None,
    file_region: str | None = None,
    environment: str | None = None,
) -> AbstractAsyncContextManager[Connection]:
    """`gcsched.connect(...)` with the global options and the process environment.

    With `file`, its region (or its environment's `region`/`api_url`) is the
    last resort for where to connect, and its environment picks the
    credentials (`..._ID_<ENV>` first); without one, `environment` does (a
    revert: the reverted run's).
    """
    from gcsched.api import connect

    return connect(
        api_url=g.api_url,
        region=g.region,
        file_region=file.region if file is not None else file_region,
        file_api_url=file.api_url if file is not None else None,
        environment=file.environment if file is not None else environment,
        sandbox=g.sandbox,
        state_dir=g.state_dir,
        insecure_http=g.insecure_http,
        state_url=g.state_url,
        lock_timeout=g.lock_timeout,
    )
