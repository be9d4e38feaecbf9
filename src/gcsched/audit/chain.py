"""The hash chain of the audit log: canonical JSON, digests and line checks.

Each entry carries ``seq`` (1, 2, …), ``prev`` (the previous entry's hash, or 64
zeros for the first) and ``hash`` = SHA-256(prev ‖ canonical_json(entry without
``hash``)). A line must be exactly the canonical JSON of its entry, so any edit,
even one that parses to the same object, is detected.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

from gcsched.errors import AuditError

__all__ = [
    "GENESIS",
    "REQUIRED_FIELDS",
    "canonical_json",
    "digest",
    "entry_hash",
    "parse_line",
]

#: `prev` of the first entry.
GENESIS: Final = "0" * 64

#: What the caller of `AuditLog.append` must give.
REQUIRED_FIELDS: Final = (
    "time",
    "run_id",
    "step_id",
    "actor",
    "action",
    "target",
    "before_digest",
    "after_digest",
)


def canonical_json(obj: object) -> str:
    """The one canonical JSON text of `obj` (sorted keys, no spaces, UTF-8).

    Raises:
        AuditError: `obj` is not plain JSON (sets, NaN, objects…).
    """
    try:
        return json.dumps(
            obj,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        )
    except (TypeError, ValueError) as exc:
        msg = f"audit entries must be plain JSON: {exc}"
        raise AuditError(msg) from exc


def digest(obj: object) -> str:
    """SHA-256 (hex) of the canonical JSON of `obj`, e.g. a Genesys body.

    Callers record ``None`` (not a digest) where there is no body, such as the
    `before` of a create.
    """
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash of `entry`: SHA-256(prev ‖ canonical_json(entry without hash))."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    prev = str(entry.get("prev", ""))
    return hashlib.sha256((prev + canonical_json(body)).encode("utf-8")).hexdigest()


def parse_line(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """Parse one line (without its newline) of the log.

    Returns:
        ``(entry, None)`` for a well-formed canonical entry, else
        ``(None, problem)``; the entry's chain links are not checked here.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not valid UTF-8"
    try:
        entry = json.loads(text)
    except ValueError:
        return None, "not valid JSON"
    if not isinstance(entry, dict):
        return None, "not a JSON object"
    try:
        canonical = canonical_json(entry)
    except AuditError:
        return None, "not plain JSON"
    if canonical != text:
        return None, "not in canonical form (edited by hand?)"
    for name in ("seq", "prev", "hash"):
        if name not in entry:
            return None, f"has no {name!r}"
    return entry, None
