"""The plan's body rules accept and refuse what the sandbox's validation does."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcsched.domain.body_rules import EMPTY_SCHEDULE, body_problems
from gcsched.sandbox.problems import ApiProblem
from gcsched.sandbox.validation import validate_schedule

TARGET = "c-1"
NOTHING = object()

times = st.sampled_from(
    [
        "2027-03-14T01:30:00",
        "2027-03-14T03:00:00.000",
        "2027-03-14T09:00:00Z",
        "2027-03-15T01:30:00",
        "2027-03-16T02:00:00",
        "2027-02-30T09:00:00",
        "14/03/2027 09:00",
        "",
        None,
        12,
    ]
)
zones = st.sampled_from(
    ["America/New_York", "UTC", "Europe/London", "Mars/Base", " UTC", "", None, 5]
)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(NOTHING), value)


def _object(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    parts = {key: _maybe(value) for key, value in fields.items()}
    return st.fixed_dictionaries(parts).map(
        lambda d: {k: v for k, v in d.items() if v is not NOTHING}
    )


spans = _object(start=times, end=times)
alterations = _object(
    type=st.sampled_from(["Exclusion", "Inclusion", "Other", None]),
    start=times,
    end=times,
)
patterns = st.one_of(
    st.just("Weekly"),
    _object(
        type=st.sampled_from(["Daily", "Weekly", "Monthly", None]),
        interval=st.sampled_from([1, 2, 0, -1, True, "1", None]),
        daysOfWeek=st.one_of(
            st.lists(st.sampled_from(["Monday", "Sunday", "Funday"]), max_size=3),
            st.just("Monday"),
            st.none(),
        ),
    ),
)
ranges = st.one_of(
    st.just(3),
    _object(
        type=st.sampled_from(["NoEnd", "EndDate", "Numbered", "Forever", None]),
        end=times,
        numberOfOccurrences=st.sampled_from([1, 5, 0, False, None]),
    ),
)
recurrences = st.one_of(
    st.just("r"),
    _object(
        start=times,
        end=times,
        timeZone=zones,
        pattern=patterns,
        range=ranges,
        alterations=st.one_of(st.lists(alterations, max_size=2), st.just("x")),
        id=st.just("r-1"),
        colour=st.just("red"),
    ),
)
bodies = _object(
    campaign=st.sampled_from([{"id": TARGET}, {"id": "other"}, "c-1", None]),
    name=st.sampled_from(["gcsched: x", None, 3]),
    version=st.sampled_from([1, "2", True, None]),
    timeZone=zones,
    intervals=st.one_of(st.lists(spans, max_size=3), st.just({}), st.none()),
    recurrences=st.one_of(st.lists(recurrences, max_size=2), st.just(1), st.none()),
    extra=st.just(True),
)

good_span = st.sampled_from(
    [
        {"start": "2027-03-14T01:30:00", "end": "2027-03-14T03:00:00.000"},
        {"start": "2027-03-15T09:00:00.000", "end": "2027-03-15T17:00:00.000"},
    ]
)
good_recurrence = st.fixed_dictionaries(
    {
        "start": st.just("2027-03-15T09:00:00"),
        "end": st.sampled_from(["2027-03-15T17:00:00", "2027-03-16T09:00:00"]),
        "pattern": st.sampled_from(
            [
                {"type": "Daily", "interval": 1},
                {"type": "Weekly", "interval": 2, "daysOfWeek": ["Monday"]},
            ]
        ),
        "range": st.sampled_from(
            [
                {"type": "NoEnd"},
                {"type": "EndDate", "end": "2027-06-30T23:59:59"},
                {"type": "Numbered", "numberOfOccurrences": 3},
            ]
        ),
    },
    optional={
        "timeZone": st.just("Europe/London"),
        "alterations": st.lists(
            st.just(
                {
                    "type": "Exclusion",
                    "start": "2027-04-01T00:00:00",
                    "end": "2027-04-02T00:00:00",
                }
            ),
            max_size=1,
        ),
    },
)
good_bodies = st.fixed_dictionaries(
    {
        "campaign": st.just({"id": TARGET}),
        "timeZone": st.sampled_from(["America/New_York", "UTC"]),
        "intervals": st.lists(good_span, max_size=2),
    },
    optional={
        "name": st.just("gcsched: x"),
        "version": st.just(3),
        "recurrences": st.lists(good_recurrence, max_size=2),
    },
)
one_wrong = st.tuples(good_bodies, bodies).map(
    lambda pair: {**pair[0], **dict(list(pair[1].items())[:1])}
)
any_body = st.one_of(good_bodies, one_wrong, bodies)


def _sandbox_fields(body: Any) -> list[str] | None:
    try:
        validate_schedule(body, "campaign", TARGET)
    except ApiProblem as problem:
        return [detail.field_name for detail in problem.details]
    return None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_body)
def test_same_verdict_and_fields_as_the_sandbox(body: dict[str, Any]) -> None:
    """Every generated body is accepted by both or refused by both, same fields."""
    ours = [field for field, _message in body_problems(body, "campaign", TARGET)]
    assert ours == (_sandbox_fields(body) or [])


@pytest.mark.parametrize(
    "body",
    [
        {"campaign": {"id": TARGET}, "timeZone": "UTC", "intervals": []},
        {
            "campaign": {"id": TARGET},
            "timeZone": "UTC",
            "intervals": [],
            "recurrences": [],
        },
    ],
)
def test_an_empty_schedule_is_refused_in_the_apis_words(body: dict[str, Any]) -> None:
    """The trim-to-nothing body of issue 10#2 is refused by both, in one message."""
    assert body_problems(body, "campaign", TARGET) == [("intervals", EMPTY_SCHEDULE)]
    with pytest.raises(ApiProblem) as info:
        validate_schedule(body, "campaign", TARGET)
    assert info.value.message == EMPTY_SCHEDULE
