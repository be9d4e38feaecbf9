"""`gcsched sandbox ...` commands: the local Genesys Cloud API sandbox."""

from __future__ import annotations

from typing import Annotated

import typer

sandbox_app = typer.Typer(
    help="The local Genesys Cloud API sandbox.", no_args_is_help=True
)


@sandbox_app.command("serve")
def serve_command(
    *,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0 picks a free one).")] = 8765,
    seed: Annotated[
        str | None, typer.Option(help="JSON seed file (default: the demo org).")
    ] = None,
    rate_limit: Annotated[
        int, typer.Option(help="Requests per token per minute; 0 turns limiting off.")
    ] = 300,
    rate_window: Annotated[
        str,
        typer.Option(
            help="How requests are counted: fixed (60 s windows from a token's "
            "first request) or sliding (the last 60 s at every request).",
        ),
    ] = "fixed",
    token_ttl: Annotated[int, typer.Option(help="Seconds a token lives.")] = 86400,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            help="Inject a fault, KIND[:k=v,...]; repeatable "
            "(429, 5xx, latency, drop, token-expiry, editor)."
        ),
    ] = None,
    fault_seed: Annotated[
        int | None, typer.Option(help="Seed that makes the faults deterministic.")
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(help="JSON file to load the org from and save it to on exit."),
    ] = None,
    token_mint_limit: Annotated[
        int, typer.Option(help="Tokens per client per minute; 0 turns it off.")
    ] = 20,
    guess: Annotated[
        list[str] | None,
        typer.Option(
            help="Give one unsettled answer, NAME=VALUE; repeatable "
            "(schedule_name, listing_page_size, empty_page, version_conflict, "
            "token_status, interval_time, past_intervals, ratelimit_headers; "
            "see docs/sandbox.md)."
        ),
    ] = None,
    heartbeat: Annotated[
        float, typer.Option(help="Seconds between notification heartbeats.")
    ] = 30.0,
    channel_ttl: Annotated[
        float,
        typer.Option(help="Seconds a notification channel lives after subscribing."),
    ] = 86400.0,
    topic_limit: Annotated[
        int, typer.Option(help="Topics one notification channel may hold.")
    ] = 1000,
    closing_grace: Annotated[
        float,
        typer.Option(
            help="Seconds from v2.system.socket_closing to the close "
            "(POST /sandbox/notifications/closing sends it)."
        ),
    ] = 60.0,
) -> None:
    """Serve the sandbox over HTTP until Ctrl-C (prints its URL and client id)."""
    from gcsched.api.sandbox import Guesses, NotificationSettings, parse_fault, serve

    try:
        notifications = NotificationSettings(
            heartbeat=heartbeat,
            channel_ttl=channel_ttl,
            topic_limit=topic_limit,
            closing_grace=closing_grace,
        )
        faults = [parse_fault(f) for f in fault or []]
        guesses = Guesses.parse(guess or [])
        serve(
            host=host,
            port=port,
            seed=seed,
            rate_limit=rate_limit,
            rate_window=rate_window,
            token_ttl=token_ttl,
            faults=faults,
            fault_seed=fault_seed,
            state_path=state,
            token_mint_limit=token_mint_limit,
            guesses=guesses,
            notifications=notifications,
        )
    except ValueError as exc:
        typer.echo(f"gcsched sandbox serve: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(
            f"gcsched sandbox serve: cannot listen on {host}:{port}: "
            f"{exc.strerror or exc}",
            err=True,
        )
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    """Add `gcsched sandbox ...` to `app`."""
    app.add_typer(sandbox_app, name="sandbox")
