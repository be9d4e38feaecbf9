"""`gcsched doctor`: read-only checks of an org, and a probe that settles the rest.

The read-only part checks the token, the org, one cheap read per permission
family (the time-zone guard reads included: outbound settings and campaign
rules, whose refusal plan turns into warnings), the rate limit, the clock and
(from the facade) the local state. With a probe campaign (which must be off),
the campaign's schedule is written and read back to settle the answers no
documentation settles (fidelity-audit.md §4), then put back exactly as it was,
also on an error or Ctrl-C. Everything stays well under `MAX_REQUESTS`
requests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final

from gcsched.domain.genesys_parse import canonical_body
from gcsched.engine.guard_reads import GUARD_PERMISSIONS
from gcsched.engine.ports import DoctorOrg, Json, Observed
from gcsched.errors import (
    ApiError,
    AuthenticationError,
    GcSchedError,
    RefusedError,
    VersionConflictError,
)
from gcsched.genesys import SERVER_SET_KEYS

__all__ = [
    "FACT_NAMES",
    "GUARD_READS",
    "MAX_REQUESTS",
    "Check",
    "DoctorReport",
    "run_doctor",
]

#: The facts doctor reports, one per unsettled answer (issue 12's table).
FACT_NAMES: Final = (
    "schedule_name_kept",
    "schedule_lists_paged",
    "empty_page_needs_allow_empty_result",
    "version_conflict_status",
    "token_error_status",
    "interval_time",
    "past_intervals_accepted",
    "ratelimit_headers",
)
MAX_REQUESTS: Final = 30
#: A listing served whole with more entities than this did not page (the
#: other outbound lists page at 25 by default).
UNPAGED_EVIDENCE: Final = 25
MAX_SKEW_SECONDS: Final = 60.0
PROBE_NAME: Final = "gcsched: doctor probe"
_API: Final = "/api/v2/outbound"
_SCHEDULES: Final = f"{_API}/schedules"
_ALLOW_EMPTY: Final[Mapping[str, str | int]] = {
    "pageSize": 1,
    "allowEmptyResult": "true",
}

#: One cheap read per permission family: (check name, path, query).
READS: Final[tuple[tuple[str, str, Mapping[str, str | int]], ...]] = (
    ("read voice campaigns", f"{_API}/campaigns", {"pageSize": 1}),
    ("read messaging campaigns", f"{_API}/messagingcampaigns", {"pageSize": 1}),
    ("read campaign sequences", f"{_API}/sequences", _ALLOW_EMPTY),
    ("read callable time sets", f"{_API}/callabletimesets", _ALLOW_EMPTY),
    ("read contact lists", f"{_API}/contactlists", _ALLOW_EMPTY),
    ("read campaign schedules", f"{_SCHEDULES}/campaigns", {}),
    ("read sequence schedules", f"{_SCHEDULES}/sequences", {}),
    ("read email schedules", f"{_SCHEDULES}/emailcampaigns", {}),
    ("read SMS schedules", f"{_SCHEDULES}/messagingcampaigns", {}),
    ("read WhatsApp schedules", f"{_SCHEDULES}/whatsappcampaigns", {}),
    # `gcsched drift` names who changed a schedule from the audit trail
    ("read the audit trail", "/api/v2/audits/query/servicemapping", {}),
)
#: The reads of Genesys's contact-local guards: (check name, path, query,
#: `GUARD_PERMISSIONS` key). Without them plan still runs, with less known.
GUARD_READS: Final[tuple[tuple[str, str, Mapping[str, str | int], str], ...]] = (
    ("read outbound settings (time-zone guards)", f"{_API}/settings", {}, "settings"),
    ("read campaign rules", f"{_API}/campaignrules", _ALLOW_EMPTY, "rules"),
)
_LISTING_SCHEDULES: Final = (
    "emailcampaigns",
    "messagingcampaigns",
    "whatsappcampaigns",
)
_FUTURE: Final = ("2099-01-05T09:00:00.000", "2099-01-05T10:00:00.000")
_PAST: Final = ("2001-01-05T09:00:00.000", "2001-01-05T10:00:00.000")
_PERMISSION_FIX: Final = (
    "add the permission named above to the OAuth client's role "
    "(docs/real-org.md lists every permission gcsched needs)"
)


def _fix(path: str) -> str:
    if path.startswith("/api/v2/audits/"):
        return (
            "add audits:audit:view to the OAuth client's role; without it "
            "`gcsched drift` still finds changes, but not who made them"
        )
    return _PERMISSION_FIX


@dataclass(frozen=True, slots=True)
class Check:
    """One check: passed or not, what was seen, and what to do when it failed."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The check as ``doctor --json`` prints it."""
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "fix": self.fix,
        }


@dataclass(slots=True)
class DoctorReport:
    """What doctor found: the org, the checks in order, the facts."""

    org: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(FACT_NAMES))
    probed: bool = False

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, detail: str, fix: str | None = None) -> None:
        """Append one check."""
        self.checks.append(Check(name, ok, detail, None if ok else fix))

    def to_json(self) -> dict[str, Any]:
        """``{"org": {...}, "checks": [...], "facts": {...}}`` (no secret in it)."""
        return {
            "org": dict(self.org),
            "checks": [check.to_json() for check in self.checks],
            "facts": dict(self.facts),
        }


async def run_doctor(
    org: DoctorOrg,
    *,
    api_url: str,
    now: datetime,
    probe: str | None = None,
) -> DoctorReport:
    """Check `org` (read only) and, with `probe`, settle the unsettled answers.

    Args:
        org: the org (the HTTP client, by shape).
        api_url: where it was reached (reported as the region).
        now: the local clock, aware (for the clock-skew check).
        probe: a voice campaign's name or id whose schedule may be written
            and put back; it must be off.

    Returns:
        The report; `DoctorReport.ok` is False when a check failed.

    Raises:
        RefusedError: the probe campaign is not off (nothing was written).
    """
    report = DoctorReport()
    try:
        me = await org.get_organization()
    except AuthenticationError as exc:
        report.add(
            "credentials and token",
            False,
            str(exc),
            "check GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET, the "
            "grant (Client Credentials) and the region",
        )
        return report
    except GcSchedError as exc:
        report.add("reach the org", False, str(exc), "check the API URL or region")
        return report
    report.org = {
        "id": str(me.get("id", "")),
        "name": str(me.get("name", "")),
        "api_url": api_url,
    }
    report.add("credentials and token", True, "a token was issued and accepted")
    report.add("org", True, f"{report.org['name']} ({report.org['id']}) at {api_url}")
    seen: list[Observed] = []
    for name, path, query in READS:
        obs = await org.observe(path, query)
        seen.append(obs)
        if obs.status < 400:
            report.add(name, True, f"GET {path}: {obs.status}")
        else:
            report.add(
                name,
                False,
                obs.error or f"GET {path}: {obs.status}",
                _fix(path) if obs.status == 403 else "see the message",
            )
    await _rate_limit(org, report)
    _clock_skew(seen, now, report)
    _read_facts(seen, report)
    seen += await _guard_reads(org, report)
    empty = await org.observe(
        f"{_API}/sequences", {"pageSize": 1, "pageNumber": 100000}
    )
    seen.append(empty)
    report.facts["empty_page_needs_allow_empty_result"] = empty.status >= 400
    report.facts["ratelimit_headers"] = any(obs.ratelimit_headers for obs in seen)
    if probe is not None:
        await _probe(org, probe, report)
    return report


async def _guard_reads(org: DoctorOrg, report: DoctorReport) -> list[Observed]:
    """The guard reads: a refusal names the permission and what plan loses."""
    seen = []
    for name, path, query, key in GUARD_READS:
        obs = await org.observe(path, query)
        seen.append(obs)
        permission, unknown = GUARD_PERMISSIONS[key]
        if obs.status < 400:
            report.add(name, True, f"GET {path}: {obs.status}")
            continue
        fix = (
            f"add {permission} to the OAuth client's role; without it plan still "
            f"runs, but {unknown}"
            if obs.status == 403
            else "see the message"
        )
        report.add(name, False, obs.error or f"GET {path}: {obs.status}", fix)
    return seen


async def _rate_limit(org: DoctorOrg, report: DoctorReport) -> None:
    try:
        limit = await org.get_rate_limit()
    except ApiError as exc:
        report.add("rate limit", False, str(exc), "gcsched then paces at 300/min")
        return
    report.org["rate_limit_per_minute"] = limit
    report.add("rate limit", True, f"{limit} requests per minute per token")


def _clock_skew(seen: Sequence[Observed], now: datetime, report: DoctorReport) -> None:
    stamp = next((obs.date for obs in seen if obs.date), None)
    if stamp is None:
        report.add("clock", True, "not measured: the API sent no Date header")
        return
    try:
        server = parsedate_to_datetime(stamp)
    except (TypeError, ValueError):
        report.add("clock", True, f"not measured: unreadable Date header {stamp!r}")
        return
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    skew = (now - server).total_seconds()
    report.add(
        "clock",
        abs(skew) <= MAX_SKEW_SECONDS,
        f"this machine is {skew:+.0f} s from the API's clock",
        "synchronise this machine's clock (NTP): 'today' and past-start checks "
        "depend on it",
    )


def _read_facts(seen: Sequence[Observed], report: DoctorReport) -> None:
    """`schedule_lists_paged` from the first page of the listing-shaped lists."""
    paged: bool | None = None
    listings = {f"{_SCHEDULES}/{family}" for family in _LISTING_SCHEDULES}
    schedules = [
        obs for (_, path, _), obs in zip(READS, seen, strict=True) if path in listings
    ]
    for obs in schedules:
        body = obs.body
        if obs.status >= 400 or not isinstance(body, dict):
            continue
        entities = body.get("entities")
        count = len(entities) if isinstance(entities, list) else 0
        pages = body.get("pageCount")
        if body.get("nextUri") or (isinstance(pages, int) and pages > 1):
            paged = True
            break
        # One page of everything: "not paged" only when it holds more than a
        # page usually does (25) and has no room left; a page size above the
        # count (say 30 schedules on pages of 50) cannot tell.
        size = body.get("pageSize")
        room = isinstance(size, int) and not isinstance(size, bool) and size > count
        if count > UNPAGED_EVIDENCE and not room:
            paged = False
    report.facts["schedule_lists_paged"] = paged


# ------------------------------------------------------------------ probe
async def _probe(org: DoctorOrg, ref: str, report: DoctorReport) -> None:
    campaigns = await org.list_campaigns()
    found = [c for c in campaigns if ref in (c.get("id"), c.get("name"))]
    if len(found) != 1:
        what = "no voice campaign" if not found else f"{len(found)} voice campaigns"
        msg = f"doctor --probe: {what} named {ref!r}; name one campaign by name or id"
        raise RefusedError(msg)
    campaign = found[0]
    status = campaign.get("campaignStatus")
    if status != "off":
        msg = (
            f"doctor --probe: campaign {ref!r} is {status}, not off; the probe "
            "writes its schedule, so name a scratch campaign that is off"
        )
        raise RefusedError(msg)
    target = str(campaign["id"])
    saved = await org.get_schedule("campaigns", target)
    state = _ProbeState(version=_version(saved))
    try:
        await _settle(org, target, state, report)
    finally:
        restored = await _restore(org, target, saved, state.version)
        report.add(
            "probe campaign put back",
            restored is None,
            restored or f"the schedule of {ref!r} is as it was",
            "compare the campaign's schedule with the report's saved copy",
        )
    report.probed = True
    report.facts["token_error_status"] = await org.wrong_secret_status()
    report.add("probe", True, f"settled the facts on campaign {ref!r}")


@dataclass(slots=True)
class _ProbeState:
    version: int | None


def _version(body: Json | None) -> int | None:
    if body is None or body.get("version") is None:
        return None
    return int(body["version"])


def _body(target: str, window: tuple[str, str], version: int | None) -> Json:
    body: Json = {
        "campaign": {"id": target},
        "name": PROBE_NAME,
        "timeZone": "Europe/Paris",
        "intervals": [{"start": window[0], "end": window[1]}],
    }
    if version is not None:
        body["version"] = version
    return body


def _utc(window: tuple[str, str]) -> tuple[str, str]:
    return window[0] + "Z", window[1] + "Z"


async def _put(
    org: DoctorOrg, target: str, body: Json, state: _ProbeState
) -> Json | ApiError:
    """PUT and remember the new version; an API refusal is returned, not raised."""
    try:
        answer = await org.put_schedule("campaigns", target, body)
    except VersionConflictError:
        raise
    except ApiError as exc:
        return exc
    state.version = _version(answer)
    return answer


async def _settle(
    org: DoctorOrg, target: str, state: _ProbeState, report: DoctorReport
) -> None:
    wall = await _put(org, target, _body(target, _FUTURE, state.version), state)
    utc = False
    if isinstance(wall, ApiError):
        zulu = await _put(
            org, target, _body(target, _utc(_FUTURE), state.version), state
        )
        if isinstance(zulu, ApiError):
            report.add(
                "probe write",
                False,
                f"neither interval format was accepted: {wall}; {zulu}",
                "check the role has outbound:schedule:edit and the campaign's "
                "division; then run the probe again",
            )
            return
        utc = True
    report.facts["interval_time"] = "utc" if utc else "wall"
    stored = await org.get_schedule("campaigns", target)
    report.facts["schedule_name_kept"] = (
        stored is not None and stored.get("name") == PROBE_NAME
    )
    past = _utc(_PAST) if utc else _PAST
    answer = await _put(org, target, _body(target, past, state.version), state)
    report.facts["past_intervals_accepted"] = not isinstance(answer, ApiError)
    current = state.version or 1
    stale = current - 1 if current > 1 else current + 1
    window = _utc(_FUTURE) if utc else _FUTURE
    try:
        await org.put_schedule("campaigns", target, _body(target, window, stale))
    except VersionConflictError as exc:
        report.facts["version_conflict_status"] = exc.status
    except ApiError as exc:
        report.add("probe version conflict", False, str(exc), "report this answer")
    else:
        report.add(
            "probe version conflict",
            False,
            f"a PUT with the stale version {stale} was accepted",
            "gcsched's conflict detection relies on version checks; report this",
        )


async def _restore(
    org: DoctorOrg, target: str, saved: Json | None, version: int | None
) -> str | None:
    """Put the saved schedule back (or delete the probe's); None when it matches."""
    with contextlib.suppress(ApiError):
        fresh = await org.get_schedule("campaigns", target)
        version = _version(fresh) if fresh is not None else None
    try:
        if saved is None:
            await org.delete_schedule("campaigns", target)
            return None
        body = {k: v for k, v in saved.items() if k not in SERVER_SET_KEYS}
        body.pop("nextOccurrenceDetails", None)
        if version is not None:
            body["version"] = version
        await org.put_schedule("campaigns", target, body)
        back = await org.get_schedule("campaigns", target)
    except ApiError as exc:
        return f"could not put the schedule back: {exc}"
    if back is None or canonical_body(back) != canonical_body(saved):
        return "the schedule read back differs from the saved one"
    return None
