"""Start `gcsched sandbox serve` as a real process for the SDK tests."""

from __future__ import annotations

from served_sandbox import served_sandbox as running_sandbox

__all__ = ["running_sandbox"]
