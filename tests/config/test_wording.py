"""Messages read as English: no "found a Invalid", no "None: Keys should be strings"."""

from __future__ import annotations

import pytest

from gcsched.config import loads
from gcsched.errors import ConfigError

ENTRY = (
    "schedules:\n  - campaign: A\n    time_zone: UTC\n"
    "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\n~: 1\n",
            ["f.yaml:2:1: keys must be text, found nothing (null) as a key"],
        ),
        (
            "version: 1\n1: 2\n",
            ["f.yaml:2:1: keys must be text, found a number (1) as a key"],
        ),
        (
            "version: 1\n" + ENTRY + "    ~: 3\n",
            [
                "f.yaml:6:5: schedules[0]: keys must be text, "
                "found nothing (null) as a key"
            ],
        ),
        (
            "version: 1\nschedules: !!binary aGk=\n",
            [
                "f.yaml:2:12: schedules: the YAML tag !!binary is not allowed; "
                "a schedule file holds plain data only"
            ],
        ),
        (
            "version: 1\nwebhooks: !!binary aGk=\n",
            [
                "f.yaml:2:11: webhooks: the YAML tag !!binary is not allowed; "
                "a schedule file holds plain data only"
            ],
        ),
        (
            "version: 1\ncalendars: !!binary aGk=\n",
            [
                "f.yaml:2:12: calendars: the YAML tag !!binary is not allowed; "
                "a schedule file holds plain data only"
            ],
        ),
        (
            "!!binary aGk=\n",
            [
                "f.yaml:1:1: the YAML tag !!binary is not allowed; "
                "a schedule file holds plain data only"
            ],
        ),
    ],
)
def test_each_problem_is_said_once_in_plain_words(
    text: str, expected: list[str]
) -> None:
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml")
    assert list(caught.value.reasons) == expected
    for reason in caught.value.reasons:
        assert "Invalid" not in reason
        assert "Keys should be strings" not in reason
