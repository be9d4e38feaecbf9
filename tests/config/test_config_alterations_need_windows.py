"""`except`/`include` act on windows: a schedule of intervals only cannot use them.

Genesys alterations belong to recurrences, so on a schedule without windows they
would be dropped silently (an excluded holiday would still be called).
"""

from __future__ import annotations

import pytest

from gcsched.config import loads
from gcsched.errors import ConfigError

HEAD = """version: 1
schedules:
  - campaign: Q4 Renewals
    time_zone: UTC
    intervals:
      - {start: 2026-12-24T09:00, end: 2026-12-26T17:00}
"""


def _reasons(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        loads(text, "f.yaml")
    return list(info.value.reasons)


def test_except_without_windows_is_an_error_at_its_line() -> None:
    """The holiday is not silently dropped: the error names line and fix."""
    (reason,) = _reasons(HEAD + "    except: [2026-12-25]\n")
    assert reason.startswith("f.yaml:7:")
    assert "schedules[0].except" in reason
    assert "windows" in reason
    assert "intervals" in reason


def test_include_without_windows_is_an_error() -> None:
    """A timed inclusion without windows would be dropped as well."""
    (reason,) = _reasons(
        HEAD + "    include: [{from: 2026-12-27T10:00, to: 2026-12-27T12:00}]\n"
    )
    assert "schedules[0].include" in reason


def test_empty_alterations_and_windows_are_fine() -> None:
    """An empty list says nothing; with a window the alterations apply."""
    assert loads(HEAD + "    except: []\n").schedules[0].except_ == ()
    text = HEAD + (
        '    windows: [{days: daily, start: "09:00", end: "10:00"}]\n'
        "    until: 2026-12-31\n"
        "    except: [2026-12-25]\n"
    )
    assert len(loads(text).schedules[0].except_) == 1


def test_max_calls_per_agent_takes_decimals_of_at_least_one() -> None:
    """Campaign PUTs carry maxCallsPerAgentDecimal: 2.5 is kept, 0.5 refused."""
    text = (
        "version: 1\nschedules:\n  - campaign: X\n    time_zone: UTC\n"
        '    windows: [{days: [mon], start: "09:00", end: "10:00"}]\n'
        "    pacing: {max_calls_per_agent: 2.5}\n"
    )
    (schedule,) = loads(text, "f.yaml").schedules
    assert schedule.pacing is not None
    assert schedule.pacing.max_calls_per_agent == 2.5
    with pytest.raises(ConfigError) as info:
        loads(text.replace("2.5", "0.5"), "f.yaml")
    assert info.value.reasons == (
        "f.yaml:6:35: schedules[0].pacing.max_calls_per_agent: must be at least "
        "1.0, found 0.5",
    )
