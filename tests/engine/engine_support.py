"""Constants shared by the engine tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 27)
EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"
URL = "http://sandbox.test"
