"""Many schedules on one list: one line per list and cluster, fixed pairs counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plan_factories import fake_pair, plan

from gcsched.domain import ConflictPair
from gcsched.plan import cluster_pairs, render_markdown, render_text
from gcsched.plan.render import MAX_MEMBERS_SHOWN, fixed_conflicts_line

MONDAY = datetime(2026, 12, 7, 15, tzinfo=UTC)


def ranked_pairs(
    labels: list[str], *, contact_list: str = "list-1", resolution: str = "warn"
) -> list[ConflictPair]:
    """Every pair of `labels` (earlier labels win), each 3 overlaps of 2 h."""
    out = []
    for i, winner in enumerate(labels):
        for loser in labels[i + 1 :]:
            out.append(
                fake_pair(
                    "audience",
                    (winner, loser),
                    contact_list,
                    MONDAY + timedelta(hours=i),
                    MONDAY + timedelta(hours=i + 2),
                    resolution,  # type: ignore[arg-type]
                    winner,
                    "priority",
                    count=3,
                )
            )
    return out


def conflict_lines(lines: list[tuple[str, str]]) -> list[str]:
    return [text for style, text in lines if style == "conflict"]


def test_many_schedules_on_one_list_read_as_one_line() -> None:
    """12 campaigns, 66 pairs: one line with members in rank order, the rest cut."""
    labels = [f"C{n:02d}" for n in range(12)]
    built = plan(
        [], conflicts=tuple(ranked_pairs(labels)), contact_lists={"list-1": "Retail"}
    )
    (line,) = conflict_lines(render_text(built))
    shown = " > ".join(labels[:MAX_MEMBERS_SHOWN])
    assert line == (
        "! audience conflict on contact list Retail: 12 schedules, 66 pairs, "
        "198 overlaps (396 h) 2026-12-07T15:00:00Z → 2026-12-08T03:00:00Z, warn; "
        f"by rank: {shown} > … (+2 more)"
    )


def test_clusters_split_by_connection_resolution_and_list() -> None:
    """Unconnected pairs, another resolution or another list: separate lines."""
    pairs = [
        *ranked_pairs(["A", "B", "C"]),
        *ranked_pairs(["D", "E"]),  # not connected to A-B-C
        *ranked_pairs(["A", "F"], resolution="allowed"),
        *ranked_pairs(["G", "H", "I"], contact_list="list-2"),
    ]
    clusters = cluster_pairs(pairs, {"list-1": "Retail"})
    assert sorted((c.members, c.resolution, c.audience) for c in clusters) == [
        (("A", "B", "C"), "warn", "Retail"),
        (("A", "F"), "allowed", "Retail"),
        (("D", "E"), "warn", "Retail"),
        (("G", "H", "I"), "warn", "list-2"),
    ]
    lines = conflict_lines(render_text(plan([], conflicts=tuple(pairs))))
    assert len(lines) == 4
    # A cluster of two schedules reads as its pair, with the reason.
    assert "! audience conflict: D × E on contact list list-1: 3 overlaps (6 h)" in (
        " ".join(lines)
    )


def test_fixed_pairs_are_only_counted() -> None:
    """Pairs of schedules the run leaves alone: one count line, never a row."""
    assert fixed_conflicts_line(1) == (
        "1 conflict between schedules this run does not change, not shown"
    )
    built = plan([], fixed_conflicts=50_712)
    text = render_text(built)
    assert conflict_lines(text) == []
    assert (
        "dim",
        "50,712 conflicts between schedules this run does not change, not shown",
    ) in text
    markdown = render_markdown(built)
    assert "50,712 conflicts between schedules this run does not change" in markdown
    assert "### Conflicts" not in markdown
    assert not any(
        "not shown" in text for _, text in render_text(plan([], fixed_conflicts=0))
    )


def test_markdown_has_one_row_per_cluster() -> None:
    """The Markdown table holds a row per cluster, the pair row for two."""
    labels = [f"C{n:02d}" for n in range(4)]
    pairs = (*ranked_pairs(labels), *ranked_pairs(["X", "Y"], contact_list="list-2"))
    markdown = render_markdown(
        plan([], conflicts=pairs, contact_lists={"list-1": "Retail"})
    )
    rows = [line for line in markdown.splitlines() if line.startswith("| audience")]
    assert rows == [
        "| audience | 4 schedules: C00, C01, C02, C03 | Retail "
        "| 18 in 6 pairs \\(36 h\\) "
        "| 2026\\-12\\-07T15:00:00Z | 2026\\-12\\-07T19:00:00Z | warn | C00 "
        "| schedules in rank order |",
        "| audience | X × Y | list\\-2 | 3 \\(6 h\\) | 2026\\-12\\-07T15:00:00Z "
        "| 2026\\-12\\-07T17:00:00Z | warn | X | priority |",
    ]


def test_a_chain_of_pairs_is_one_cluster() -> None:
    """C-D, then B-C, then A-B: one cluster, whatever order the pairs come in."""
    pairs = [
        *ranked_pairs(["C", "D"]),
        *ranked_pairs(["B", "C"]),
        *ranked_pairs(["A", "B"]),
        *ranked_pairs(["D", "E"]),
    ]
    (cluster,) = cluster_pairs(pairs)
    assert set(cluster.members) == {"A", "B", "C", "D", "E"}
    assert cluster.count == 12
