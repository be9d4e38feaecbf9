"""Typed wire models of the Genesys Cloud JSON gcsched reads and writes.

Every model allows extra fields (the API adds fields over time) and keeps
types loose on read-only data, so an org with something unexpected still plans.
Outbound bodies are checked harder (`validate_outbound`): required fields and
the documented enums. Field names are the API's camelCase, through aliases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from gcsched.genesys import DAY_NAMES, REFERENCE_FIELD, Family

__all__ = [
    "SCHEDULE_MODELS",
    "Alteration",
    "AtzmTimeSlot",
    "AtzmTimeSlotWithTimeZone",
    "AutomaticTimeZoneMappingSettings",
    "CallableTimeSet",
    "CallableWindow",
    "Campaign",
    "CampaignPatch",
    "CampaignRule",
    "CampaignSchedule",
    "ContactList",
    "ContactPhoneNumberColumn",
    "EmailCampaignSchedule",
    "EntityListing",
    "ErrorBody",
    "LimitsListing",
    "MessagingCampaign",
    "MessagingCampaignBody",
    "MessagingCampaignSchedule",
    "Organization",
    "OutboundSettings",
    "Pattern",
    "Range",
    "Recurrence",
    "ScheduleBase",
    "ScheduleInterval",
    "Sequence",
    "SequenceSchedule",
    "TimeZoneMappingPreview",
    "TokenResponse",
    "WhatsAppCampaignSchedule",
    "Wire",
    "describe_validation_error",
    "validate_messaging_campaign_body",
    "validate_outbound_schedule",
]

_STRICT_ENUMS: dict[str, tuple[str, ...]] = {
    "pattern.type": ("Daily", "Weekly"),
    "range.type": ("NoEnd", "EndDate", "Numbered"),
    "alteration.type": ("Exclusion", "Inclusion"),
    "day": DAY_NAMES,
}


class Wire(BaseModel):
    """Base of every wire model: camelCase aliases, extra fields kept."""

    model_config = ConfigDict(
        extra="allow", alias_generator=to_camel, populate_by_name=True
    )


class EntityRef(Wire):
    """``DomainEntityRef``: ``{id, name, selfUri}``."""

    id: str | None = None
    name: str | None = None


class TokenResponse(BaseModel):
    """The OAuth token endpoint's success body."""

    model_config = ConfigDict(extra="allow")

    access_token: str = Field(min_length=1)
    token_type: str = "bearer"  # noqa: S105 (a scheme)
    expires_in: float = Field(default=86400, gt=0)


class ErrorBody(Wire):
    """Genesys ``ErrorBody``; every field optional (proxies answer too)."""

    message: str | None = None
    code: str | None = None
    status: int | None = None
    context_id: str | None = None
    message_params: dict[str, Any] | None = None


class Organization(Wire):
    """``GET /api/v2/organizations/me``."""

    id: str
    name: str | None = None


class LimitEntry(Wire):
    """One limit of a namespace."""

    key: str | None = None
    namespace: str | None = None
    value: float | None = None


class LimitsListing(Wire):
    """``GET /api/v2/organizations/limits/namespaces/{ns}``."""

    entities: list[LimitEntry] = []


class EntityListing(Wire):
    """A page of ``*EntityListing``."""

    entities: list[dict[str, Any]] = []
    page_size: int | None = None
    page_number: int | None = None
    page_count: int | None = None
    total: int | None = None
    next_uri: str | None = None


class Campaign(Wire):
    """A voice campaign (the fields gcsched reads or patches)."""

    id: str
    name: str | None = None
    version: int | None = None
    campaign_status: str | None = None
    contact_list: EntityRef | None = None
    callable_time_set: EntityRef | None = None
    priority: int | None = None
    max_calls_per_agent: float | None = None
    max_calls_per_agent_decimal: float | None = Field(default=None, ge=1)
    outbound_line_count: int | None = None
    abandon_rate: float | None = None


class CampaignPatch(Wire):
    """``CampaignPatchRequest``: only the documented patchable fields."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True
    )

    outbound_line_count: int | None = Field(default=None, ge=0)
    abandon_rate: float | None = Field(default=None, ge=0, le=100)
    max_calls_per_agent: float | None = Field(default=None, ge=1)  # a double
    dynamic_line_balancing_settings: dict[str, Any] | None = None
    queue: EntityRef | None = None


class MessagingCampaign(Wire):
    """An email, SMS or WhatsApp campaign."""

    id: str | None = None
    name: str | None = None
    version: int | None = None
    campaign_status: str | None = None
    contact_list: EntityRef | None = None
    messages_per_minute: int | None = None
    callable_time_set: EntityRef | None = None


class MessagingCampaignBody(MessagingCampaign):
    """What a messaging campaign PUT must carry."""

    name: str
    version: int
    contact_list: EntityRef
    messages_per_minute: int = Field(ge=1)


class Sequence(Wire):
    """A campaign sequence."""

    id: str
    name: str | None = None
    version: int | None = None
    status: str | None = None
    campaigns: list[EntityRef] = []


class ContactPhoneNumberColumn(Wire):
    """A phone column; its zone column for callable time sets, if any."""

    column_name: str | None = None
    type: str | None = None
    callable_time_column: str | None = None
    callable_time_column_name: str | None = None


class ContactList(Wire):
    """A contact list; ``size`` only with ``includeSize=true``."""

    id: str
    name: str | None = None
    size: int | None = None
    automatic_time_zone_mapping: bool | None = None
    zip_code_column_name: str | None = None
    phone_columns: list[ContactPhoneNumberColumn] | None = None


class AtzmTimeSlot(Wire):
    """``AtzmTimeSlot``: ``HH:mm`` bounds of an ATZM window."""

    earliest_callable_time: str | None = None
    latest_callable_time: str | None = None


class AtzmTimeSlotWithTimeZone(AtzmTimeSlot):
    """The window (and zone) of contacts ATZM cannot map."""

    time_zone_id: str | None = None


class CallableWindow(Wire):
    """One ``callableWindows`` entry of the org's ATZM settings."""

    mapped: AtzmTimeSlot | None = None
    unmapped: AtzmTimeSlotWithTimeZone | None = None


class AutomaticTimeZoneMappingSettings(Wire):
    """``AutomaticTimeZoneMappingSettings`` of ``OutboundSettings``."""

    callable_windows: list[CallableWindow] | None = None
    supported_countries: list[str] | None = None


class OutboundSettings(Wire):
    """``GET /api/v2/outbound/settings`` (the fields gcsched reads)."""

    automatic_time_zone_mapping: AutomaticTimeZoneMappingSettings | None = None
    reschedule_time_zone_skipped_contacts: bool | None = None


class TimeZoneMappingPreview(Wire):
    """``GET /api/v2/outbound/contactlists/{id}/timezonemappingpreview``."""

    contact_list: EntityRef | None = None
    contacts_per_time_zone: dict[str, int] | None = None
    contacts_in_default_window: int | None = None
    contact_list_size: int | None = None


class CampaignRule(Wire):
    """A campaign rule (conditions and actions kept as sent)."""

    id: str
    name: str | None = None
    enabled: bool | None = None
    time_zone_id: str | None = None
    campaign_rule_entities: dict[str, Any] | None = None
    campaign_rule_conditions: list[dict[str, Any]] | None = None
    campaign_rule_actions: list[dict[str, Any]] | None = None
    condition_groups: list[dict[str, Any]] | None = None


class CampaignTimeSlot(Wire):
    """``{startTime, stopTime, day}`` with day 1–7 = Monday–Sunday."""

    start_time: str
    stop_time: str
    day: int = Field(ge=1, le=7)


class CallableTime(Wire):
    """Time slots in one zone (``name``: what a contact's zone column holds)."""

    time_slots: list[CampaignTimeSlot] = []
    time_zone_id: str | None = None
    name: str | None = None


class CallableTimeSet(Wire):
    """A callable time set."""

    id: str
    name: str | None = None
    callable_times: list[CallableTime] = []


class ScheduleInterval(Wire):
    """One explicit interval (local wall time in the schedule's zone)."""

    start: str
    end: str


class Pattern(Wire):
    """Daily or Weekly recurrence pattern."""

    type: str
    interval: int = Field(default=1, ge=1)
    days_of_week: list[str] | None = None


class Range(Wire):
    """NoEnd, EndDate or Numbered range."""

    type: str
    end: str | None = None
    number_of_occurrences: int | None = Field(default=None, ge=1)


class Alteration(Wire):
    """An Exclusion or Inclusion."""

    type: str
    start: str | None = None
    end: str | None = None


class Recurrence(Wire):
    """``Reoccurrence`` (Genesys's spelling)."""

    id: str | None = None
    start: str
    end: str
    time_zone: str | None = None
    pattern: Pattern
    range: Range
    alterations: list[Alteration] | None = None


class ScheduleBase(Wire):
    """Fields common to the five schedule models."""

    id: str | None = None
    name: str | None = None
    version: int | None = None
    intervals: list[ScheduleInterval] = []
    recurrences: list[Recurrence] | None = None
    time_zone: str | None = None


class CampaignSchedule(ScheduleBase):
    """A voice campaign's schedule."""

    campaign: EntityRef | None = None


class SequenceSchedule(ScheduleBase):
    """A sequence's schedule."""

    sequence: EntityRef | None = None


class EmailCampaignSchedule(ScheduleBase):
    """An email campaign's schedule."""

    email_campaign: EntityRef | None = None


class MessagingCampaignSchedule(ScheduleBase):
    """An SMS (messaging) campaign's schedule."""

    messaging_campaign: EntityRef | None = None


class WhatsAppCampaignSchedule(ScheduleBase):
    """A WhatsApp campaign's schedule."""

    whats_app_campaign: EntityRef | None = None


SCHEDULE_MODELS: Mapping[str, type[ScheduleBase]] = {
    Family.CAMPAIGNS: CampaignSchedule,
    Family.SEQUENCES: SequenceSchedule,
    Family.EMAIL_CAMPAIGNS: EmailCampaignSchedule,
    Family.MESSAGING_CAMPAIGNS: MessagingCampaignSchedule,
    Family.WHATSAPP_CAMPAIGNS: WhatsAppCampaignSchedule,
}
"""The wire model of each family's schedule (the reference field: `REFERENCE_FIELD`)."""


class _OutboundSchedule(Wire):
    """Checks on a schedule body before it is sent."""

    intervals: list[ScheduleInterval]
    recurrences: list[Recurrence] | None = None

    @model_validator(mode="after")
    def _enums(self) -> _OutboundSchedule:
        problems: list[str] = []
        for i, rec in enumerate(self.recurrences or []):
            where = f"recurrences[{i}]"
            if rec.pattern.type not in _STRICT_ENUMS["pattern.type"]:
                problems.append(f"{where}.pattern.type {rec.pattern.type!r}")
            for day in rec.pattern.days_of_week or []:
                if day not in _STRICT_ENUMS["day"]:
                    problems.append(f"{where}.pattern.daysOfWeek {day!r}")
            if rec.pattern.type == "Weekly" and not rec.pattern.days_of_week:
                problems.append(f"{where}.pattern.daysOfWeek missing for Weekly")
            if rec.range.type not in _STRICT_ENUMS["range.type"]:
                problems.append(f"{where}.range.type {rec.range.type!r}")
            if rec.range.type == "EndDate" and not rec.range.end:
                problems.append(f"{where}.range.end missing for EndDate")
            if rec.range.type == "Numbered" and not rec.range.number_of_occurrences:
                problems.append(f"{where}.range.numberOfOccurrences missing")
            for j, alt in enumerate(rec.alterations or []):
                if alt.type not in _STRICT_ENUMS["alteration.type"]:
                    problems.append(f"{where}.alterations[{j}].type {alt.type!r}")
        if problems:
            msg = "invalid values: " + "; ".join(problems)
            raise ValueError(msg)
        return self


def validate_outbound_schedule(family: str, body: Mapping[str, Any]) -> None:
    """Check a schedule body before a PUT; raises ``ValidationError``."""
    _OutboundSchedule.model_validate(dict(body))
    SCHEDULE_MODELS[family].model_validate(dict(body))
    ref_field = REFERENCE_FIELD[Family(family)]
    ref = body.get(ref_field)
    if not isinstance(ref, Mapping) or not ref.get("id"):
        title = "ScheduleBody"
        raise ValidationError.from_exception_data(
            title,
            [
                {
                    "type": "missing",
                    "loc": (ref_field, "id"),
                    "input": ref,
                }
            ],
        )


def validate_messaging_campaign_body(body: Mapping[str, Any]) -> None:
    """Check a messaging campaign PUT body; raises ``ValidationError``."""
    MessagingCampaignBody.model_validate(dict(body))


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``field.path: message`` (no input values)."""
    lines = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(part) for part in err["loc"]) or "(body)"
        lines.append(f"{loc}: {err['msg']}")
    return "; ".join(lines)
