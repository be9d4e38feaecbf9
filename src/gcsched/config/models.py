"""pydantic v2 models mirroring the schedule file, key for key.

Frozen, strict (YAML `"7"` is not the number 7) and closed (`extra="forbid"`).
They check each value on its own; rules that tie values together (until after
from, exactly one target, known calendars, ...) live in `gcsched.config.convert`,
which also turns these models into the domain value objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from gcsched.config.values import (
    parse_alteration,
    parse_calendar_item,
    parse_date,
    parse_day_token,
    parse_duration,
    parse_local_datetime,
    parse_name,
    parse_secret_env,
    parse_target_ref,
    parse_time,
    parse_zone,
)
from gcsched.domain.model import DayRange, TimedRange

__all__ = [
    "FileModel",
    "IntervalModel",
    "OrgModel",
    "PacingModel",
    "PolicyModel",
    "ScheduleModel",
    "WebhookModel",
    "WindowModel",
]

TimeText = Annotated[
    str,
    BeforeValidator(parse_time),
    Field(description='"HH:MM" or "HH:MM:SS"; end may be "24:00"', pattern=r"^\d"),
]
DateValue = Annotated[date, BeforeValidator(parse_date)]
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(parse_local_datetime),
    Field(description="local wall time YYYY-MM-DDTHH:MM[:SS], no offset"),
]
Zone = Annotated[str, BeforeValidator(parse_zone), Field(description="IANA zone")]
DayToken = Annotated[
    str,
    BeforeValidator(parse_day_token),
    Field(description="mon..sun, monday..sunday, a range like mon-fri, or daily"),
]
TargetRef = Annotated[str, BeforeValidator(parse_target_ref)]
Name = Annotated[str, BeforeValidator(parse_name), Field(max_length=55)]
SecretEnv = Annotated[
    str, BeforeValidator(parse_secret_env), Field(pattern=r"^[A-Z_][A-Z0-9_]*$")
]
Duration = Annotated[
    str, BeforeValidator(parse_duration), Field(pattern=r"^[0-9]+[smhd]$")
]
WebhookEvent = Literal[
    "schedule.created",
    "schedule.updated",
    "schedule.deleted",
    "schedule.conflict",
    "run.completed",
    "run.failed",
]


def _wrap_word(value: Any) -> Any:
    """`days: daily` and `days: mon-fri` are shorthands for a one-item list."""
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, populate_by_name=False
    )


class RangeModel(_Model):
    """`{from, to, name}`: whole days (dates) or a timed range (date-times)."""

    from_: date | datetime = Field(alias="from")
    to: date | datetime
    name: str | None = None


AltItem = Annotated[
    str | DayRange | TimedRange,
    PlainValidator(parse_alteration, json_schema_input_type=str | date | RangeModel),
]
CalendarItem = Annotated[
    DayRange,
    PlainValidator(parse_calendar_item, json_schema_input_type=date | RangeModel),
]


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
    max_change_fraction: Annotated[float, Field(gt=0, le=1)] = 0.3
    min_existing: Annotated[int, Field(ge=0)] = 10
    manage: Literal["owned", "all"] = "owned"
    map_priority: bool = False


class PacingModel(_Model):
    """`pacing:` voice keys for campaigns, messages_per_minute for messaging."""

    max_calls_per_agent: Annotated[int, Field(ge=1)] | None = None  # PATCH takes ints
    outbound_line_count: Annotated[int, Field(ge=1)] | None = None
    abandon_rate: Annotated[float, Field(ge=0, le=100)] | None = None
    messages_per_minute: Annotated[int, Field(ge=1)] | None = None


class WindowModel(_Model):
    """One `windows[]` entry: days, start, end, every, and optional overrides."""

    days: Annotated[list[DayToken], BeforeValidator(_wrap_word), Field(min_length=1)]
    start: TimeText
    end: TimeText
    every: Annotated[int, Field(ge=1)] = 1
    time_zone: Zone | None = None
    from_: DateValue | None = Field(None, alias="from")
    until: DateValue | None = None
    count: Annotated[int, Field(ge=1)] | None = None
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
    priority: Annotated[int, Field(ge=1, le=10)] = 5
    audience: TargetRef | None = None
    name: Name | None = None
    windows: list[WindowModel] | None = None
    intervals: list[IntervalModel] | None = None
    from_: DateValue | None = Field(None, alias="from")
    until: DateValue | None = None
    count: Annotated[int, Field(ge=1)] | None = None
    except_: list[AltItem] | None = Field(None, alias="except")
    include: list[AltItem] | None = None
    render: Literal["recurrences", "intervals"] = "recurrences"
    pacing: PacingModel | None = None


class WebhookModel(_Model):
    """One `webhooks[]` entry (delivery is the webhooks layer's job)."""

    url: str
    secret_env: SecretEnv
    events: Annotated[list[WebhookEvent], Field(min_length=1)] | None = None
    allow_insecure_loopback: bool = False
    retry: Annotated[list[Duration], Field(min_length=1, max_length=20)] | None = None


class FileModel(_Model):
    """The whole schedule file."""

    model_config = ConfigDict(title="gcsched schedule file")

    version: Literal[1]
    org: OrgModel | None = None
    policy: PolicyModel | None = None
    calendars: dict[str, list[CalendarItem] | None] | None = None
    schedules: list[ScheduleModel] | None = None
    webhooks: list[WebhookModel] | None = None
