"""Scripted faults: 429 bursts, 5xx, latency, dropped connections, token
expiry and a concurrent editor; deterministic under a seed.

Grammar: ``KIND[:k=v,...]``; every kind also takes ``path=<substring>`` and
``method=<VERB>``. Without ``path`` a fault applies to ``/api/v2`` only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

__all__ = ["FAULT_KINDS", "FaultEngine", "FaultSpec", "Injection", "parse_fault"]

FAULT_KINDS: Final = {
    "429": {"rate", "retry_after", "burst"},
    "5xx": {"rate", "status", "retry_after"},
    "latency": {"ms", "jitter", "rate"},
    "drop": {"rate"},
    "token-expiry": {"after"},
    "editor": {"rate"},
}
REQUIRED: Final = {
    "429": "rate",
    "5xx": "rate",
    "latency": "ms",
    "drop": "rate",
    "token-expiry": "after",
    "editor": "rate",
}
FILTERS: Final = {"path", "method"}
SERVER_ERRORS: Final = (502, 503, 504)


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """One fault: its kind, its parameters and its request filters.

    Attributes:
        kind: ``429``, ``5xx``, ``latency``, ``drop``, ``token-expiry``, ``editor``.
        rate: probability per matching request (0..1).
        retry_after: ``Retry-After`` seconds (429; optional for 5xx).
        burst: consecutive 429s once triggered.
        status: 502, 503 or 504 (5xx; random among them when None).
        ms / jitter: added latency and its random extra, in milliseconds.
        after: seconds a token lives under ``token-expiry``.
        path / method: only requests whose path contains ``path`` / whose
            method is ``method``.
    """

    kind: str
    rate: float = 1.0
    retry_after: int | None = None
    burst: int = 1
    status: int | None = None
    ms: float = 0.0
    jitter: float = 0.0
    after: float | None = None
    path: str | None = None
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """Return True when this fault applies to the request."""
        if self.method is not None and method != self.method:
            return False
        if self.path is None:
            return path.startswith("/api/v2/")
        return self.path in path


def _number(kind: str, key: str, text: str, *, integer: bool = False) -> float:
    try:
        value = float(int(text)) if integer else float(text)
    except ValueError:
        kind_of = "an integer" if integer else "a number"
        msg = f"fault {kind!r}: {key}={text!r} must be {kind_of}"
        raise ValueError(msg) from None
    if value < 0:
        msg = f"fault {kind!r}: {key} must not be negative"
        raise ValueError(msg)
    return value


def parse_fault(text: str) -> FaultSpec:
    """Parse ``KIND[:k=v,...]`` into a FaultSpec.

    Args:
        text: e.g. ``429:rate=0.1,burst=3`` or ``latency:ms=50,path=/schedules``.

    Returns:
        The fault.

    Raises:
        ValueError: unknown kind or key, missing or bad value; the message
            says which and lists what is allowed.
    """
    kind, _, rest = text.strip().partition(":")
    if kind not in FAULT_KINDS:
        msg = f"unknown fault kind {kind!r}; use one of {', '.join(FAULT_KINDS)}"
        raise ValueError(msg)
    params: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        if not eq or not value:
            msg = f"fault {kind!r}: {part!r} is not key=value"
            raise ValueError(msg)
        allowed = FAULT_KINDS[kind] | FILTERS
        if key not in allowed:
            names = ", ".join(sorted(allowed))
            msg = f"fault {kind!r}: unknown key {key!r}; allowed: {names}"
            raise ValueError(msg)
        params[key] = value
    need = REQUIRED[kind]
    if need not in params:
        msg = f"fault {kind!r} needs {need}=..., e.g. {kind}:{need}=1"
        raise ValueError(msg)
    rate = _number(kind, "rate", params.get("rate", "1"))
    if rate > 1:
        msg = f"fault {kind!r}: rate must be between 0 and 1"
        raise ValueError(msg)
    status = None
    if "status" in params:
        status = int(_number(kind, "status", params["status"], integer=True))
        if status not in SERVER_ERRORS:
            msg = f"fault '5xx': status must be one of 502, 503, 504 (got {status})"
            raise ValueError(msg)
    retry_after = params.get("retry_after", "1" if kind == "429" else None)
    burst = int(_number(kind, "burst", params.get("burst", "1"), integer=True))
    if burst < 1:
        msg = "fault '429': burst must be at least 1"
        raise ValueError(msg)
    return FaultSpec(
        kind=kind,
        rate=rate,
        retry_after=None
        if retry_after is None
        else int(_number(kind, "retry_after", retry_after, integer=True)),
        burst=burst,
        status=status,
        ms=_number(kind, "ms", params.get("ms", "0")),
        jitter=_number(kind, "jitter", params.get("jitter", "0")),
        after=_number(kind, "after", params["after"]) if "after" in params else None,
        path=params.get("path"),
        method=params["method"].upper() if "method" in params else None,
    )


@dataclass(slots=True)
class Injection:
    """What the faults do to one request."""

    delay: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    drop: bool = False
    editor: bool = False
    token_after: float | None = None
    kinds: list[str] = field(default_factory=list)


class FaultEngine:
    """Decide, request by request, which faults fire.

    Args:
        specs: the faults (FaultSpec or grammar strings).
        seed: makes every draw reproducible; None draws from the OS.
    """

    def __init__(self, specs: tuple[FaultSpec, ...], seed: int | None) -> None:
        self.specs = specs
        self._rngs = [
            random.Random(None if seed is None else seed * 1_000_003 + i)
            for i in range(len(specs))
        ]
        self._burst_left = [0] * len(specs)

    def draw(self, method: str, path: str) -> Injection:
        """Return the injection for a request of `method` on `path`."""
        out = Injection()
        for index, spec in enumerate(self.specs):
            if not spec.matches(method, path):
                continue
            rng = self._rngs[index]
            if spec.kind == "token-expiry":
                out.token_after = spec.after
                continue
            continuing = spec.kind == "429" and self._burst_left[index] > 0
            if continuing:
                self._burst_left[index] -= 1
                fired = True
            else:
                fired = rng.random() < spec.rate
            if not fired:
                continue
            if spec.kind == "latency":
                out.delay += (spec.ms + rng.uniform(0, spec.jitter)) / 1000
            elif spec.kind == "429" and out.status is None:
                if not continuing:
                    self._burst_left[index] = spec.burst - 1
                out.status, out.retry_after = 429, spec.retry_after
                out.kinds.append("429")
            elif spec.kind == "5xx" and out.status is None:
                out.status = spec.status or rng.choice(SERVER_ERRORS)
                out.retry_after = spec.retry_after
                out.kinds.append("5xx")
            elif spec.kind == "drop":
                out.drop = True
            elif spec.kind == "editor":
                out.editor = True
        return out
