"""Packages whose public names load with the module that defines them, on first use.

``from atelier.model import Session`` and ``model.add_idea(...)`` work as with eager
imports, but showing the sessions list loads only the few modules it uses (issue 15:
start-up as fast as a bare Textual app). A package lists its names once per module in
``EXPORTS``; type checkers read the same imports under ``TYPE_CHECKING``, and
tests/test_packages.py checks that both name the same things."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Mapping
from typing import Any


def attach(
    namespace: dict[str, Any],
    exports: Mapping[str, Collection[str]],
    needs_all: Collection[str] = (),
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for the package whose ``globals()`` is
    ``namespace``. ``exports`` maps each submodule to its public names; a name in
    ``needs_all`` (a registry filled as modules load) loads every submodule first."""
    package = namespace["__name__"]
    module_of = {name: module for module, names in exports.items() for name in names}

    def load(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        for needed in exports if name in needs_all else (module,):
            importlib.import_module(f"{package}.{needed}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # found directly next time
        return value

    def names() -> list[str]:
        return sorted({*namespace, *module_of})

    return list(module_of), load, names
