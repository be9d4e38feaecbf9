"""The typer app of `gcsched`: the root callback (global options) and the group.

Global options may come before or after the command (`gcsched.cli.app`
hoists them). The commands are imported only when asked for
(`gcsched.cli.lazy_group`): `gcsched validate` never imports the modules of
`plan`, `apply` or the sandbox.
"""

from __future__ import annotations

import sys

import typer

from gcsched.cli.common import Globals
from gcsched.cli.fast import version_text
from gcsched.cli.lazy_group import LazyGroup

__all__ = ["app"]

app = typer.Typer(
    name="gcsched",
    help="Schedules-as-code for Genesys Cloud outbound.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
    sandbox: bool = typer.Option(
        False, "--sandbox", help="Use the embedded sandbox org (state in --state-dir)."
    ),
    api_url: str | None = typer.Option(None, "--api-url", help="The API base URL."),
    region: str | None = typer.Option(
        None, "--region", help="Genesys region, e.g. us-east-1 or mypurecloud.ie."
    ),
    env: str | None = typer.Option(
        None,
        "--env",
        help="The file's environment to use (plan also takes `all`).",
    ),
    state_dir: str = typer.Option(
        ".gcsched", "--state-dir", help="Journal, audit log and lock live here."
    ),
    state_url: str | None = typer.Option(
        None,
        "--state-url",
        envvar="GCSCHED_STATE_URL",
        show_envvar=False,
        help="Keep journal, audit chain and lock in PostgreSQL "
        "(postgresql://...; or GCSCHED_STATE_URL) instead of --state-dir.",
    ),
    lock_timeout: float = typer.Option(
        0.0,
        "--lock-timeout",
        min=0.0,
        help="Seconds to wait for another writer's lock (default 0: refuse).",
    ),
    log_format: str = typer.Option("text", "--log-format", help="text or json."),
    insecure_http: bool = typer.Option(
        False,
        "--insecure-http",
        help="Accept a plain http:// API URL to a host that is not loopback "
        "(the client secret then travels in cleartext).",
    ),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More logs."),
) -> None:
    """Schedules-as-code for Genesys Cloud outbound."""
    del version
    if log_format not in ("text", "json"):
        msg = "use text or json"
        raise typer.BadParameter(msg, param_hint="--log-format")
    from gcsched.telemetry.logs import configure_logging

    configure_logging(fmt=log_format, verbosity=verbose, stream=sys.stderr)  # type: ignore[arg-type]
    ctx.obj = Globals(
        sandbox=sandbox,
        api_url=api_url,
        region=region,
        env=env,
        state_dir=state_dir,
        log_format=log_format,
        verbose=verbose,
        insecure_http=insecure_http,
        state_url=state_url or None,
        lock_timeout=lock_timeout,
    )
