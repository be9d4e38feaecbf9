"""PEP 562 lazy attributes for the package faces (`gcsched`, `gcsched.api`, …).

A face lists where each public name lives; the name is imported from there on
first use and cached in the face's namespace, so importing the face costs
nothing until a name is asked for.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    module: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of a face.

    A public name that is also the name of one of the face's submodules
    (`gcsched.config.dump` the function, in `gcsched.config.dump` the module)
    stays the function even when the submodule is imported first: the import
    system binds a submodule on its package, which would otherwise shadow the
    name before the face is ever asked for it.

    Args:
        module: the face's own dotted name (for the AttributeError message).
        homes: public name → the module it is imported from.
        namespace: the face's `globals()`, where a resolved name is cached.
    """

    def getattr_(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            msg = f"module {module!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *homes})

    shadowed = frozenset(n for n, home in homes.items() if home == f"{module}.{n}")
    if shadowed:
        sys.modules[module].__class__ = _face_class(shadowed)
    return getattr_, dir_


def _face_class(shadowed: frozenset[str]) -> type[types.ModuleType]:
    """A module class whose submodules never shadow the public names `shadowed`."""

    class Face(types.ModuleType):
        def __setattr__(self, name: str, value: Any) -> None:
            if name in shadowed and isinstance(value, types.ModuleType):
                value = getattr(value, name)
            super().__setattr__(name, value)

    return Face
