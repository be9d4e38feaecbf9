"""The root command group, whose commands are imported when first asked for.

`gcsched validate FILE` should not pay for the modules of `plan`, `apply`,
`report` or the sandbox (nor typer's conversion of their options). The group
knows each command's name and the module that registers it; the module is
imported, and its commands converted, only when the command is run, its help
is shown, or `gcsched --help` lists every command.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command

__all__ = ["COMMAND_MODULES", "LazyGroup", "commands_of"]

#: Each command of `gcsched` → the module whose `register(app)` adds it, in the
#: order `gcsched --help` lists them (a test checks the modules agree).
COMMAND_MODULES: Mapping[str, str] = {
    "validate": "gcsched.cli.validate_cmd",
    "schema": "gcsched.cli.validate_cmd",
    "plan": "gcsched.cli.plan_cmd",
    "apply": "gcsched.cli.plan_cmd",
    "adopt": "gcsched.cli.adopt_cmd",
    "export": "gcsched.cli.org_cmd",
    "report": "gcsched.cli.org_cmd",
    "doctor": "gcsched.cli.doctor_cmd",
    "drift": "gcsched.cli.drift_cmd",
    "watch": "gcsched.cli.watch_cmd",
    "unlock": "gcsched.cli.local_cmd",
    "demo": "gcsched.cli.demo_cmd",
    "sandbox": "gcsched.cli.sandbox_cmd",
    "runs": "gcsched.cli.local_cmd",
    "audit": "gcsched.cli.local_cmd",
    "webhooks": "gcsched.cli.local_cmd",
    "rules": "gcsched.cli.rules_cmd",
}


def commands_of(module: str) -> dict[str, Command]:
    """The commands `module.register(app)` adds, converted as the root app would."""
    holder = typer.Typer()
    importlib.import_module(module).register(holder)
    return dict(typer.main.get_group(holder).commands)


class _Commands(MutableMapping[str, "Command"]):
    """A group's commands: names known up front, each module loaded on access."""

    def __init__(self, loaded: Mapping[str, Command], homes: Mapping[str, str]):
        self._loaded = dict(loaded)
        self._homes = dict(homes)

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded and name in self._homes:
            self._loaded.update(commands_of(self._homes[name]))
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in self._homes or name in self._loaded

    def __iter__(self) -> Iterator[str]:
        yield from self._homes
        yield from (name for name in self._loaded if name not in self._homes)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._homes.pop(name, None)
        self._loaded.pop(name, None)


class LazyGroup(TyperGroup):
    """The `gcsched` group: `COMMAND_MODULES`, each imported on first use."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands, COMMAND_MODULES)
