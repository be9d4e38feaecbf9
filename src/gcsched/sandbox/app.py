"""``create_app``: the sandbox as a Starlette application."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from gcsched.sandbox.families import FAMILIES
from gcsched.sandbox.faults import FaultEngine, FaultSpec, parse_fault
from gcsched.sandbox.gateway import Gateway
from gcsched.sandbox.guesses import TOKEN_MINT_LIMIT_PER_MINUTE
from gcsched.sandbox.notifications import NotificationHub, NotificationSettings
from gcsched.sandbox.problems import ApiProblem, OAuthProblem, error_body
from gcsched.sandbox.ratelimit import RateLimiter
from gcsched.sandbox.routes_audits import AuditRoutes
from gcsched.sandbox.routes_auth import AuthRoutes
from gcsched.sandbox.routes_contact_time import ContactTimeRoutes
from gcsched.sandbox.routes_notifications import CHANNELS, NotificationRoutes
from gcsched.sandbox.routes_outbound import OutboundRoutes
from gcsched.sandbox.routes_schedules import ID_PARAMS, ScheduleRoutes
from gcsched.sandbox.runtime import Runtime, json_response
from gcsched.sandbox.state import SandboxState
from gcsched.sandbox.stats import Stats
from gcsched.sandbox.switches import Guesses

__all__ = ["create_app"]

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]
OUT = "/api/v2/outbound"


def _table(rt: Runtime) -> list[tuple[str, str, Endpoint, tuple[str, ...]]]:
    auth, out, sch = AuthRoutes(rt), OutboundRoutes(rt), ScheduleRoutes(rt)
    view, add, edit = (
        ("outbound:campaign:view",),
        ("outbound:campaign:add",),
        ("outbound:campaign:edit",),
    )
    lists = ("outbound:contactList:view",)
    table: list[tuple[str, str, Endpoint, tuple[str, ...]]] = [
        ("POST", "/oauth/token", auth.token, ()),
        ("GET", "/sandbox/stats", auth.stats, ()),
        ("GET", "/api/v2/organizations/me", auth.org_me, ()),
        (
            "GET",
            "/api/v2/organizations/limits/namespaces/{namespaceName}",
            auth.limits,
            (),
        ),
        ("GET", f"{OUT}/campaigns", out.list_campaigns, view),
        ("POST", f"{OUT}/campaigns", out.post_campaign, add),
        ("GET", f"{OUT}/campaigns/{{campaignId}}", out.get_campaign, view),
        ("PUT", f"{OUT}/campaigns/{{campaignId}}", out.put_campaign, edit),
        ("PATCH", f"{OUT}/campaigns/{{campaignId}}", out.patch_campaign, edit),
        ("GET", f"{OUT}/contactlists", out.list_contact_lists, lists),
        (
            "POST",
            f"{OUT}/contactlists",
            out.post_contact_list,
            ("outbound:contactList:add",),
        ),
        ("GET", f"{OUT}/contactlists/{{contactListId}}", out.get_contact_list, lists),
        (
            "GET",
            f"{OUT}/callabletimesets",
            out.list_callable_time_sets,
            ("outbound:callableTimeSet:view",),
        ),
        (
            "GET",
            f"{OUT}/callabletimesets/{{callableTimeSetId}}",
            out.get_callable_time_set,
            ("outbound:callableTimeSet:view",),
        ),
    ]
    messaging_view = (
        "outbound:messagingCampaign:view",
        "outbound:emailCampaign:view",
        "outbound:whatsAppCampaign:view",
    )
    table += [
        (
            "GET",
            f"{OUT}/messagingcampaigns",
            out.list_messaging_campaigns,
            messaging_view,
        ),
        (
            "GET",
            f"{OUT}/messagingcampaigns/{{messagingCampaignId}}",
            out.get_messaging_campaign,
            messaging_view,
        ),
        (
            "PUT",
            f"{OUT}/messagingcampaigns/{{messagingCampaignId}}",
            out.put_messaging_campaign,
            (
                "outbound:messagingCampaign:edit",
                "outbound:emailCampaign:edit",
                "outbound:whatsAppCampaign:edit",
            ),
        ),
        (
            "GET",
            f"{OUT}/sequences",
            out.list_sequences,
            ("outbound:campaignSequence:view",),
        ),
        (
            "GET",
            f"{OUT}/sequences/{{sequenceId}}",
            out.get_sequence,
            ("outbound:campaignSequence:view",),
        ),
    ]
    guards = ContactTimeRoutes(rt)
    rules = ("outbound:campaignRule:view",)
    table += [
        ("GET", f"{OUT}/settings", guards.get_settings, ("outbound:settings:view",)),
        (
            "PATCH",
            f"{OUT}/settings",
            guards.patch_settings,
            ("outbound:settings:edit",),
        ),
        (
            "GET",
            f"{OUT}/contactlists/{{contactListId}}/timezonemappingpreview",
            guards.get_preview,
            lists,
        ),
        ("GET", f"{OUT}/campaignrules", guards.list_rules, rules),
        ("GET", f"{OUT}/campaignrules/{{campaignRuleId}}", guards.get_rule, rules),
    ]
    audits, audit_view = AuditRoutes(rt), ("audits:audit:view",)
    query = "/api/v2/audits/query"
    table += [
        ("GET", f"{query}/servicemapping", audits.service_mapping, audit_view),
        ("POST", query, audits.submit, audit_view),
        ("POST", f"{query}/realtime", audits.realtime, audit_view),
        ("GET", f"{query}/{{transactionId}}", audits.status, audit_view),
        ("GET", f"{query}/{{transactionId}}/results", audits.results, audit_view),
    ]
    note = NotificationRoutes(rt, rt.hub)
    one_channel = f"{CHANNELS}/{{channelId}}"
    subscriptions = f"{one_channel}/subscriptions"
    table += [
        ("POST", CHANNELS, note.create_channel, ()),
        ("GET", CHANNELS, note.list_channels, ()),
        ("HEAD", one_channel, note.head_channel, ()),
        ("GET", subscriptions, note.get_subscriptions, ()),
        ("POST", subscriptions, note.post_subscriptions, ()),
        ("PUT", subscriptions, note.put_subscriptions, ()),
        ("DELETE", subscriptions, note.delete_subscriptions, ()),
        ("POST", "/sandbox/notifications/closing", note.closing, ()),
        ("POST", "/sandbox/notifications/drop", note.drop, ()),
    ]
    for family in FAMILIES.values():
        base = f"{OUT}/schedules/{family.path}"
        one = f"{base}/{{{ID_PARAMS[family.path]}}}"
        table += [
            ("GET", base, sch.list_all, family.view),
            ("GET", one, sch.get_one, family.view),
            ("PUT", one, sch.put_one, family.edit),
            ("DELETE", one, sch.delete_one, family.delete),
        ]
    return table


def create_app(
    state: SandboxState | None = None,
    *,
    rate_limit: int = 300,
    rate_window: str = "fixed",
    token_ttl: int = 86400,
    faults: Sequence[FaultSpec | str] = (),
    fault_seed: int | None = None,
    token_mint_limit: int = TOKEN_MINT_LIMIT_PER_MINUTE,
    guesses: Guesses | Sequence[str] = (),
    notifications: NotificationSettings | None = None,
) -> Starlette:
    """Build the sandbox application.

    Args:
        state: the org to serve; None serves a fresh demo org.
        rate_limit: requests per token per minute; 0 turns limiting off.
        rate_window: ``fixed`` (60 s windows from a token's first request) or
            ``sliding`` (the last 60 s at every request).
        token_ttl: ``expires_in`` of minted tokens (seconds) unless the
            client has its own ``tokenTtl``.
        faults: fault specs, as FaultSpec or ``KIND[:k=v,...]`` strings.
        fault_seed: makes the faults deterministic.
        token_mint_limit: tokens per client per minute; 0 turns it off.
        guesses: the answer to give where no source settles it, as
            `Guesses` or ``NAME=VALUE`` strings (docs/sandbox.md "Guesses").
        notifications: heartbeat period, channel lifetime and the channel
            and topic limits of the Notifications API (default: the real ones).

    Returns:
        A Starlette app; its state is ``app.state.sandbox``, its counters
        ``app.state.stats``, its guesses ``app.state.guesses``, its
        notification channels ``app.state.notifications``.

    Raises:
        ValueError: a fault or guess string does not parse, a bad number or
            an unknown rate window.
    """
    if rate_limit < 0 or token_ttl < 1 or token_mint_limit < 0:
        msg = "rate_limit and token_mint_limit must be >= 0 and token_ttl >= 1"
        raise ValueError(msg)
    sandbox = state if state is not None else SandboxState.demo()
    specs = tuple(f if isinstance(f, FaultSpec) else parse_fault(f) for f in faults)
    if isinstance(guesses, str):
        guesses = (guesses,)
    chosen = guesses if isinstance(guesses, Guesses) else Guesses.parse(guesses)
    rt = Runtime(
        state=sandbox,
        stats=Stats(chosen.to_json()),
        limiter=RateLimiter(rate_limit, sandbox.clock, rate_window),
        faults=FaultEngine(specs, fault_seed),
        token_ttl=token_ttl,
        mint_limit=token_mint_limit,
        guesses=chosen,
        hub=NotificationHub(notifications or NotificationSettings(), sandbox.clock),
    )
    table = _table(rt)
    routes: list[BaseRoute] = [
        Route(path, endpoint, methods=[method]) for method, path, endpoint, _ in table
    ]
    routes.append(
        WebSocketRoute("/channels/{channelId}", NotificationRoutes(rt, rt.hub).socket)
    )
    permissions = {(method, path): perms for method, path, _, perms in table}

    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        cid = Runtime.correlation_id(request)
        body = error_body(exc.status, exc.code, exc.message, cid, exc.details)
        return json_response(body, exc.status, exc.headers)

    async def oauth_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OAuthProblem)
        body = {
            "error": exc.error,
            "description": exc.description,
            "error_description": exc.description,
        }
        return json_response(body, exc.status)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        code = "not.found" if status == 404 else "bad.request"
        message = (
            "The requested resource was not found."
            if status == 404
            else "The request method is not supported for this resource."
        )
        body = error_body(status, code, message, Runtime.correlation_id(request))
        return json_response(body, status)

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(Gateway, runtime=rt, routes=routes, permissions=permissions)
        ],
        exception_handlers={
            ApiProblem: api_problem,
            OAuthProblem: oauth_problem,
            404: not_found,
            405: not_found,
        },
    )
    app.state.sandbox = sandbox
    app.state.stats = rt.stats
    app.state.runtime = rt
    app.state.guesses = chosen
    app.state.notifications = rt.hub
    return app
