"""`environments:` in the schedule file, and `envs:` on schedules."""

from __future__ import annotations

from datetime import date

import pytest

from gcsched.config import loads
from gcsched.errors import ConfigError

WINDOW = "    windows: [{days: daily, start: '09:00', end: '17:00'}]\n"
FILE = (
    "version: 1\n"
    "org: {region: us-east-1}\n"
    "policy: {horizon_days: 30, max_change_fraction: 0.5}\n"
    "environments:\n"
    "  dev:\n"
    "    until: 2026-12-31\n"
    "    pacing: {outbound_line_count: 1, messages_per_minute: 5}\n"
    "  eu-prod:\n"
    "    api_url: https://api.mypurecloud.ie\n"
    "    region: eu-west-1\n"
    "    org_id: org-prod\n"
    "    policy: {horizon_days: 60}\n"
    "schedules:\n"
    "  - campaign: A\n    time_zone: Europe/Paris\n    count: 3\n"
    "    pacing: {max_calls_per_agent: 2}\n"
    + WINDOW
    + "  - campaign: B\n    envs: [eu-prod]\n    time_zone: Europe/Paris\n"
    + WINDOW
    + "  - messaging_campaign: M\n    time_zone: Europe/Paris\n"
    + WINDOW
)


def _reasons(text: str, env: str | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "f.yaml", env=env)
    return list(caught.value.reasons)


def test_without_env_every_schedule_and_the_names() -> None:
    file = loads(FILE, "f.yaml")
    assert file.environment is None
    assert file.environments == ("dev", "eu-prod")
    assert [s.target.ref for s in file.schedules] == ["A", "B", "M"]
    assert file.org_id is None
    assert file.region == "us-east-1"


def test_an_environment_overrides_until_and_pacing_and_limits_schedules() -> None:
    dev = loads(FILE, "f.yaml", env="dev")
    assert dev.environment == "dev"
    assert [s.target.ref for s in dev.schedules] == ["A", "M"]  # B is eu-prod only
    a, m = dev.schedules
    assert (a.until, a.count) == (date(2026, 12, 31), None)  # until replaces count
    assert a.pacing is not None
    assert (a.pacing.max_calls_per_agent, a.pacing.outbound_line_count) == (2, 1)
    assert a.pacing.messages_per_minute is None  # only the keys that fit
    assert m.pacing is not None
    assert m.pacing.messages_per_minute == 5
    assert dev.policy.horizon_days == 30
    assert dev.region == "us-east-1"  # the file's org.region without its own


def test_an_environment_merges_its_policy_and_names_its_org() -> None:
    prod = loads(FILE, "f.yaml", env="eu-prod")
    assert [s.target.ref for s in prod.schedules] == ["A", "B", "M"]
    assert prod.policy.horizon_days == 60
    assert prod.policy.max_change_fraction == 0.5  # the file's, kept
    assert (prod.org_id, prod.api_url, prod.region) == (
        "org-prod",
        "https://api.mypurecloud.ie",
        "eu-west-1",
    )
    assert prod.schedules[0].count == 3


def test_each_environment_has_its_own_run_key() -> None:
    keys = {loads(FILE, "f.yaml", env=e).sha256 for e in ("dev", "eu-prod")}
    keys.add(loads(FILE, "f.yaml").sha256)
    assert len(keys) == 3


def test_an_unknown_environment_lists_the_known_ones() -> None:
    (reason,) = _reasons(FILE, env="qa")
    assert reason == (
        "f.yaml:4:1: environments: unknown environment 'qa'; "
        "the file names: dev, eu-prod"
    )


def test_env_on_a_file_without_environments() -> None:
    text = "version: 1\nschedules:\n  - campaign: A\n    time_zone: UTC\n" + WINDOW
    (reason,) = _reasons(text, env="dev")
    assert "--env dev: the file names no environments" in reason


def test_envs_must_name_an_environment() -> None:
    text = FILE.replace("envs: [eu-prod]", "envs: [stage]")
    (reason,) = _reasons(text)
    assert reason == (
        "f.yaml:20:12: schedules[1].envs[0]: unknown environment 'stage'; "
        "the file names: dev, eu-prod"
    )


def test_all_is_not_an_environment_name() -> None:
    reasons = _reasons(FILE.replace("  dev:\n", "  all:\n"))
    assert any("`all` is reserved" in r for r in reasons), reasons


def test_validate_checks_every_environment_overrides() -> None:
    text = FILE.replace(
        "    until: 2026-12-31\n", "    from: 2027-02-01\n    until: 2027-01-31\n"
    )
    reasons = _reasons(text)
    assert reasons, reasons
    assert all(r.endswith("(in environment dev)") for r in reasons), reasons
