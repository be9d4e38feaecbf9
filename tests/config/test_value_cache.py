"""parse_time and parse_day_token remember texts they parsed, never failures."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic_core import PydanticCustomError

from gcsched.config import values
from gcsched.domain.model import TimeOfDay, Weekday


def test_a_time_text_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second read of a text is the first's result, not a new parse."""
    monkeypatch.setattr(values, "_TIMES", {})
    first = values.parse_time("09:30")
    assert first == TimeOfDay(time(9, 30))
    assert values.parse_time("09:30") is first
    assert values.parse_time(" 09:30 ") == first  # another text, the same time
    assert values.parse_time(time(9, 30)) == first  # not a text: not kept
    assert set(values._TIMES) == {"09:30", " 09:30 "}


def test_a_day_token_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "_DAY_TOKENS", {})
    weekdays = values.parse_day_token("mon-fri")
    assert Weekday.SATURDAY not in weekdays
    assert len(weekdays) == 5
    assert values.parse_day_token("mon-fri") is weekdays
    assert values.parse_day_token("daily") == "daily"
    assert set(values._DAY_TOKENS) == {"mon-fri", "daily"}


@pytest.mark.parametrize(
    ("parse", "text", "code"),
    [
        (values.parse_time, "25:00", "bad_time"),
        (values.parse_day_token, "mon-fry", "bad_day"),
    ],
)
def test_a_failure_fails_every_time(parse: object, text: str, code: str) -> None:
    """A bad text is not remembered: each read gets the same message."""
    messages = []
    for _ in range(2):
        with pytest.raises(PydanticCustomError) as caught:
            parse(text)  # type: ignore[operator]
        assert caught.value.type == code
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert text not in values._TIMES
    assert text not in values._DAY_TOKENS


def test_non_texts_fail_as_before() -> None:
    with pytest.raises(PydanticCustomError, match="quote it"):
        values.parse_time(930)
    with pytest.raises(PydanticCustomError, match="day name"):
        values.parse_day_token(5)


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound, texts are parsed each time and nothing more is kept."""
    monkeypatch.setattr(values, "_PARSED_MAX", 2)
    monkeypatch.setattr(values, "_TIMES", {})
    monkeypatch.setattr(values, "_DAY_TOKENS", {})
    for text in ("01:00", "02:00", "03:00"):
        assert values.parse_time(text).clock.hour == int(text[:2])
    for token in ("mon", "tue", "wed"):
        assert len(values.parse_day_token(token)) == 1
    assert len(values._TIMES) == 2
    assert len(values._DAY_TOKENS) == 2
