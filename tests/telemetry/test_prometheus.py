"""The Prometheus text file: what it holds; Prometheus's promtool accepts it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sample_run import ROUTE, feed
from typer.testing import CliRunner

from gcsched.cli.app import app, hoist_globals
from gcsched.errors import InputError
from gcsched.telemetry import RunMetrics
from gcsched.telemetry.prometheus import write_textfile
from required_tools import require_tool

EXAMPLE = Path(__file__).parents[2] / "examples" / "q4.yaml"


def _samples(path: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    families = list(text_string_to_metric_families(path.read_text("utf-8")))
    assert all(family.name.startswith("gcsched_") for family in families)
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in families
        for s in family.samples
    }


def _promtool(path: Path) -> subprocess.CompletedProcess[str]:
    """``promtool check metrics < path``: the format check and promtool's lint."""
    with path.open("rb") as stdin:
        return subprocess.run(
            [require_tool("promtool"), "check", "metrics"],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def test_prometheus_file_holds_the_run(tmp_path: Path) -> None:
    """Counters, a latency summary per method and route, the histogram, the gauges."""
    metrics = RunMetrics()
    feed(metrics)
    path = tmp_path / "out" / "gcsched.prom"
    write_textfile(metrics, path)
    samples = _samples(path)
    key = ("method", "PUT"), ("route", ROUTE), ("status", "200")
    assert samples[("gcsched_api_requests_total", key)] == 100
    assert samples[("gcsched_api_throttled_total", ())] == 1
    assert samples[("gcsched_token_renewals_total", (("reason", "401"),))] == 1
    put = ("method", "PUT"), ("route", ROUTE)
    p99 = ("gcsched_api_latency_seconds", (put[0], ("quantile", "0.99"), put[1]))
    assert samples[p99] == pytest.approx(0.99)  # rank 100 of 101
    assert samples[("gcsched_api_latency_seconds_count", put)] == 101
    assert samples[("gcsched_api_latency_seconds_sum", put)] == pytest.approx(51.0)
    # The summary's series partition the requests: no "all" series counted twice.
    counts = [v for (name, _), v in samples.items() if name.endswith("seconds_count")]
    assert sum(counts) == 2 * 103  # the summary's counts and the histogram's
    assert samples[("gcsched_api_request_duration_seconds_count", ())] == 103
    assert samples[("gcsched_schedules_changed_total", ())] == 1
    steps = (
        "gcsched_apply_steps_total",
        (("action", "update"), ("status", "conflict")),
    )
    assert samples[steps] == 1
    assert samples[("gcsched_success_ratio", (("of", "steps"),))] == pytest.approx(
        2 / 3
    )
    info = ("gcsched_run_info", (("run_id", "r1"), ("status", "partial")))
    assert samples[info] == 1
    assert samples[("gcsched_run_duration_seconds", ())] == 12.5
    assert not list(tmp_path.glob("out/*.tmp*"))


def test_quantiles_only_on_a_summary(tmp_path: Path) -> None:
    """Every sample with a ``quantile`` label belongs to a family typed summary."""
    metrics = RunMetrics()
    feed(metrics)
    path = tmp_path / "gcsched.prom"
    write_textfile(metrics, path)
    families = list(text_string_to_metric_families(path.read_text("utf-8")))
    quantiled = {
        family.name: family.type
        for family in families
        for sample in family.samples
        if "quantile" in sample.labels
    }
    assert quantiled == {"gcsched_api_latency_seconds": "summary"}


def test_unwritable_metrics_file_is_input_error(tmp_path: Path) -> None:
    """A metrics path under a regular file is a clear error naming the path."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match=r"cannot write the metrics file .*m\.prom"):
        write_textfile(RunMetrics(), blocker / "m.prom")


def test_promtool_accepts_the_file_of_a_real_apply(tmp_path: Path) -> None:
    """``gcsched apply --metrics-file`` over the sandbox: promtool reports nothing.

    Not even a lint warning; then the no-op re-run's file, which is written too.
    """
    promtool = require_tool("promtool")
    state = tmp_path / "state"
    for run in ("first", "again"):
        path = tmp_path / f"{run}.prom"
        args = ["apply", str(EXAMPLE), "--yes", "--sandbox", "--state-dir", str(state)]
        result = CliRunner().invoke(
            app,
            hoist_globals([*args, "--metrics-file", str(path)]),
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        checked = _promtool(path)
        assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", ""), (
            promtool,
            path.read_text("utf-8"),
        )
        assert _samples(path)[("gcsched_api_throttled_total", ())] == 0


def test_promtool_rejects_a_quantile_on_a_gauge(tmp_path: Path) -> None:
    """The check above can fail: promtool flags what the old file did."""
    path = tmp_path / "bad.prom"
    path.write_text(
        "# HELP gcsched_api_latency_seconds Request latency quantiles.\n"
        "# TYPE gcsched_api_latency_seconds gauge\n"
        'gcsched_api_latency_seconds{quantile="0.95",route="all"} 0.1\n',
        encoding="utf-8",
    )
    checked = _promtool(path)
    assert "non-summary metrics should not have" in checked.stdout + checked.stderr
    assert checked.returncode != 0
