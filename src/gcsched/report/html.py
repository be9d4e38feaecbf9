"""`report --format html`: one self-contained timeline page (works offline).

The page is static HTML with inline CSS and JavaScript (packaged assets read with
`importlib.resources`) and the report's data embedded as JSON in a
``<script type="application/json">``; a Content-Security-Policy forbids every
fetch. The script draws one SVG per view (week, month, whole range) and only the
occurrences in view, which keeps 200 schedules over a quarter responsive. The
tables under the timeline (conflicts, schedules) are plain HTML and need no
script.
"""

from __future__ import annotations

import json
import re
from html import escape
from importlib import resources

from gcsched.report.findings import findings_panel
from gcsched.report.html_data import color, opacity, payload
from gcsched.report.json_report import iso_utc
from gcsched.report.model import Report

__all__ = ["to_html"]

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)


def _asset(name: str) -> str:
    return (
        resources.files("gcsched.report")
        .joinpath("assets", name)
        .read_text(encoding="utf-8")
    )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _script_json(data: object) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _legend(report: Report) -> str:
    swatches = "".join(
        f'<li><span class="sw" style="background:{color(i)}"></span>'
        f"{escape(r.label)}</li>"
        for i, r in enumerate(report.rows[:6])
    )
    more = len(report.rows) - 6
    if more > 0:
        swatches += f"<li>… and {more} more (swatch next to each row)</li>"
    prio = "".join(
        f'<span style="opacity:{opacity(p)}" title="priority {p}"></span>'
        for p in range(1, 11)
    )
    return (
        '<ul class="legend">'
        f"{swatches}"
        f'<li><span class="prio" aria-hidden="true">{prio}</span>'
        "priority 1 → 10 (paler = lower)</li>"
        '<li><span class="sw holiday"></span>holiday the schedule excludes</li>'
        '<li><span class="sw excluded"></span>excluded day of that schedule</li>'
        + (
            '<li><span class="sw nocall"></span>some of its contacts may not be '
            "called (contact-local legal hours)</li>"
            if report.compliance is not None
            else ""
        )
        + '<li><span class="sw dst"></span>clocks change (DST) in the row’s zone</li>'
        '<li><span class="sw conflict"></span>'
        "conflict (hover or focus for details)</li>"
        '<li><span class="sw trimmed"></span>trimmed by a higher-ranked schedule</li>'
        '<li><span class="sw today"></span>today</li>'
        "</ul>"
    )


def _conflicts(report: Report) -> str:
    if not report.conflicts:
        return '<p class="empty">No conflicts in this range.</p>'
    body = []
    for i, c in enumerate(report.conflicts):
        a, b = (escape(x) for x in c.campaigns)
        res = escape(c.resolution)
        body.append(
            f'<tr id="conflict-{i}" data-conflict-row="{i}">'
            f'<td class="num">{i + 1}</td><td>{escape(c.type)}</td><td>{a} × {b}</td>'
            f"<td>{escape(c.contact_list or '—')}</td>"
            f'<td class="num">{iso_utc(c.start)} → {iso_utc(c.end)}</td>'
            f'<td><span class="res res-{res}">{res}</span></td>'
            f"<td>{escape(c.winner or '—')}</td><td>{escape(c.reason)}</td>"
            f'<td><button type="button" data-goto="{i}" '
            f'aria-label="Show conflict {i + 1} on the timeline">Show</button>'
            "</td></tr>"
        )
    return (
        "<table><thead><tr><th>#</th><th>type</th><th>campaigns</th><th>audience</th>"
        "<th>when (UTC)</th><th>resolution</th><th>winner</th><th>reason</th>"
        "<th></th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
    )


def _schedules(report: Report) -> str:
    body = []
    for r in report.rows:
        first = r.occurrences[0].start if r.occurrences else None
        last = r.occurrences[-1].end if r.occurrences else None
        body.append(
            f"<tr><td>{escape(r.label)}</td><td>{escape(r.kind)}</td>"
            f"<td>{escape(r.name or '')}</td><td>{escape(r.zone)}</td>"
            f'<td class="num">{r.priority}</td><td>{escape(r.audience or "—")}</td>'
            f'<td class="num">{len(r.occurrences)}{" (trimmed)" if r.trimmed else ""}'
            f'</td><td class="num">{iso_utc(first) if first else "—"}</td>'
            f'<td class="num">{iso_utc(last) if last else "—"}</td>'
            f'<td class="num">{len(r.excluded)}</td><td>'
            + "<br>".join(escape(w) for w in r.warnings)
            + "</td></tr>"
        )
    return (
        "<table><thead><tr><th>schedule</th><th>kind</th><th>name</th><th>zone</th>"
        "<th>priority</th><th>audience</th><th>windows</th><th>first (UTC)</th>"
        "<th>last (UTC)</th><th>excluded days</th><th>warnings</th></tr></thead>"
        "<tbody>" + "".join(body) + "</tbody></table>"
    )


def _banner(report: Report) -> str:
    if not report.audience_warning:
        return ""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(report.audience_warning))
    return (
        '<p class="banner" role="alert" id="audience-warning"><b>Conflicts may be '
        f"missing.</b> {text}</p>"
    )


def _warnings(report: Report) -> str:
    if not report.warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings)
    return (
        '<section class="panel" aria-labelledby="warn-h"><details>'
        f'<summary id="warn-h">Warnings ({len(report.warnings)})</summary>'
        f'<ul class="warnings">{items}</ul></details></section>'
    )


def to_html(report: Report) -> str:
    """Render a report as one self-contained, offline HTML page.

    Campaigns are rows on a time axis (week, month and whole-range views),
    windows coloured by campaign and shaded by priority, holidays and excluded
    days marked, conflicts highlighted (focusable, with a tooltip naming the
    campaigns, audience and resolution), a switch between each schedule's own
    zone, UTC, the viewer's zone and every zone in the report, and a legend.

    Args:
        report: the report to render.

    Returns:
        The page as a string (UTF-8 when written).
    """
    title = report.title or "gcsched schedule report"
    zones = sorted({r.zone for r in report.rows} - {"UTC"})
    zone_options = "".join(
        f'<option value="{escape(z)}">{escape(z)}</option>' for z in zones
    )
    occurrences = sum(len(r.occurrences) for r in report.rows)
    today = f" · today {report.today.isoformat()}" if report.today else ""
    source = f"{escape(report.source)} · " if report.source else ""
    n_conf = len(report.conflicts)
    stats = (
        f"<li><b>{len(report.rows)}</b> {_plural(len(report.rows), 'schedule')}</li>"
        f"<li><b>{occurrences}</b> {_plural(occurrences, 'window')}</li>"
        f'<li class="{"bad" if n_conf else ""}"><b>{n_conf}</b> '
        f"{_plural(n_conf, 'conflict')}</li>"
        f"<li><b>{len(report.holidays)}</b> "
        f"{_plural(len(report.holidays), 'holiday')}</li>"
        f"<li><b>{len(report.warnings)}</b> "
        f"{_plural(len(report.warnings), 'warning')}</li>"
    )
    return _PAGE.format(
        csp=_CSP,
        title=escape(title),
        css=_asset("timeline.css"),
        js=_asset("timeline.js"),
        banner=_banner(report),
        sub=f"{source}{report.start.isoformat()} → {report.end.isoformat()}{today}",
        stats=stats,
        zone_options=zone_options,
        legend=_legend(report),
        n_conflicts=n_conf,
        conflicts=_conflicts(report),
        n_rows=len(report.rows),
        schedules=_schedules(report),
        warnings=_warnings(report),
        findings=findings_panel(report),
        data=_script_json(payload(report)),
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="gcsched">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top">
<h1>{title}</h1>
<p class="sub">{sub}</p>
<ul class="stats" aria-label="Summary">{stats}</ul>
{banner}
</header>
<main>
<section class="panel" aria-labelledby="timeline-h">
<h2 id="timeline-h">Timeline</h2>
<div class="toolbar" role="toolbar" aria-label="Timeline controls">
<div class="seg" role="group" aria-label="View">
<button type="button" id="view-week">Week</button>
<button type="button" id="view-month">Month</button>
<button type="button" id="view-range">Whole range</button>
</div>
<div class="seg" role="group" aria-label="Period">
<button type="button" id="prev" aria-label="Previous period">◀</button>
<button type="button" id="next" aria-label="Next period">▶</button>
</div>
<span id="period" aria-live="polite"></span>
<label class="field">Time zone
<select id="zone" aria-label="Time zone of the axis">
<option value="local">Each schedule’s own zone</option>
<option value="UTC">UTC</option>
<option value="viewer">Your zone</option>
{zone_options}
</select></label>
<label class="field">Filter
<input id="filter" type="search" placeholder="campaign, audience, zone"
 aria-label="Filter schedules"></label>
<span id="marks-count" class="sub"></span>
</div>
<p id="axis-caption" aria-live="polite"></p>
<div id="timeline" class="timeline">
<div class="axis-wrap"><svg id="axis" role="img" aria-label="Time axis"></svg></div>
<svg id="rows" role="group"
 aria-label="Schedules on the time axis; conflicts are focusable with Tab"></svg>
</div>
<noscript><p class="empty">The timeline needs JavaScript; the tables below list
the same schedules and conflicts.</p></noscript>
</section>
<section class="panel" aria-labelledby="legend-h">
<h2 id="legend-h">Legend</h2>
{legend}
</section>
<section class="panel" aria-labelledby="conflicts-h">
<h2 id="conflicts-h">Conflicts ({n_conflicts})</h2>
{conflicts}
</section>
<section class="panel" aria-labelledby="schedules-h">
<details><summary id="schedules-h">Schedules ({n_rows})</summary>
{schedules}
</details>
</section>
{findings}
{warnings}
</main>
<footer>Generated by gcsched. This page works offline: its data and code are
embedded in this one file.</footer>
<div id="tip" role="tooltip"></div>
<script type="application/json" id="gcsched-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""
