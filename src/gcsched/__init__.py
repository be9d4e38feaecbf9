"""gcsched: schedules-as-code for Genesys Cloud outbound."""

from __future__ import annotations

from gcsched._version import __version__

__all__ = ["__version__"]
