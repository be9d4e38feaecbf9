"""gcsched.report: the calendar people look at (JSON, HTML timeline, iCalendar).

Build a `Report` once with `build_report`, then render it with `to_json`,
`to_html` or `to_ics`. This package only computes and renders; writing files and
printing is the CLI's job.
"""

from __future__ import annotations

from gcsched.report.build import build_report
from gcsched.report.html import to_html
from gcsched.report.ics import to_ics
from gcsched.report.json_report import to_json
from gcsched.report.model import (
    Holiday,
    Report,
    ReportConflict,
    ReportOccurrence,
    ReportRow,
)

__all__ = [
    "Holiday",
    "Report",
    "ReportConflict",
    "ReportOccurrence",
    "ReportRow",
    "build_report",
    "to_html",
    "to_ics",
    "to_json",
]
