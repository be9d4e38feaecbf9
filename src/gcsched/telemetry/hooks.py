"""Telemetry hooks: where events go.

A hook is any callable taking one event. `emit` calls every installed hook and
never lets a failing hook break the caller's work.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol

from gcsched.telemetry.events import Event

__all__ = ["Hook", "add_hook", "emit", "get_hooks", "hooks_installed", "remove_hook"]


class Hook(Protocol):
    """Receives every telemetry event."""

    def __call__(self, event: Event) -> None: ...


_HOOKS: list[Hook] = []


def add_hook(hook: Hook) -> None:
    """Install `hook` (idempotent)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def remove_hook(hook: Hook) -> None:
    """Remove `hook` if installed."""
    with contextlib.suppress(ValueError):
        _HOOKS.remove(hook)


def get_hooks() -> tuple[Hook, ...]:
    """The hooks installed now."""
    return tuple(_HOOKS)


@contextlib.contextmanager
def hooks_installed(*hooks: Hook) -> Iterator[None]:
    """Install `hooks` for the duration of a `with` block."""
    for hook in hooks:
        add_hook(hook)
    try:
        yield
    finally:
        for hook in hooks:
            remove_hook(hook)


def emit(event: Event) -> None:
    """Send `event` to every hook; a hook that raises is skipped, not fatal."""
    for hook in tuple(_HOOKS):
        with contextlib.suppress(Exception):
            hook(event)
