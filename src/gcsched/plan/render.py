"""A plan as text lines for the terminal and as Markdown for a pull request.

Nothing here prints: `render_text` returns (style, line) pairs for the CLI to
colour, `render_markdown` a string. Names come from the org and the file, so the
Markdown escapes them (a campaign name may hold ``|``, ``<`` or ``*``).
"""

from __future__ import annotations

import html
import re
import shlex

from gcsched.plan.changes import Change
from gcsched.plan.conflict_groups import ConflictCluster, ConflictGroup, cluster_pairs
from gcsched.plan.plan import Plan, iso_utc
from gcsched.telemetry.printable import printable

__all__ = [
    "STYLES",
    "escape_html",
    "escape_markdown",
    "fixed_conflicts_line",
    "no_changes",
    "render_markdown",
    "render_text",
]

STYLES: tuple[str, ...] = (
    "header",
    "create",
    "update",
    "delete",
    "pacing",
    "conflict",
    "warning",
    "dim",
    "summary",
)
"""Every style `render_text` uses."""

_MARK = {"create": "+", "update": "~", "delete": "-", "pacing": "≈"}
_EMOJI = {"create": "🟢", "update": "🟡", "delete": "🔴", "pacing": "🔵"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_HTML_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _env(plan: Plan) -> str:
    """`, environment prod` for a plan of one environment (else nothing)."""
    return "" if plan.environment is None else f", environment {plan.environment}"


def escape_markdown(text: str) -> str:
    """Text safe inside Markdown paragraphs, list items and table cells.

    Args:
        text: any text (names, warnings).

    Returns:
        HTML special characters as entities, Markdown punctuation
        backslash-escaped, newlines as spaces.
    """
    flat = " ".join(text.splitlines())
    escaped = html.escape(flat, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def escape_html(text: str) -> str:
    """Text safe inside an HTML element such as ``<summary>`` (no Markdown there).

    Args:
        text: any text.

    Returns:
        ``&``, ``<``, ``>``, quotes and Markdown punctuation as entities (they
        read the same whether or not the viewer applies Markdown there),
        newlines as spaces.
    """
    escaped = html.escape(" ".join(text.splitlines()), quote=True)
    return _HTML_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", escaped)


def _fence(lines: list[str]) -> tuple[str, str]:
    """Opening and closing fences longer than any backtick run in `lines`."""
    longest = max(
        (len(run) for line in lines for run in re.findall(r"`+", line)), default=0
    )
    fence = "`" * max(3, longest + 1)
    return fence + "text", fence


def _headline(change: Change) -> str:
    """``create campaigns schedule for Q4 Renewals (id)`` and the like."""
    what = "pacing of" if change.action == "pacing" else f"{change.action}"
    kind = change.stored_kind
    noun = kind if change.action == "pacing" else f"{kind} schedule of"
    version = (
        f", version {change.version_seen}" if change.version_seen is not None else ""
    )
    return f"{what} {noun} {change.target_name} ({change.target_id}{version})"


MAX_MEMBERS_SHOWN = 10
"""How many schedules of a conflict cluster the text and Markdown name."""


def _members(cluster: ConflictCluster, joint: str) -> str:
    """The cluster's schedules in rank order, the first `MAX_MEMBERS_SHOWN`."""
    shown = joint.join(cluster.members[:MAX_MEMBERS_SHOWN])
    more = len(cluster.members) - MAX_MEMBERS_SHOWN
    return f"{shown}{joint}… (+{more} more)" if more > 0 else shown


def fixed_conflicts_line(count: int) -> str:
    """``N conflicts between schedules this run does not change, not shown``."""
    noun = "conflict" if count == 1 else "conflicts"
    return f"{count:,} {noun} between schedules this run does not change, not shown"


def _cluster_line(cluster: ConflictCluster) -> str:
    """A cluster's conflicts in words: one pair as a pair, more as the cluster."""
    if len(cluster.pairs) == 1:
        return _conflict_line(cluster.group())
    where = f" on contact list {cluster.audience}" if cluster.contact_list else ""
    return (
        f"! {cluster.type} conflict{where}: {len(cluster.members)} schedules, "
        f"{len(cluster.pairs):,} pairs, {cluster.count:,} overlaps "
        f"({cluster.hours()}) {iso_utc(cluster.first)} → {iso_utc(cluster.last)}, "
        f"{cluster.resolution}; by rank: {_members(cluster, ' > ')}"
    )


def _conflict_line(group: ConflictGroup) -> str:
    """One pair's conflicts in words."""
    first, second = group.campaigns
    where = f" on contact list {group.audience}" if group.contact_list else ""
    winner = f", {group.winner} wins" if group.winner else ""
    reason = f" ({group.reason})" if group.reason else ""
    times = "overlap" if group.count == 1 else "overlaps"
    return (
        f"! {group.type} conflict: {first} × {second}{where}: {group.count} {times} "
        f"({group.hours()}) {iso_utc(group.first)} → {iso_utc(group.last)}, "
        f"{group.resolution}{winner}{reason}"
    )


def no_changes(unchanged: int) -> str:
    """The one wording of an empty plan (plan, apply, Markdown and demo say it).

    Args:
        unchanged: how many schedules and campaigns already match.

    Returns:
        ``No changes: the org already matches the file (N unchanged).``
    """
    return f"No changes: the org already matches the file ({unchanged} unchanged)."


def summary_line(plan: Plan) -> str:
    """``Plan: 2 to create, 1 to update, 0 to delete, 0 pacing, 5 unchanged.``

    Args:
        plan: the plan.

    Returns:
        One sentence; `no_changes` when there is nothing to do.
    """
    counts = plan.summary()
    if not plan.has_changes:
        return no_changes(counts["unchanged"])
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete, {counts['pacing']} pacing, "
        f"{counts['unchanged']} unchanged."
    )


def render_text(plan: Plan) -> list[tuple[str, str]]:
    """The plan as styled terminal lines.

    Args:
        plan: the plan.

    Returns:
        (style, line) pairs; styles are those in `STYLES`. Order: header, each
        change (marker ``+`` ``~`` ``-`` ``≈`` and its `describe()` lines
        indented), conflicts (one line per contact list and cluster of
        schedules whose conflicts connect them; a cluster of two is the pair),
        the count of conflicts between schedules this run does not change,
        warnings, not-managed notes, summary, checksum.
        Each line is printable: a newline or ESC in an org name is shown as
        U+FFFD, never a forged line or a terminal sequence.
    """
    lines: list[tuple[str, str]] = [
        ("header", f"Plan for org {plan.org_name} ({plan.org_id}){_env(plan)}"),
        ("dim", f"file {plan.file_path} (sha256 {plan.file_sha256[:12]})"),
        *(("dim", f"doctor fact in force: {fact}") for fact in plan.facts),
    ]
    for change in plan.changes:
        lines.append((change.action, f"{_MARK[change.action]} {_headline(change)}"))
        lines.extend((change.action, f"    {text}") for text in change.describe())
    lines.extend(
        ("conflict", _cluster_line(cluster))
        for cluster in cluster_pairs(plan.conflicts, plan.contact_lists)
    )
    if plan.fixed_conflicts:
        lines.append(("dim", fixed_conflicts_line(plan.fixed_conflicts)))
    lines.extend(("warning", f"warning: {text}") for text in plan.warnings)
    lines.extend(
        ("delete", f"error: calling hours: {f.message()}")
        for f in plan.compliance_errors
    )
    if plan.compliance is not None:
        lines.extend(
            ("dim", f"guarded: {f.message()}")
            for f in plan.compliance.findings
            if f.status == "guarded"
        )
    lines.extend(("warning", f"not managed: {text}") for text in plan.not_managed)
    lines.append(("summary", summary_line(plan)))
    lines.append(("dim", f"checksum {plan.checksum()}"))
    return [(style, printable(text)) for style, text in lines]


def _md_change(change: Change) -> list[str]:
    """A ``<details>`` block with the change's field-level lines."""
    body = change.describe()
    opening, closing = _fence(body)
    return [
        "<details>",
        f"<summary>{_EMOJI[change.action]} <code>{_MARK[change.action]}</code> "
        f"{escape_html(_headline(change))}</summary>",
        "",
        opening,
        *body,
        closing,
        "",
        "</details>",
        "",
    ]


def _md_conflicts(plan: Plan) -> list[str]:
    """The conflicts as a table."""
    rows = [
        "### Conflicts",
        "",
        "| type | schedules | contact list | overlaps | first (UTC) | last (UTC) "
        "| resolution | winner | why |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cluster in cluster_pairs(plan.conflicts, plan.contact_lists):
        if len(cluster.pairs) == 1:
            group = cluster.group()
            who, overlaps = " × ".join(group.campaigns), f"{group.count}"
            winner, why = group.winner or "", group.reason
        else:
            who = f"{len(cluster.members)} schedules: {_members(cluster, ', ')}"
            overlaps = f"{cluster.count:,} in {len(cluster.pairs):,} pairs"
            winner, why = cluster.members[0], "schedules in rank order"
        cells = [
            cluster.type,
            who,
            cluster.audience if cluster.contact_list else "",
            f"{overlaps} ({cluster.hours()})",
            iso_utc(cluster.first),
            iso_utc(cluster.last),
            cluster.resolution,
            winner,
            why,
        ]
        rows.append("| " + " | ".join(escape_markdown(cell) for cell in cells) + " |")
    return [*rows, ""]


def _md_compliance_rows(plan: Plan) -> tuple[list[str], list[list[str]]]:
    """The calling-hour findings as a table head and one item per row."""
    head = [
        "### Calling hours (contact-local)",
        "",
        "| status | schedule | region | zone | first exposure | min/week "
        "| allowed | rule |",
        "|---|---|---|---|---|---:|---|---|",
    ]
    assert plan.compliance is not None
    mode = plan.compliance.mode
    rows: list[list[str]] = []
    for f in plan.compliance.findings:
        status = "error" if f.status == "violation" and mode == "enforce" else f.status
        cells = [
            status,
            f.schedule,
            f.region,
            f.zone,
            f.sample + (f" (+{f.days - 1} days)" if f.days > 1 else ""),
            str(f.minutes_per_week),
            f.allowed,
            f"{f.rule_id}: {f.citation}",
        ]
        rows.append(["| " + " | ".join(escape_markdown(cell) for cell in cells) + " |"])
    return head, rows


MAX_MARKDOWN_BYTES = 60_000
"""Default budget of `render_markdown`: under a GitHub comment's 65,536 characters."""


def _md_conflict_rows(plan: Plan) -> tuple[list[str], list[list[str]]]:
    """The conflicts table as a head and one item per row (for the budget)."""
    table = _md_conflicts(plan)
    return table[:4], [[row] for row in table[4:-1]]


def render_markdown(
    plan: Plan, *, max_bytes: int | None = MAX_MARKDOWN_BYTES, full: str | None = None
) -> str:
    """The plan as a pull-request comment, within a size budget.

    Args:
        plan: the plan.
        max_bytes: the most UTF-8 bytes to return (None: no limit). When the
            whole plan does not fit, the title, summary, checksum and apply
            command always stay; changes, conflicts, warnings and not-managed
            notes are kept in that order while they fit, and a note says how
            many were left out and where the full plan is.
        full: where the full plan was written (`plan --out`), named in that note.

    Returns:
        Markdown: a title with the org, a summary table, one ``<details>``
        block per change, conflicts as a table, warnings and not-managed notes
        as lists, and the checksum with the exact ``gcsched apply`` command.
    """
    counts = plan.summary()
    checksum = plan.checksum()
    head: list[str] = [
        f"## gcsched plan for {escape_markdown(plan.org_name)} "
        f"(`{plan.org_id.replace('`', '')}`){_env(plan)}",
        "",
        f"File {escape_markdown(plan.file_path)} (sha256 `{plan.file_sha256[:12]}`)",
        "",
        *(f"Doctor fact in force: {escape_markdown(fact)}  " for fact in plan.facts),
        *([""] if plan.facts else []),
        "| create | update | delete | pacing | unchanged |",
        "|---:|---:|---:|---:|---:|",
        f"| {counts['create']} | {counts['update']} | {counts['delete']} "
        f"| {counts['pacing']} | {counts['unchanged']} |",
        "",
    ]
    if plan.fixed_conflicts:
        head += [f"{fixed_conflicts_line(plan.fixed_conflicts)}.", ""]
    # Each section: (what it counts, its heading lines, its items, a closing).
    sections: list[tuple[str, list[str], list[list[str]], list[str]]] = []
    if plan.has_changes:
        sections.append(
            ("changes", ["### Changes", ""], [_md_change(c) for c in plan.changes], [])
        )
    else:
        head += [no_changes(counts["unchanged"]), ""]  # our words: no escaping
    if plan.conflicts:
        table_head, rows = _md_conflict_rows(plan)
        sections.append(("conflict rows", table_head, rows, [""]))
    if plan.compliance is not None and plan.compliance.findings:
        table_head, rows = _md_compliance_rows(plan)
        sections.append(("calling-hour findings", table_head, rows, [""]))
    if plan.warnings:
        items = [[f"- {escape_markdown(text)}"] for text in plan.warnings]
        sections.append(("warnings", ["### Warnings", ""], items, [""]))
    if plan.not_managed:
        items = [[f"- {escape_markdown(text)}"] for text in plan.not_managed]
        sections.append(
            ("not-managed notes", ["### Not managed by gcsched", ""], items, [""])
        )
    env = "" if plan.environment is None else f" --env {shlex.quote(plan.environment)}"
    command = (
        f"gcsched apply {shlex.quote(plan.file_path)}{env} --checksum {checksum} --yes"
    )
    opening, closing = _fence([command])
    tail = [
        f"Checksum: `{checksum}`",
        "",
        "To apply exactly this plan:",
        "",
        opening.replace("text", "sh"),
        command,
        closing,
        "",
    ]

    def size(lines: list[str]) -> int:
        return sum(len(line.encode()) + 1 for line in lines)

    note_room = 600  # the cut note, written below once its counts are known
    budget = None if max_bytes is None else max_bytes - size(head) - size(tail)
    body: list[str] = []
    left_out: list[str] = []
    for what, heading, items, closing_lines in sections:
        kept: list[str] = []
        shown = 0
        for item in items:
            need = size(item) + (
                size(heading) + size(closing_lines) if not shown else 0
            )
            if budget is not None and (
                left_out or size(body) + size(kept) + need > budget - note_room
            ):
                break
            kept += item
            shown += 1
        if shown:
            body += heading + kept + closing_lines
        if shown < len(items):
            left_out.append(f"{len(items) - shown} of {len(items)} {what}")
    if left_out:
        where = (
            f"the full plan is in `{full.replace('`', '')}`"
            if full
            else f"run `gcsched plan {shlex.quote(plan.file_path)} --out plan.json` "
            "for the full plan"
        )
        body += [
            f"> [!NOTE]\n> Not shown: {escape_markdown(', '.join(left_out))} "
            f"(this comment is kept under {max_bytes:,} bytes); {where}. "
            "The checksum covers the whole plan.",
            "",
        ]
    return "\n".join(head + body + tail)
