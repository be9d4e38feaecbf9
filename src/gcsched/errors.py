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

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ApiError",
    "AuditError",
    "AuthenticationError",
    "ChecksumMismatchError",
    "CircuitOpenError",
    "ComplianceRefusedError",
    "ConfigError",
    "ConflictsRejectedError",
    "GcSchedError",
    "InputError",
    "JournalError",
    "LockHeldError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "Problem",
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


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a schedule file.

    `line` and `column` are 1-based, or None where no position applies; `path`
    is the data path such as ``schedules[0].windows[1].start`` ("" for the file
    itself); `code` a short stable slug per kind of problem (docs/schedule-file.md
    lists them).
    """

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    code: str

    @property
    def text(self) -> str:
        """``FILE:LINE:COL: path: message`` (``FILE: message`` without a position)."""
        body = f"{self.path}: {self.message}" if self.path else self.message
        if self.line is None or self.column is None:
            return f"{self.file}: {body}"
        return f"{self.file}:{self.line}:{self.column}: {body}"

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "code": self.code,
        }


class ConfigError(InputError):
    """A schedule file with one or more problems.

    `problems` holds the problem records; `reasons` one text line per problem,
    each ``FILE:LINE:COL: field.path: message`` (or ``FILE: message`` where no
    position applies), and a last line saying how many more were not collected
    when `omitted` is not 0.
    """

    def __init__(self, problems: Sequence[Problem], *, omitted: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.omitted = omitted
        lines = [p.text for p in self.problems]
        if omitted:
            where = self.problems[0].file if self.problems else "the file"
            lines.append(
                f"{where}: {omitted:,} more problem{'s' if omitted != 1 else ''} "
                "not listed; fix these and run again"
            )
        self.reasons: tuple[str, ...] = tuple(lines)
        count = len(self.problems) + omitted
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


class ComplianceRefusedError(RefusedError):
    """Calling-hour violations under `policy.compliance.mode: enforce`."""


class OrgMismatchError(RefusedError):
    """The org connected to is not the environment's `org_id` (exit 3)."""


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
