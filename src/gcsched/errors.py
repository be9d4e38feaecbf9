"""Every error gcsched raises, under one root.

The tree (exit code of the CLI in brackets)::

    GcSchedError                      [1]
    ├── InputError                    [2]  bad input or usage; nothing was changed
    │   ├── ConfigError               [2]  the schedule file: every problem at once
    │   └── ResolveError              [2]  names that match no (or several) org objects
    ├── RefusedError                  [3]  gcsched refuses to go on
    │   ├── UnsafePlanError           [3]  too many changes without --force
    │   ├── ChecksumMismatchError     [3]  --checksum differs from the plan now
    │   ├── ConflictsRejectedError    [3]  audience conflicts under `reject`
    │   └── LockHeldError             [3]  another gcsched holds the state lock
    ├── ApiError                      [1]  the Genesys Cloud API said no
    │   ├── AuthenticationError       [1]  401 / token endpoint refused the client
    │   ├── PermissionDeniedError     [1]  403, names the missing permission
    │   ├── NotFoundError             [1]  404
    │   ├── VersionConflictError      [1]  409 (or 400 "version does not match")
    │   ├── RateLimitError            [1]  429 after the retry budget
    │   └── CircuitOpenError          [1]  repeated 5xx: the run stops, resumable
    ├── NetworkError                  [1]  transport failures after retries
    ├── JournalError                  [1]  the local journal cannot be used
    ├── WebhookError                  [1]  a webhook endpoint is unsafe or failed
    └── AuditError                    [1]  the audit log does not verify

Messages never contain secrets: build them from names, ids and codes only.
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "AuditError",
    "AuthenticationError",
    "ChecksumMismatchError",
    "CircuitOpenError",
    "ConfigError",
    "ConflictsRejectedError",
    "GcSchedError",
    "InputError",
    "JournalError",
    "LockHeldError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RefusedError",
    "ResolveError",
    "UnsafePlanError",
    "VersionConflictError",
    "WebhookError",
]


class GcSchedError(Exception):
    """Root of every gcsched error; `exit_code` is what the CLI exits with."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(GcSchedError):
    """Invalid input or usage (exit 2)."""

    exit_code = 2


class ConfigError(InputError):
    """A schedule file with one or more problems.

    `reasons` holds one line per problem, each ``FILE:LINE:COL: field.path: message``
    (or ``FILE: message`` where no position applies).
    """

    def __init__(self, reasons: list[str] | tuple[str, ...]) -> None:
        self.reasons: tuple[str, ...] = tuple(reasons)
        count = len(self.reasons)
        head = f"{count} problem{'s' if count != 1 else ''} in the schedule file"
        super().__init__(head + ":\n" + "\n".join(self.reasons))


class ResolveError(InputError):
    """Names in the file that match no org object, or more than one."""

    def __init__(self, reasons: list[str] | tuple[str, ...]) -> None:
        self.reasons: tuple[str, ...] = tuple(reasons)
        super().__init__("\n".join(self.reasons))


class RefusedError(GcSchedError):
    """gcsched refuses to go on (exit 3)."""

    exit_code = 3


class UnsafePlanError(RefusedError):
    """The plan changes more than the policy allows; use --force to override."""


class ChecksumMismatchError(RefusedError):
    """The plan computed now differs from the one reviewed (--checksum)."""


class ConflictsRejectedError(RefusedError):
    """Audience conflicts under `audience_conflicts: reject`."""

    def __init__(self, message: str, conflicts: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.conflicts = conflicts


class LockHeldError(RefusedError):
    """Another gcsched process holds the state lock."""


class ApiError(GcSchedError):
    """The Genesys Cloud API answered with an error.

    Carries what is needed to act on it, never a secret: the HTTP method and path,
    the status, the Genesys error `code` and the correlation id.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        method: str | None = None,
        path: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.method = method
        self.path = path
        self.correlation_id = correlation_id


class AuthenticationError(ApiError):
    """The OAuth client was refused (bad id or secret, or the token expired)."""


class PermissionDeniedError(ApiError):
    """403: the OAuth client's roles lack a permission (named in the message)."""


class NotFoundError(ApiError):
    """404: the object does not exist."""


class VersionConflictError(ApiError):
    """409 (or 400 "does not match the current version"): someone else changed it."""


class RateLimitError(ApiError):
    """429 persisted past the retry budget."""


class CircuitOpenError(ApiError):
    """Too many consecutive server errors: the run stopped and can be resumed."""


class NetworkError(GcSchedError):
    """The API could not be reached after retries."""


class JournalError(GcSchedError):
    """The local journal (SQLite) cannot be opened or written."""


class WebhookError(GcSchedError):
    """A webhook endpoint is unsafe, disabled, or its delivery failed."""


class AuditError(GcSchedError):
    """The audit log does not verify (edited, deleted or reordered entries)."""
