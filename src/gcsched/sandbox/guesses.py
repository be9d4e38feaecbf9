"""Every behaviour of the sandbox that rests on a GUESS about the real API.

genesys-api.md marks these as unconfirmed. Each lives here, in one place, so
that a finding from a real org changes one constant (and docs/sandbox.md).
"""

from __future__ import annotations

import re
from typing import Final

# Interval and recurrence times: ``yyyy-MM-ddTHH:mm:ss[.SSS]`` with or without a
# trailing ``Z``. The string is stored verbatim, echoed back, and read as wall
# time in the schedule's (or recurrence's) ``timeZone``.
SCHEDULE_TIME_PATTERN: Final = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z)?$"
)

# The schedule of campaign X has id X (the same for sequences and messaging
# campaigns).
SCHEDULE_ID_IS_TARGET_ID: Final = True

# PUT on a schedule that does not exist creates version 1, whatever version
# the body carries. Each successful PUT adds one.
FIRST_VERSION: Final = 1

# On an existing schedule a missing or stale version answers 409 with this code
# (``version_conflict=409``, the default) ...
CONFLICT_STATUS: Final = 409
CONFLICT_CODE: Final = "general.conflict"
CONFLICT_MESSAGE: Final = "Version does not match current version."
# ... or, with ``version_conflict=400``, 400 with a message that says "does
# not match the current version", the text the official Terraform provider
# matches (fidelity-audit.md #12). The code is not known; this one is a GUESS.
CONFLICT_400_CODE: Final = "bad.request"
CONFLICT_400_MESSAGE: Final = "The version supplied does not match the current version."

# DELETE of a schedule answers 204 and no body.
DELETE_STATUS: Final = 204

# PATCH of a campaign answers 204 and no body (the SDK method returns None).
PATCH_STATUS: Final = 204

# Email and WhatsApp schedule paths take MessagingCampaign ids; the schedule
# family must match the campaign's channel config.
FAMILY_CHANNEL: Final = {
    "emailcampaigns": "emailConfig",
    "messagingcampaigns": "smsConfig",
    "whatsappcampaigns": "whatsAppConfig",
}

# A recurrence's initial occurrence (end - start) must be > 0 and <= this.
MAX_OCCURRENCE_SECONDS: Final = 24 * 3600

# The server gives every recurrence without an ``id`` a stable id, as a real
# server that stores recurrences as rows would.
ASSIGN_RECURRENCE_IDS: Final = True

# Token endpoint errors are ``{"error", "description", "error_description"}``
# (settled: fidelity-audit.md #13, from live-org bodies). The descriptions of
# a bad secret and of an unknown client id are the live ones; their status is
# the ``token_status`` switch (switches.py).
TOKEN_BAD_SECRET: Final = "authentication failed"  # noqa: S105
TOKEN_UNKNOWN_CLIENT: Final = "client not found"  # noqa: S105
# Minting more than this many tokens per client per minute answers 400
# ``invalid_request`` "rate limit exceeded" (a GUESS: nothing documents it).
TOKEN_MINT_LIMIT_PER_MINUTE: Final = 20

# An unknown bearer token answers 401 with this code.
BAD_TOKEN_CODE: Final = "bad.credentials"  # noqa: S105
BAD_TOKEN_MESSAGE: Final = "Invalid login credentials."  # noqa: S105
# A token the sandbox minted but that has expired answers 401 with this code
# (fidelity-audit.md #20).
EXPIRED_TOKEN_CODE: Final = "credentials.expired"  # noqa: S105
EXPIRED_TOKEN_MESSAGE: Final = (
    "The supplied credentials are expired and cannot be used."  # noqa: S105
)

# With ``empty_page=error``, an empty page of a list that takes
# ``allowEmptyResult`` (sequences, callable time sets, contact lists) answers
# this unless the request says ``allowEmptyResult=true``. What the real error
# is, nothing documents; "not found" is what "do not return an empty page"
# most plausibly means.
EMPTY_PAGE_STATUS: Final = 404
EMPTY_PAGE_CODE: Final = "not.found"
EMPTY_PAGE_MESSAGE: Final = "The requested resource was not found."

# A campaign PUT without ``useMaxCallsPerAgentDecimal=true`` takes
# ``maxCallsPerAgent`` as the value (a decimal in the body becomes that
# value); with it, ``maxCallsPerAgentDecimal`` is the value and
# ``maxCallsPerAgent`` that value rounded down. PATCH ``maxCallsPerAgent``
# (a double in CampaignPatchRequest) sets both the same way.

# nextUri/previousUri/... in listings are relative paths; nextUri is absent
# on the last page.
RELATIVE_PAGE_URIS: Final = True

# With rate limiting off, ``inin-ratelimit-allowed`` reports this ceiling.
UNLIMITED_ALLOWED: Final = 1_000_000

# ---------------------------------------------------------------- audit API
# Every change made through the sandbox is audited under this service name
# (compliance-drift-research.md §2.5: ``serviceName`` ``Outbound``).
AUDIT_SERVICE: Final = "Outbound"

# What a schedule's or campaign's ``propertyChanges`` hold is not known (§2.5
# "Open question"): one PropertyChange per top-level field that differs, its
# values as strings (JSON for anything but a string), server-set fields aside.
AUDIT_CHANGE_SKIPS: Final = frozenset(
    {"version", "dateModified", "dateCreated", "selfUri"}
)

# An async audit query (``POST /api/v2/audits/query``) answers ``Queued``; each
# status read moves it on one state, so the second read says ``Succeeded``.
# Its results are the entries that matched when it was submitted.
AUDIT_STATES: Final = ("Queued", "Running", "Succeeded")
# The submit answers 200 (the SDK takes any 2xx; 202 is as plausible).
AUDIT_SUBMIT_STATUS: Final = 200

# Results before ``Succeeded``: 400 with this code (the real answer is unknown).
AUDIT_NOT_READY_CODE: Final = "bad.request"

# Page sizes of the results and of the realtime query: 25 by default, at most
# 500 ([SDK] ``apis/audit_api.py``); a larger one is a 400 ``invalid.value``.
AUDIT_PAGE_SIZE: Final = 25
AUDIT_MAX_PAGE_SIZE: Final = 500

# The realtime query "will only retrieve 14 days worth of audits": a longer
# interval is a 400 ``invalid.value`` here, not a silent cut.
REALTIME_MAX_DAYS: Final = 14

# Several filters must all match (AND), even two on the same property.
# Sort by ``Timestamp``; without a ``sort``, oldest first.
AUDIT_DEFAULT_DESCENDING: Final = False
