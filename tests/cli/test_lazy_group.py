"""The root group's table of commands agrees with what the modules register."""

from __future__ import annotations

import pytest
import typer.main

from gcsched.cli.app import app
from gcsched.cli.lazy_group import COMMAND_MODULES, LazyGroup, commands_of


def test_each_module_registers_exactly_the_commands_listed_for_it() -> None:
    """A command added to a module without the table (or the reverse) fails here."""
    for module in set(COMMAND_MODULES.values()):
        listed = sorted(n for n, m in COMMAND_MODULES.items() if m == module)
        assert sorted(commands_of(module)) == listed, module


def test_names_are_known_before_any_module_loads() -> None:
    """Membership and order come from the table; reading a command loads it."""
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    commands = group.commands
    assert list(commands) == list(COMMAND_MODULES)
    assert len(commands) == len(COMMAND_MODULES)
    assert "plan" in commands
    assert "nonsense" not in commands
    assert commands.get("nonsense") is None
    assert commands["validate"].name == "validate"


def test_commands_can_be_added_and_removed() -> None:
    """The mapping stays a MutableMapping: extra commands list after the table's."""
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    extra = commands_of("gcsched.cli.validate_cmd")["schema"]
    group.commands["extra"] = extra
    assert list(group.commands)[-1] == "extra"
    del group.commands["extra"]
    del group.commands["demo"]
    assert "demo" not in group.commands
    assert "extra" not in list(group.commands)
    with pytest.raises(KeyError):
        del group.commands["demo"]
