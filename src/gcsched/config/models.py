"""pydantic v2 models mirroring the schedule file, key for key.

Frozen, strict (YAML `"7"` is not the number 7) and closed (`extra="forbid"`).
They check each value on its own and hold the domain value it means (a
`TimeOfDay`, a set of weekdays, a `timedelta`); rules that tie values together
(until after from, exactly one target, known calendars, ...) live in
`gcsched.config.rules`, and `gcsched.config.build` turns the models into domain
value objects. Each custom value declares its JSON Schema next to its reader, a
`pattern` where the text has a shape (local wall times never claim `format:
date-time`, which requires an offset).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)

from gcsched.config.compliance_models import (
    ComplianceModel,
    Contacts,
    GuardedBy,
    PurposeValue,
)
from gcsched.config.values import (
    DATE_LIKE_PATTERN,
    DATETIME_LIKE_PATTERN,
    DAY_TOKEN_PATTERN,
    DURATION_PATTERN,
    LOCAL_DATETIME_PATTERN,
    MAX_COUNT,
    MAX_EVERY,
    NAME_PATTERN,
    PROJECT_PATTERN,
    SCHEMA_DATE_PATTERN,
    TIME_PATTERN,
    fail,
    parse_alteration,
    parse_calendar_item,
    parse_date,
    parse_day_token,
    parse_duration,
    parse_local_datetime,
    parse_name,
    parse_project,
    parse_secret_env,
    parse_target_ref,
    parse_time,
    parse_zone,
)
from gcsched.domain.genesys import DEFAULT_PROJECT
from gcsched.domain.model import (
    MAX_CHANGE_FRACTION,
    MIN_EXISTING,
    DayRange,
    TimedRange,
    TimeOfDay,
    Weekday,
)
from gcsched.domain.webhook_events import WebhookEvent

__all__ = [
    "FileModel",
    "HolidayCalendarModel",
    "IntervalModel",
    "OrgModel",
    "PacingModel",
    "PolicyModel",
    "ScheduleModel",
    "WebhookModel",
    "WindowModel",
]

Schema = dict[str, Any]


def _text(pattern: str, description: str) -> Schema:
    return {"type": "string", "pattern": pattern, "description": description}


_DATE: Schema = {"type": "string", "format": "date", "pattern": SCHEMA_DATE_PATTERN}
_LOCAL_DATETIME = _text(
    LOCAL_DATETIME_PATTERN, "local wall time YYYY-MM-DDTHH:MM[:SS], no offset"
)
_DAY_TOKEN = _text(
    DAY_TOKEN_PATTERN, "mon..sun, monday..sunday, a range like mon-fri, or daily"
)
_CALENDAR_NAME: Schema = {
    "type": "string",
    "pattern": r"\S",
    "not": {
        "anyOf": [{"pattern": DATE_LIKE_PATTERN}, {"pattern": DATETIME_LIKE_PATTERN}]
    },
    "description": "the name of a calendar in calendars:",
}


def _range(bound: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {
            "from": bound,
            "to": bound,
            "name": {"type": ["string", "null"]},
        },
        "required": ["from", "to"],
        "additionalProperties": False,
    }


TimeValue = Annotated[
    TimeOfDay,
    PlainValidator(parse_time),
    WithJsonSchema(_text(TIME_PATTERN, '"HH:MM" or "HH:MM:SS"; end may be "24:00"')),
]
DateValue = Annotated[date, BeforeValidator(parse_date), WithJsonSchema(_DATE)]
LocalDateTime = Annotated[
    datetime, BeforeValidator(parse_local_datetime), WithJsonSchema(_LOCAL_DATETIME)
]
Zone = Annotated[
    str,
    BeforeValidator(parse_zone),
    WithJsonSchema({"type": "string", "description": "IANA zone"}),
]
DayToken = Annotated[
    frozenset[Weekday] | Literal["daily"],
    PlainValidator(parse_day_token),
    WithJsonSchema(_DAY_TOKEN),
]
TargetRef = Annotated[
    str, BeforeValidator(parse_target_ref), WithJsonSchema(_text(r"\S", "a name or id"))
]
Name = Annotated[
    str,
    BeforeValidator(parse_name),
    WithJsonSchema(_text(NAME_PATTERN, "at most 55 characters")),
]
Project = Annotated[
    str,
    BeforeValidator(parse_project),
    WithJsonSchema(
        _text(
            PROJECT_PATTERN,
            "the project the file belongs to: 1-20 lowercase letters, digits "
            "and hyphens",
        )
    ),
]
SecretEnv = Annotated[
    str,
    BeforeValidator(parse_secret_env),
    WithJsonSchema(_text(r"^[A-Z_][A-Z0-9_]*$", "an environment variable name")),
]
Duration = Annotated[
    timedelta,
    PlainValidator(parse_duration),
    WithJsonSchema(_text(DURATION_PATTERN, "a delay like 5s, 5m, 2h or 1d")),
]


def _wrap_word(value: Any) -> Any:
    """`days: daily` and `days: mon-fri` are shorthands for a one-item list."""
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    # defer_build: a model's validator is built when first used, so a command
    # pays only for the models it validates with (`gcsched --help` for none).
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        populate_by_name=False,
        defer_build=True,
    )


AltItem = Annotated[
    str | DayRange | TimedRange,
    PlainValidator(parse_alteration),
    WithJsonSchema(
        {
            "anyOf": [
                _CALENDAR_NAME,
                _DATE,
                _range(_DATE),
                _range(_LOCAL_DATETIME),
            ]
        }
    ),
]
CalendarItem = Annotated[
    DayRange,
    PlainValidator(parse_calendar_item),
    WithJsonSchema({"anyOf": [_DATE, _range(_DATE)]}),
]


def _holiday_code(value: Any) -> str:
    """An ISO 3166 code the holidays package knows (imported only for this)."""
    if not isinstance(value, str):
        fail(
            "write a country or subdivision code such as US, US-FL or GB-ENG",
            "bad_holidays",
        )
    from gcsched.config.public_holidays import check_code

    try:
        return check_code(value)
    except ValueError as exc:
        fail(str(exc), "bad_holidays")


def _years(value: Any) -> tuple[int, int]:
    """`2026` or `2026-2028` (inclusive): the years a holiday calendar spans."""
    text = (
        str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )
    first, _, last = (
        text.strip().partition("-") if isinstance(text, str) else ("", "", "")
    )
    shaped = first.isdigit() and len(first) == 4 and (not last or last.isdigit())
    span = (int(first), int(last or first)) if shaped else (0, 0)
    if not 1900 <= span[0] <= span[1] <= 2999:
        fail(
            "write a year or an inclusive range of years such as 2026 or 2026-2028 "
            "(1900..2999)",
            "holiday_years",
        )
    return span


class HolidayCalendarModel(_Model):
    """A calendar of public holidays: `{holidays: US-FL, years: 2026-2027}`."""

    holidays: Annotated[
        str,
        PlainValidator(_holiday_code),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9 ]+)?$",
                "description": "ISO 3166-1 country or ISO 3166-2 subdivision: "
                "US, FR, AU, US-FL, GB-ENG, CA-ON",
            }
        ),
    ]
    years: (
        Annotated[
            tuple[int, int],
            PlainValidator(_years),
            WithJsonSchema(
                {
                    "anyOf": [
                        {"type": "integer", "minimum": 1900, "maximum": 2999},
                        {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{4})?$"},
                    ],
                    "description": "default: the years of each schedule using it",
                }
            ),
        ]
        | None
    ) = None
    dates: list[CalendarItem] | None = None


_ENV_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"


_ENV_NAME_SCHEMA: Schema = {
    **_text(
        _ENV_PATTERN,
        "an environment name: lowercase letters, digits, - and _ (not all)",
    ),
    "not": {"const": "all"},
}


def _env_name(value: str) -> str:
    if value == "all":
        msg = "`all` is reserved (`--env all` plans every environment)"
        raise ValueError(msg)
    return value


EnvName = Annotated[
    str,
    Field(pattern=_ENV_PATTERN),
    AfterValidator(_env_name),
    WithJsonSchema(_ENV_NAME_SCHEMA),
]


# Names are checked by `gcsched.config.environments` (a message of its own).
EnvKey = Annotated[str, WithJsonSchema(_ENV_NAME_SCHEMA)]


class OrgModel(_Model):
    """`org:` which Genesys Cloud org the file is for."""

    region: str | None = Field(
        None, description="us-east-1, us_east_1 or a host like mypurecloud.ie"
    )


class PolicyModel(_Model):
    """`policy:` how conflicts, safety limits and ownership are handled."""

    audience_conflicts: Literal["reject", "trim", "warn"] = "reject"
    allow_overlap: (
        list[Annotated[list[TargetRef], Field(min_length=2, max_length=2)]] | None
    ) = None
    horizon_days: Annotated[int, Field(ge=1, le=3660)] = 90
    max_change_fraction: Annotated[float, Field(gt=0, le=1)] = MAX_CHANGE_FRACTION
    min_existing: Annotated[int, Field(ge=0)] = MIN_EXISTING
    manage: Literal["owned", "all"] = "owned"
    map_priority: bool = False
    purpose: PurposeValue | None = None
    contacts: Contacts | None = None
    compliance: ComplianceModel | None = None


class PacingModel(_Model):
    """`pacing:` voice keys for campaigns, messages_per_minute for messaging."""

    # A decimal such as 1.5 is kept: campaign PUTs carry maxCallsPerAgentDecimal.
    max_calls_per_agent: Annotated[float, Field(ge=1)] | None = None
    outbound_line_count: Annotated[int, Field(ge=1)] | None = None
    abandon_rate: Annotated[float, Field(ge=0, le=100)] | None = None
    messages_per_minute: Annotated[int, Field(ge=1)] | None = None


class WindowModel(_Model):
    """One `windows[]` entry: days, start, end, every, and optional overrides."""

    days: Annotated[
        list[DayToken],
        BeforeValidator(_wrap_word),
        Field(min_length=1),
        WithJsonSchema(
            {
                "anyOf": [
                    _DAY_TOKEN,
                    {"type": "array", "items": _DAY_TOKEN, "minItems": 1},
                ]
            }
        ),
    ]
    start: TimeValue
    end: TimeValue
    every: Annotated[int, Field(ge=1, le=MAX_EVERY)] = 1
    time_zone: Zone | None = None
    allow_legacy_zone: bool | None = None
    from_: DateValue | None = Field(None, alias="from")
    until: DateValue | None = None
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    except_: list[AltItem] | None = Field(None, alias="except")
    include: list[AltItem] | None = None


class IntervalModel(_Model):
    """One `intervals[]` entry: a one-off local window."""

    start: LocalDateTime
    end: LocalDateTime
    name: str | None = None


class ScheduleModel(_Model):
    """One `schedules[]` entry."""

    campaign: TargetRef | None = None
    sequence: TargetRef | None = None
    messaging_campaign: TargetRef | None = None
    time_zone: Zone
    allow_legacy_zone: bool = False
    priority: Annotated[int, Field(ge=1, le=10)] = 5
    audience: TargetRef | None = None
    name: Name | None = None
    windows: list[WindowModel] | None = None
    intervals: list[IntervalModel] | None = None
    from_: DateValue | None = Field(None, alias="from")
    until: DateValue | None = None
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    except_: list[AltItem] | None = Field(None, alias="except")
    include: list[AltItem] | None = None
    render: Literal["recurrences", "intervals"] = "recurrences"
    pacing: PacingModel | None = None
    purpose: PurposeValue | None = None
    contacts: Contacts | None = None
    guarded_by: GuardedBy | None = None
    envs: Annotated[list[EnvName], Field(min_length=1)] | None = Field(
        None, description="the environments it applies in (default: every one)"
    )


class WebhookModel(_Model):
    """One `webhooks[]` entry (delivery is the webhooks layer's job)."""

    url: str
    secret_env: SecretEnv
    events: Annotated[list[WebhookEvent], Field(min_length=1)] | None = None
    allow_insecure_loopback: bool = False
    retry: Annotated[list[Duration], Field(min_length=1, max_length=20)] | None = None


class EnvironmentModel(_Model):
    """One `environments:` entry: where that org is, and what differs there."""

    region: str | None = Field(
        None, description="us-east-1, us_east_1 or a host like mypurecloud.ie"
    )
    api_url: str | None = Field(None, description="the API base URL (wins over region)")
    org_id: str | None = Field(
        None, description="refuse to plan or apply unless the org has this id"
    )
    policy: PolicyModel | None = Field(
        None, description="policy keys that differ here (merged over `policy:`)"
    )
    from_: DateValue | None = Field(
        None, alias="from", description="every schedule's `from` here"
    )
    until: DateValue | None = Field(
        None, description="every schedule's `until` here (instead of its count)"
    )
    pacing: PacingModel | None = Field(
        None, description="pacing keys that win over each schedule's here"
    )


class FileModel(_Model):
    """The whole schedule file."""

    model_config = ConfigDict(title="gcsched schedule file")

    version: Literal[1]
    project: Project = Field(
        DEFAULT_PROJECT,
        description="the project the file belongs to: it deletes only schedules "
        "its project owns",
    )
    org: OrgModel | None = None
    policy: PolicyModel | None = None
    calendars: dict[str, list[CalendarItem] | HolidayCalendarModel | None] | None = None
    schedules: list[ScheduleModel] | None = None
    webhooks: list[WebhookModel] | None = None
    include: list[str] | None = Field(
        None,
        description="globs of files (relative to this one) whose schedules and "
        "calendars this file also holds: teams/*.yaml",
    )
    environments: (
        Annotated[dict[EnvKey, EnvironmentModel | None], Field(min_length=1)] | None
    ) = Field(
        None,
        description="the orgs the file is for, by name (`--env NAME` selects one)",
    )
