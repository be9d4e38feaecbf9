"""Telemetry test fixtures: a clean process-wide redactor and root logger."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from gcsched.telemetry import REDACTOR


@pytest.fixture(autouse=True)
def _clean_redactor_and_logging() -> Iterator[None]:
    """Forget registered secrets and restore the root logger after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    REDACTOR.clear()
    yield
    REDACTOR.clear()
    root.handlers[:] = handlers
    root.setLevel(level)
