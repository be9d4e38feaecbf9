"""What the CLI imports before it can answer: offline commands stay light.

Each case runs the real entry point in a fresh interpreter and lists the
modules it imported, so the check holds whatever the test process itself has
loaded. Timings are measured in bench/, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: Packages an offline command must never pay for.
HEAVY = (
    "httpx",
    "icalendar",
    "holidays",  # only a file with a public holiday calendar loads it
    "starlette",
    "uvicorn",
    "prometheus_client",
    "standardwebhooks",
    "psycopg",
    "gcsched.client",
    "gcsched.sandbox",
    "gcsched.report",
    "gcsched.engine",
    "gcsched.journal",
    "gcsched.webhooks",
    # calling-hour packs: only for files that declare a purpose (docs/compliance.md)
    "gcsched.config.rule_packs",
    "gcsched.config.regions",
    "gcsched.api.compliance",
    "gcsched.domain.compliance",
    "gcsched.domain.legal_hours",
    "gcsched.domain.list_audience",
    "dateutil",
)

_PROBE = """
import json, sys
from gcsched.cli.app import main
sys.argv = ["gcsched", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exit_:
    code = exit_.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""

_FILE = """\
version: 1
schedules:
  - campaign: Q4 Renewals
    time_zone: America/Chicago
    windows:
      - {days: [mon-fri], start: "09:00", end: "17:00"}
    from: 2026-12-01
    until: 2026-12-31
"""


def _imported(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)
    )


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["validate", "--help"]])
def test_help_and_version_import_nothing_heavy(argv: list[str]) -> None:
    """--help and --version answer without the client, reports or sandbox."""
    code, modules = _imported(*argv)
    assert code in (0, None)
    assert _heavy(modules) == []
    assert "gcsched.config" not in modules


def test_validate_imports_nothing_heavy(tmp_path: Path) -> None:
    """`gcsched validate FILE` loads config and domain only, never HTTP."""
    path = tmp_path / "q.yaml"
    path.write_text(_FILE, encoding="utf-8")
    code, modules = _imported("validate", str(path))
    assert code in (0, None)
    assert "gcsched.config" in modules  # the probe really validated
    assert _heavy(modules) == []


def test_validate_loads_the_rule_packs_only_for_a_purpose(tmp_path: Path) -> None:
    """A file that declares a purpose is checked: then, and only then, the packs."""
    path = tmp_path / "q.yaml"
    path.write_text(
        _FILE.replace("version: 1\n", "version: 1\npolicy: {purpose: research}\n"),
        encoding="utf-8",
    )
    code, modules = _imported("validate", str(path))
    assert code in (0, None)
    assert "gcsched.config.rule_packs" in modules
    assert {"gcsched.domain.compliance", "gcsched.domain.legal_hours"} <= modules
    assert "holidays" not in modules  # no calendar of the US packs uses it
    assert "httpx" not in modules


def test_import_gcsched_is_lazy() -> None:
    """`import gcsched` defers the facade until a name is used."""
    probe = (
        "import json, sys, gcsched; before = sorted(sys.modules); "
        "gcsched.Connection; "
        "print(json.dumps([before, sorted(sys.modules)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    before, after = json.loads(done.stdout)
    assert _heavy(set(before)) == []
    assert "httpx" in after  # asking for a name imports its home


def test_holidays_load_only_for_a_public_holiday_calendar(tmp_path: Path) -> None:
    """A file with `{holidays: US-FL}` imports the package; others never do."""
    path = tmp_path / "h.yaml"
    path.write_text(
        _FILE.replace("schedules:", "calendars:\n  fl: {holidays: US-FL}\nschedules:")
        + "    except: [fl]\n",
        encoding="utf-8",
    )
    code, modules = _imported("validate", str(path))
    assert code in (0, None)
    assert "holidays" in modules
    # the package and what it needs itself (dateutil), nothing more
    package = sorted(m for m in modules if m.startswith(("holidays.", "dateutil")))
    assert _heavy(modules) == sorted(["holidays", *package])


#: What the fast path (`gcsched.cli.fast`) answers without: typer and its
#: pydantic option adapters, rich on a pipe, and the parts of gcsched a
#: conflict-free `validate` has no use for.
FAST_ABSENT = (
    "typer",
    "rich",
    "gcsched.cli.root",
    "gcsched.config.dump",
    "gcsched.config.schema",
    "gcsched.domain.fixed",
    "gcsched.domain.genesys_parse",
    "gcsched.plan",
    "gcsched.telemetry.events",
    "gcsched.telemetry.hooks",
    "gcsched.telemetry.logs",
    "gcsched.telemetry.metrics",
)


def _present(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(
        m for m in modules if any(m == n or m.startswith(n + ".") for n in names)
    )


def test_validate_on_a_pipe_needs_no_typer_and_no_rich(tmp_path: Path) -> None:
    """`gcsched validate FILE` (and `--json`) of a conflict-free file: none of them."""
    path = tmp_path / "q.yaml"
    path.write_text(_FILE, encoding="utf-8")
    for argv in (["validate", str(path)], ["validate", str(path), "--json"]):
        code, modules = _imported(*argv)
        assert code in (0, None)
        assert "gcsched.cli.validate_cmd" in modules  # the probe really validated
        assert _present(modules, FAST_ABSENT) == []


def test_version_imports_neither_typer_nor_the_config() -> None:
    """`gcsched --version` needs no typer, rich, pydantic or YAML."""
    code, modules = _imported("--version")
    assert code in (0, None)
    assert _present(modules, (*FAST_ABSENT, "pydantic", "yaml", "gcsched.config")) == []


def test_conflicts_bring_their_table_not_rich(tmp_path: Path) -> None:
    """A file with audience conflicts prints its table on a pipe without rich."""
    path = tmp_path / "q.yaml"
    clash = _FILE.replace("    time_zone:", "    audience: a\n    time_zone:")
    second = clash.split("schedules:\n", 1)[1].replace("Q4 Renewals", "Other")
    path.write_text(clash + second, encoding="utf-8")
    code, modules = _imported("validate", str(path))
    assert code == 3  # the default policy rejects the overlap
    assert "gcsched.cli.plain_table" in modules  # the conflicts were tabled
    assert "gcsched.plan.conflict_groups" in modules  # the conflicts were grouped
    plan_parts = ("gcsched.plan.diff", "gcsched.plan.plan", "gcsched.plan.render")
    assert _present(modules, ("typer", "rich", "gcsched.cli.root", *plan_parts)) == []


#: The modules of commands `validate` does not run.
OTHER_COMMANDS = (
    "gcsched.cli.plan_cmd",
    "gcsched.cli.adopt_cmd",
    "gcsched.cli.org_cmd",
    "gcsched.cli.doctor_cmd",
    "gcsched.cli.local_cmd",
    "gcsched.cli.demo_cmd",
    "gcsched.cli.sandbox_cmd",
)


def test_validate_imports_only_its_own_command(tmp_path: Path) -> None:
    """The other commands' modules load only when they are run or listed."""
    path = tmp_path / "q.yaml"
    path.write_text(_FILE, encoding="utf-8")
    code, modules = _imported("validate", str(path))
    assert code in (0, None)
    assert "gcsched.cli.validate_cmd" in modules
    assert sorted(modules.intersection(OTHER_COMMANDS)) == []
    _, listed = _imported("--help")
    assert set(OTHER_COMMANDS) <= listed  # --help lists every command


_MODELS_PROBE = """
import json, sys
import gcsched.cli.app, gcsched.config
from gcsched.config import build, models
def complete():
    state = {n: getattr(models, n).__pydantic_complete__ for n in models.__all__}
    state["calendar adapter"] = build._CALENDAR.pydantic_complete
    return state
before = complete()
from datetime import date
from gcsched.api import validate
validate(sys.argv[1], today=date(2026, 11, 1))
print(json.dumps([before, complete()]))
"""


def test_config_models_are_built_on_first_use(tmp_path: Path) -> None:
    """Importing the config builds no pydantic validator; validating builds its own.

    A file without webhooks never needs `WebhookModel`, so it stays unbuilt.
    """
    path = tmp_path / "q.yaml"
    path.write_text(_FILE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _MODELS_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    before, after = json.loads(done.stdout)
    assert set(before.values()) == {False}
    assert after["FileModel"] is True
    assert after["ScheduleModel"] is True
    assert after["WebhookModel"] is False


def test_the_cli_collects_cycles_less_often() -> None:
    """`main` freezes the imported objects and raises the collector's thresholds."""
    probe = (
        "import gc, json, sys; from gcsched.cli.app import main; "
        "sys.argv = ['gcsched', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([gc.get_threshold(), gc.get_freeze_count()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    threshold, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    assert threshold == [100_000, 50, 100]
    assert frozen > 1_000  # the imports' objects


def test_a_submodule_never_shadows_a_lazy_name() -> None:
    """`gcsched.config.dump` and `gcsched.telemetry.redact` stay the functions.

    Importing the submodule first binds it on the package; the faces keep the
    public function of the same name, as the eager packages did.
    """
    probe = (
        "import json, types\n"
        "import gcsched.config.dump, gcsched.telemetry.redact\n"
        "from gcsched.config import dump\n"
        "from gcsched.telemetry import redact\n"
        "import gcsched.config, gcsched.domain\n"
        "print(json.dumps([isinstance(dump, types.ModuleType),\n"
        "    isinstance(redact, types.ModuleType), dump.__module__,\n"
        "    redact.__module__, 'check' in dir(gcsched.domain),\n"
        "    gcsched.config.load.__name__]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == [
        False,
        False,
        "gcsched.config.dump",
        "gcsched.telemetry.redact",
        True,
        "load",
    ]


def test_an_unknown_name_of_a_face_is_an_attribute_error() -> None:
    """The faces answer unknown names as modules do."""
    import gcsched.domain

    assert {"check", "expand", "parse_body"} <= set(dir(gcsched.domain))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        gcsched.domain.nothing  # noqa: B018


_PLUGINS_PROBE = """
import os, sys
from gcsched.cli.app import main
sys.argv = ["gcsched", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")), file=sys.stderr)
"""


@pytest.mark.parametrize(("given", "seen"), [(None, "'__all__'"), ("", "''")])
def test_the_cli_skips_pydantic_plugins_unless_told(
    tmp_path: Path, given: str | None, seen: str
) -> None:
    """The CLI does not scan for pydantic plugins; an explicit setting wins."""
    import os

    path = tmp_path / "q.yaml"
    path.write_text(_FILE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    done = subprocess.run(
        [sys.executable, "-c", _PLUGINS_PROBE, "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.stderr.strip().splitlines()[-1] == seen
