"""render_text() and render_markdown(): terminal lines and a PR comment."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from plan_factories import change, fake_pair, plan

from gcsched.plan import Plan, render_markdown, render_text
from gcsched.plan.render import STYLES, escape_html, escape_markdown

NASTY = "Renewals | Q4 <script>*bold*</script> [x](y) `tick`"
CONFLICT = fake_pair(
    type="audience",
    campaigns=(NASTY, "Win-back"),
    contact_list="retail|list",
    start=datetime(2026, 12, 1, 15, tzinfo=UTC),
    end=datetime(2026, 12, 1, 23, tzinfo=UTC),
    resolution="trim",
    winner=NASTY,
    reason="priority 7 × 10 beats 5 × 10",
)


def busy_plan(**extra: object) -> Plan:
    return plan(
        [
            change("create", "c2", name=NASTY),
            change("update", "c1", name="Q4 Renewals"),
            change("delete", "c3", name="Old"),
            change(
                "pacing",
                "c1",
                kind="campaign",
                name="Q4 Renewals",
                before={"maxCallsPerAgent": 2},
                after={"maxCallsPerAgent": 3},
            ),
        ],
        unchanged=5,
        conflicts=(CONFLICT,),
        warnings=("Q4 Renewals: campaign is <on>",),
        not_managed=("Lapsed Survey: existing schedule 'M' is not managed",),
        **extra,
    )


def test_text_lines_in_order_with_markers() -> None:
    """Header, changes with + ~ - ≈, conflicts, warnings, notes, summary, checksum."""
    built = busy_plan()
    lines = render_text(built)
    assert {style for style, _ in lines} <= set(STYLES)
    assert lines[0] == ("header", "Plan for org Acme Outbound (org-1)")
    assert lines[1] == ("dim", "file schedules.yaml (sha256 ffffffffffff)")
    heads = [(style, text) for style, text in lines if not text.startswith("    ")]
    assert heads[2:] == [
        ("delete", "- delete campaigns schedule of Old (c3, version 3)"),
        ("create", f"+ create campaigns schedule of {NASTY} (c2)"),
        ("update", "~ update campaigns schedule of Q4 Renewals (c1, version 3)"),
        ("pacing", "≈ pacing of campaign Q4 Renewals (c1, version 3)"),
        (
            "conflict",
            f"! audience conflict: {NASTY} × Win-back on contact list retail|list: "
            "1 overlap (8 h) 2026-12-01T15:00:00Z → 2026-12-01T23:00:00Z, trim, "
            f"{NASTY} wins (priority 7 × 10 beats 5 × 10)",
        ),
        ("warning", "warning: Q4 Renewals: campaign is <on>"),
        ("warning", "not managed: Lapsed Survey: existing schedule 'M' is not managed"),
        (
            "summary",
            "Plan: 1 to create, 1 to update, 1 to delete, 1 pacing, 5 unchanged.",
        ),
        ("dim", f"checksum {built.checksum()}"),
    ]


def test_text_describe_lines_follow_their_change() -> None:
    """Each change's describe() lines come right after it, indented, same style."""
    lines = render_text(busy_plan())
    index = lines.index(("pacing", "≈ pacing of campaign Q4 Renewals (c1, version 3)"))
    assert lines[index + 1] == ("pacing", "    maxCallsPerAgent: 2 → 3")
    update = lines.index(
        ("update", "~ update campaigns schedule of Q4 Renewals (c1, version 3)")
    )
    # The first Monday after a Tuesday start moves too: start/end lines come first.
    assert lines[update + 1][1].startswith("    Monday window: ")
    assert (
        "update",
        "    Monday window: days Monday → Monday–Friday",
    ) in lines[update + 1 : update + 4]


def test_text_without_changes() -> None:
    """An empty plan says so and still shows the checksum."""
    lines = render_text(plan([], unchanged=3))
    assert (
        "summary",
        "No changes: the org already matches the file (3 unchanged).",
    ) in lines
    assert lines[-1][1].startswith("checksum ")


def test_conflict_without_list_or_winner() -> None:
    """An overlap without contact list or winner reads without those parts."""
    overlap = fake_pair(
        "overlap", ("A", "B"), None, CONFLICT.first, CONFLICT.last, "warn", None, ""
    )
    lines = render_text(plan([], conflicts=(overlap,)))
    assert (
        "conflict",
        "! overlap conflict: A × B: 1 overlap (8 h) 2026-12-01T15:00:00Z → "
        "2026-12-01T23:00:00Z, warn",
    ) in lines


def test_markdown_structure() -> None:
    """Title, summary table, details per change, conflicts, lists and the command."""
    built = busy_plan()
    text = render_markdown(built)
    assert text.startswith("## gcsched plan for Acme Outbound (`org-1`)\n")
    assert "| create | update | delete | pacing | unchanged |" in text
    assert "| 1 | 1 | 1 | 1 | 5 |" in text
    assert text.count("<details>") == 4
    assert text.count("</details>") == 4
    assert "### Conflicts" in text
    assert "### Warnings" in text
    assert "### Not managed by gcsched" in text
    assert f"gcsched apply schedules.yaml --checksum {built.checksum()} --yes" in text
    assert "Monday window: days Monday → Monday–Friday" in text
    assert "Monday–Friday window: 09:00–17:00" in text  # the created windows


def test_markdown_escapes_names_everywhere() -> None:
    """A name with | < * ` [ never breaks a table, a tag or emphasis."""
    text = render_markdown(busy_plan())
    assert "<script>" not in text
    summary = next(line for line in text.splitlines() if "c2)" in line)
    assert summary.startswith("<summary>")
    assert "|" not in summary.removeprefix("<summary>")
    assert "*" not in summary
    row = next(line for line in text.splitlines() if line.startswith("| audience"))
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 11  # 9 cells plus the empty ends
    assert "\\*bold\\*" in row
    assert "&lt;script&gt;" in row
    assert "- Q4 Renewals: campaign is &lt;on&gt;" in text


def test_markdown_empty_plan() -> None:
    """No changes: says so, no sections, still the checksum."""
    text = render_markdown(plan([], unchanged=2))
    assert "No changes: the org already matches the file (2 unchanged)." in text
    assert "<details>" not in text
    assert "### Conflicts" not in text
    assert "Checksum: `" in text


def test_markdown_command_quotes_the_path() -> None:
    """A file path with spaces or quotes is shell-quoted in the apply command."""
    odd = Plan(
        org_id="o`1",
        org_name="Acme",
        file_path="my schedules/q4 'final'.yaml",
        file_sha256="0" * 64,
        policy=plan().policy,
        changes=(),
        unchanged=0,
        existing_count=0,
    )
    text = render_markdown(odd)
    assert "gcsched apply 'my schedules/q4 '\"'\"'final'\"'\"'.yaml' --checksum" in text
    assert "(`o1`)" in text


def test_backticks_in_describe_lines_get_a_longer_fence() -> None:
    """A body value holding ``` cannot close the code block early."""
    sneaky = change("update", "c1", after={"name": "gcsched:```x", "intervals": []})
    text = render_markdown(plan([sneaky]))
    assert "\n````text\n" in text
    assert "\n````\n" in text


def test_escapers() -> None:
    """The escapers cover Markdown punctuation, HTML and newlines."""
    assert escape_markdown("a|b*c_d\n<e>&") == "a\\|b\\*c\\_d &lt;e&gt;&amp;"
    assert escape_html('a<b>"|*`\n_') == "a&lt;b&gt;&quot;&#124;&#42;&#96; &#95;"
