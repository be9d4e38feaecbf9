"""The schedule-file keys of the calling-hour check (issue 14).

`purpose:` and `contacts:` on a schedule (defaults in `policy`), `guarded_by:`,
and `policy.compliance: {mode, packs, freeze}`. The values are checked on their
own here; that regions, packs and freeze calendars exist is checked by
`gcsched.config.compliance_rules` (with FILE:LINE:COL).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from gcsched.domain.purposes import Purpose

__all__ = ["ComplianceModel", "Contacts", "GuardedBy", "PurposeValue"]

_REGION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"

PurposeValue = Annotated[
    Purpose,
    WithJsonSchema(
        {
            "enum": [
                "telemarketing",
                "automated",
                "debt_collection",
                "research",
                "charitable",
            ],
            "description": "why the contacts are called: selects the rules that apply",
        }
    ),
]
Contacts = Annotated[
    list[Annotated[str, Field(pattern=_REGION_PATTERN)]],
    Field(min_length=1),
    WithJsonSchema(
        {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": _REGION_PATTERN},
            "description": "ISO 3166 regions the contacts are in: US, US-FL, CA-ON, "
            "AU, GB (a country means every subdivision, each with its own rules)",
        }
    ),
]
GuardedBy = Literal["genesys"]


def _off(value: object) -> object:
    """YAML 1.1 reads a bare `off` as false: take it as the word it was."""
    return "off" if value is False else value


Mode = Annotated[
    Literal["enforce", "warn", "off"],
    BeforeValidator(_off),
    WithJsonSchema(
        {
            "anyOf": [{"enum": ["enforce", "warn", "off"]}, {"const": False}],
            "description": "enforce: violations refuse validate, plan and apply "
            "(exit 3); warn: they are warnings; off (or false): no check",
        }
    ),
]


class ComplianceModel(BaseModel):
    """`policy.compliance:` how calling-hour findings count, and which packs."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    mode: Mode = "warn"
    packs: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None,
        description="shipped pack names or pack file paths (later ones override "
        "rules of the same id); default: every shipped pack on by default",
    )
    freeze: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None,
        description="names of calendars: whose days no region may be called",
    )
