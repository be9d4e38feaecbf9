"""The shipped packs and region tables: valid, cited, and right on fixture years."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from gcsched.config.regions import region_table
from gcsched.config.rule_packs import load_packs, shipped_pack_names
from gcsched.domain.legal_hours import DayRule, calendar_days, hours_text, rule_date
from gcsched.errors import ConfigError

ALL = [name for name, _ in shipped_pack_names()]


def test_the_packs_issue_14_asks_for_are_shipped() -> None:
    assert set(ALL) >= {
        "us-federal",
        "us-reg-f",
        "us-states",
        "us-states-vendor",
        "ca-crtc",
        "ca-bc",
        "au-2017",
        "fr",
        "es",
        "co",
        "gb",
        "de",
    }
    assert dict(shipped_pack_names())["us-states-vendor"] is False


def test_every_rule_is_cited_and_its_jurisdiction_known() -> None:
    packs = load_packs(ALL)
    table = region_table()
    assert len(packs.rules) >= 35
    for rule in packs.rules.values():
        assert table.known(rule.jurisdiction), rule.id
        assert rule.citation, rule.id
        assert rule.source_url.startswith("http"), rule.id
        assert rule.tier in ("primary", "summary", "vendor"), rule.id
        assert len(rule.hours) == 7, rule.id
    vendor_only = load_packs(["us-states-vendor"]).rules.values()
    assert {r.tier for r in vendor_only} == {"vendor"}


def test_every_pack_calendar_computes_over_its_years() -> None:
    packs = load_packs(ALL)
    for name in packs.calendar_names:
        calendar = packs.calendar(name)
        years = {d.year for d in calendar.days}
        assert years == set(range(calendar.first_year, calendar.last_year + 1)), name


def test_subdivision_zones_are_zones_of_their_country() -> None:
    table = region_table()
    for code, zones in table.subdivisions.items():
        assert set(zones) <= set(table.countries[code[:2]]), code
    for country in ("US", "CA"):
        spanned = {
            z for c, zs in table.subdivisions.items() if c[:2] == country for z in zs
        }
        assert spanned == set(table.countries[country]), country
    assert table.expand("US-FL") == (
        ("US-FL", ("America/New_York", "America/Chicago")),
    )
    assert len(table.expand("US")) == 51
    assert table.expand("FR") == (("FR", ("Europe/Paris",)),)
    assert table.country_of("America/Chicago") == "US"


@pytest.mark.parametrize(
    ("calendar", "year", "expected"),
    [
        (
            "us-pa-holidays",
            2026,
            {"2026-11-03", "2026-11-26", "2026-04-03", "2026-06-14"},
        ),
        ("us-pa-holidays", 2027, {"2027-11-02", "2027-11-25", "2027-03-26"}),
        ("us-pa-holidays", 2028, {"2028-11-07", "2028-11-23", "2028-04-14"}),
        ("us-la-holidays", 2027, {"2027-01-08", "2027-02-09", "2027-03-26"}),
        ("au-national-holidays", 2027, {"2027-03-29", "2027-01-26", "2027-12-26"}),
        ("ca-bc-statutory-holidays", 2026, {"2026-05-18", "2026-09-30", "2026-08-03"}),
        ("fr-public-holidays", 2027, {"2027-05-06", "2027-05-17", "2027-07-14"}),
    ],
)
def test_calendars_on_fixture_years(
    calendar: str, year: int, expected: set[str]
) -> None:
    """Dates for 2026–2028 are fixtures of the rules, not the data."""
    days = load_packs(ALL).calendar(calendar).days
    assert {date.fromisoformat(d) for d in expected} <= days


def test_observed_shifts_keep_both_days() -> None:
    rule = DayRule("Independence Day", month=7, day=4)
    assert calendar_days([rule], range(2026, 2027), "nearest_weekday") == {
        date(2026, 7, 3),
        date(2026, 7, 4),
    }
    assert calendar_days([rule], range(2027, 2028), "sunday_to_monday") == {
        date(2027, 7, 4),
        date(2027, 7, 5),
    }
    assert calendar_days([rule], range(2027, 2028), "none") == {date(2027, 7, 4)}
    assert calendar_days([rule], range(2026, 2027), "sunday_to_monday") == {
        date(2026, 7, 4)
    }
    assert rule_date(DayRule("x", month=5, day=1, since=2030), 2026) is None
    assert rule_date(DayRule("x", month=5, day=1, until=2020), 2026) is None
    fifth = DayRule("fifth Monday", month=2, weekday=1, nth=5)
    assert rule_date(fifth, 2026) is None
    last = DayRule("last Friday of December", month=12, weekday=5, nth=-1)
    assert rule_date(last, 2026) == date(2026, 12, 25)


def test_hours_text_reads_like_a_person_wrote_it() -> None:
    packs = load_packs(ALL)
    assert hours_text(packs.rules["us-tcpa"]) == "every day 08:00–21:00"
    assert hours_text(packs.rules["us-tx"]) == "Mon–Sat 09:00–21:00; Sun 12:00–21:00"
    assert hours_text(packs.rules["au-telemarketing"]) == (
        "Mon–Fri 09:00–20:00; Sat 09:00–17:00; Sun no calls; "
        "no calls on au-national-holidays"
    )


def _pack(tmp_path: Path, body: str) -> str:
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


_RULE = """\
    pack: p
    title: t
    {extra}
    rules:
      - id: r
        jurisdiction: US
        purpose: [telemarketing]
        hours: {hours}
        citation: c
        source_url: https://example.com/
        tier: primary
        verified_on: 2026-12-01
        {rule_extra}
    """


@pytest.mark.parametrize(
    ("hours", "extra", "rule_extra", "message"),
    [
        ('{mon-fri: ["08:00-21:00"]}', "", "", "missing: sat, sun"),
        ('{daily: ["08:00-21:00"], sun: []}', "", "", "names a day twice"),
        ('{daily: ["21:00-08:00"]}', "", "", "the end must be after the start"),
        ('{daily: ["8-21"]}', "", "", "is not HH:MM-HH:MM"),
        ('{daily: ["08:00-21:00"], funday: []}', "", "", "is not a day"),
        ("{daily: []}", "", "banned_calendars: [nope]", "unknown calendar 'nope'"),
        (
            "{daily: []}",
            "calendars: {x: {title: x, covers: [2026, 2027]}}",
            "",
            "give exactly one of days or holidays",
        ),
        ("{daily: []}", "", "tier: gossip", "tier"),
    ],
)
def test_invalid_packs_are_refused_with_the_pack_path(
    tmp_path: Path, hours: str, extra: str, rule_extra: str, message: str
) -> None:
    path = _pack(
        tmp_path, _RULE.format(hours=hours, extra=extra, rule_extra=rule_extra)
    )
    with pytest.raises(ConfigError) as caught:
        load_packs([path])
    text = "\n".join(p.text for p in caught.value.problems)
    assert path in text
    assert message in text


def test_bad_calendar_rules_and_unreadable_packs(tmp_path: Path) -> None:
    extra = (
        "calendars: {x: {title: x, covers: [2026, 2027], days: [{name: y, month: 5}]}}"
    )
    path = _pack(
        tmp_path, _RULE.format(hours="{daily: []}", extra=extra, rule_extra="")
    )
    with pytest.raises(ConfigError, match="exactly one of date, weekday or easter"):
        load_packs([path]).calendar("x")
    extra = (
        "calendars: {x: {title: x, covers: [2026, 2027], "
        "days: [{name: y, weekday: mon}]}}"
    )
    path = _pack(
        tmp_path, _RULE.format(hours="{daily: []}", extra=extra, rule_extra="")
    )
    with pytest.raises(ConfigError, match="weekday needs month and nth"):
        load_packs([path]).calendar("x")
    extra = "calendars: {x: {title: x, covers: [2030, 2027], days: []}}"
    path = _pack(
        tmp_path, _RULE.format(hours="{daily: []}", extra=extra, rule_extra="")
    )
    with pytest.raises(ConfigError, match="first <= last"):
        load_packs([path])
    with pytest.raises(ConfigError, match="cannot read the rule pack"):
        load_packs([str(tmp_path / "missing.yaml")])
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_packs([str(bad)])
    with pytest.raises(ConfigError, match="unknown pack 'nope'"):
        load_packs(["nope"])


def test_the_packs_are_package_data() -> None:
    """The wheel ships src/gcsched as a whole: the packs sit inside it."""
    import gcsched

    root = Path(gcsched.__file__).parent
    assert sorted(p.stem for p in (root / "rulepacks").glob("*.yaml")) == sorted(ALL)
    assert (root / "config" / "subdivisions.yaml").is_file()


def test_the_docs_pack_table_matches_the_packs() -> None:
    """docs/compliance.md lists every shipped rule with its hours, tier and date."""
    text = (Path(__file__).parents[2] / "docs" / "compliance.md").read_text("utf-8")
    for rule in load_packs(ALL).rules.values():
        line = next(
            (
                row
                for row in text.splitlines()
                if row.startswith(f"| `{rule.pack}` | `{rule.id}` |")
            ),
            None,
        )
        assert line is not None, rule.id
        assert f"| {hours_text(rule)}" in line, rule.id
        assert f"]({rule.source_url}) | {rule.tier} | {rule.verified_on} |" in line
