"""The file's compliance keys: errors at their position, defaults, notes."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from compliance_support import check_text, file_text, report_of

from gcsched.api.validation import validate
from gcsched.config import load, loads
from gcsched.errors import ConfigError

BASE = {
    "zone": "America/New_York",
    "days": "daily",
    "start": "08:00",
    "end": "21:00",
    "from_": "2026-12-07",
    "until": "2026-12-13",
}


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml")
    return [p.text for p in caught.value.problems]


def test_unknown_region_is_an_error_at_its_position() -> None:
    problems = _problems(file_text(contacts="[US-FL, US-XX]", **BASE))
    assert problems == [
        "f.yaml:8:23: schedules[0].contacts[1]: unknown region 'US-XX': known "
        "subdivisions of US: " + problems[0].split("known subdivisions of US: ")[1]
    ]
    assert "US-FL" in problems[0]


def test_badly_shaped_and_unknown_countries() -> None:
    problems = _problems(file_text(contacts="[usa]", **BASE))
    assert problems[0].startswith("f.yaml:8:16: schedules[0].contacts[0]:")
    problems = _problems(file_text(contacts="[QQ]", **BASE))
    assert "QQ is not an ISO 3166 country" in problems[0]
    problems = _problems(file_text(contacts="[GB-ENG]", **BASE))
    assert "GB has no subdivision table; use GB" in problems[0]


def test_unknown_purpose_is_an_error() -> None:
    problems = _problems(file_text(contacts="[US]", purpose="sales", **BASE))
    assert problems[0].startswith("f.yaml:3:12: policy.purpose:")


def test_unknown_pack_and_freeze_calendar_are_errors() -> None:
    text = file_text(
        contacts="[US]",
        policy="  compliance: {packs: [us-federal, us-nowhere], freeze: [storm]}",
        **BASE,
    )
    problems = _problems(text)
    assert any(
        p.startswith(
            "f.yaml:4:36: policy.compliance.packs[1]: unknown pack 'us-nowhere'"
        )
        for p in problems
    ), problems
    assert any(
        "policy.compliance.freeze[0]: unknown calendar 'storm'" in p for p in problems
    )


def test_a_file_without_purpose_is_not_checked() -> None:
    text = file_text(contacts="[US]", **BASE).replace("  purpose: telemarketing\n", "")
    assert check_text(text).compliance is None


def test_mode_off_is_not_checked() -> None:
    text = file_text(contacts="[US]", policy="  compliance: {mode: off}", **BASE)
    assert check_text(text).compliance is None


def test_default_mode_is_warn_and_findings_are_warnings() -> None:
    result = check_text(file_text(contacts="[US-FL]", **BASE))
    assert result.compliance is not None
    assert result.compliance.mode == "warn"
    assert result.compliance_errors == ()
    assert any("us-fl" in w for w in result.warnings)


def test_enforce_makes_violations_errors_unless_guarded_by_genesys() -> None:
    enforce = "  compliance: {mode: enforce}"
    result = check_text(file_text(contacts="[US-FL]", policy=enforce, **BASE))
    assert {f.rule_id for f in result.compliance_errors} == {
        "us-fl",
        "us-tcpa",
        "us-tsr",
    }
    guarded = check_text(
        file_text(
            contacts="[US-FL]",
            policy=enforce,
            extra="    guarded_by: genesys\n",
            **BASE,
        )
    )
    assert guarded.compliance_errors == ()
    assert guarded.compliance is not None
    assert {f.status for f in guarded.compliance.findings} == {"unverified"}


def test_no_contacts_means_the_time_zones_country_with_a_note() -> None:
    report = report_of(file_text(contacts=None, **BASE))
    assert any(
        "no contacts: checked as if every contact were in US" in n for n in report.notes
    )
    assert "Pacific/Honolulu" in {f.zone for f in report.findings}


def test_a_zone_of_no_country_is_not_checked() -> None:
    report = report_of(file_text(contacts=None, **{**BASE, "zone": "UTC"}))
    assert report.findings == ()
    assert "belongs to no country" in report.notes[0]


def test_a_region_without_rules_is_noted() -> None:
    report = report_of(file_text(contacts="[JP]", **BASE))
    assert report.findings == ()
    assert "no rule pack covers JP for purpose telemarketing" in report.notes[0]


def test_schedules_without_purpose_are_noted_when_others_have_one() -> None:
    text = textwrap.dedent(
        """\
        version: 1
        schedules:
          - campaign: Sales
            time_zone: America/New_York
            purpose: telemarketing
            contacts: [US-FL]
            windows: [{days: [mon], start: "09:00", end: "10:00"}]
            from: 2026-12-07
            until: 2026-12-13
          - campaign: Other
            time_zone: America/New_York
            windows: [{days: [mon], start: "09:00", end: "10:00"}]
            from: 2026-12-07
            until: 2026-12-13
        """
    )
    report = report_of(text)
    assert report.notes == ("Other: no purpose (nor policy.purpose): not checked",)
    assert report.findings == ()


def test_a_calendar_that_ends_before_the_schedule_is_noted() -> None:
    report = report_of(
        file_text(
            contacts="[US-PA]", **{**BASE, "from_": "2036-01-05", "until": "2036-01-11"}
        )
    )
    assert any("us-pa-holidays covers 2020–2035" in n for n in report.notes)


def test_freeze_calendars_block_days_for_every_region() -> None:
    text = textwrap.dedent(
        """\
        version: 1
        policy:
          purpose: telemarketing
          contacts: [GB]
          compliance: {freeze: [storm]}
        calendars:
          storm: [2026-12-09]
        schedules:
          - campaign: Outbound
            time_zone: Europe/London
            windows: [{days: [mon-fri], start: "09:00", end: "17:00"}]
            from: 2026-12-07
            until: 2026-12-13
        """
    )
    report = report_of(text)
    (frozen,) = report.findings
    assert (frozen.rule_id, frozen.region, frozen.minutes, frozen.days) == (
        "freeze:storm",
        "GB",
        480,
        1,
    )
    assert frozen.sample.startswith("2026-12-09 Wed 09:00–17:00 GMT")


def test_vendor_pack_is_off_unless_listed(tmp_path: Path) -> None:
    kentucky = file_text(contacts="[US-KY]", **{**BASE, "start": "09:00"})
    assert "us-ky" not in {f.rule_id for f in report_of(kentucky).findings}
    listed = file_text(
        contacts="[US-KY]",
        policy="  compliance: {packs: [us-federal, us-states-vendor]}",
        **{**BASE, "start": "09:00"},
    )
    assert "us-ky" in {f.rule_id for f in report_of(listed).findings}


def test_a_user_pack_overrides_a_shipped_rule_by_id(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        textwrap.dedent(
            """\
            pack: ours
            title: Our stricter policy
            rules:
              - id: gb-reasonable-hours
                jurisdiction: GB
                purpose: [telemarketing]
                hours: {mon-fri: ["09:00-20:00"], sat-sun: []}
                citation: our policy
                source_url: https://example.com/policy
                tier: primary
                verified_on: 2026-12-01
            """
        ),
        encoding="utf-8",
    )
    path = tmp_path / "f.yaml"
    path.write_text(
        file_text(
            contacts="[GB]",
            policy="  compliance: {packs: [gb, ours.yaml]}",
            **{**BASE, "zone": "Europe/London", "start": "09:00", "end": "17:00"},
        ),
        encoding="utf-8",
    )
    result = validate(load(path), today=date(2026, 1, 1))
    assert result.compliance is not None
    (weekend,) = result.compliance.findings
    assert (weekend.rule_id, weekend.allowed, weekend.minutes) == (
        "gb-reasonable-hours",
        "Mon–Fri 09:00–20:00; Sat–Sun no calls",
        2 * 480,
    )
    assert result.compliance.packs == ("gb", "ours")
