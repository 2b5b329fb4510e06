"""The core packages stay small and keep one public face: every module of model/, store/
and summary/ is short, and each package's ``__init__`` re-exports every public name of its
modules, so ``from atelier.model import ...`` keeps working when a name moves inside."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import atelier

SRC = Path(atelier.__file__).resolve().parent
PACKAGES = ("model", "store", "summary")
MAX_LINES = 400


def modules(package: str) -> list[Path]:
    return sorted(p for p in (SRC / package).glob("*.py") if p.name != "__init__.py")


def public_names(path: Path) -> set[str]:
    """Names a module defines at its top level, without a leading underscore."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_") and n != "T"}  # T: a TypeVar


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_is_short(package: str) -> None:
    assert modules(package), f"{package}/ holds no module"
    long = {
        p.name: n for p in modules(package) if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"{package}/: modules over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize("package", PACKAGES)
def test_the_package_re_exports_every_public_name(package: str) -> None:
    facade = importlib.import_module(f"atelier.{package}")
    for path in modules(package):
        module = importlib.import_module(f"atelier.{package}.{path.stem}")
        for name in public_names(path):
            assert name in facade.__all__, f"atelier.{package}.{path.stem}.{name} not exported"
            assert getattr(facade, name) is getattr(module, name), name
    for name in facade.__all__:
        assert hasattr(facade, name), f"atelier.{package}.__all__ names a missing {name}"


@pytest.mark.parametrize("package", ("model", "store"))
def test_lazy_names_match_what_type_checkers_read(package: str) -> None:
    """A lazy package (atelier.lazy) lists its names twice: in ``EXPORTS``, which loads
    them, and in imports under ``TYPE_CHECKING``, which mypy reads. Both say the same."""
    facade = importlib.import_module(f"atelier.{package}")
    tree = ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8"))
    (guard,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    ]
    imported = {
        node.module.rsplit(".", 1)[1]: {alias.name for alias in node.names}
        for node in guard.body
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported == {module: set(names) for module, names in facade.EXPORTS.items()}


def test_a_lazy_package_loads_only_the_module_asked_for() -> None:
    """Reading one name loads its module; OPERATIONS (filled by every module of
    operations) loads them all. Run in a fresh interpreter: this one has them all."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from atelier.model import PHASES, strip_controls\n"
        "from atelier.store import SessionFolder\n"
        "print(sorted(m for m in sys.modules if m.startswith('atelier.')))\n"
        "import atelier.model as model\n"
        "print(len(model.OPERATIONS), sorted(model.OPERATIONS)[:1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    first, second = result.stdout.splitlines()
    assert "atelier.model.records" not in first and "atelier.store.journal" not in first
    assert "atelier.model.phases" in first and "atelier.store.folder" in first
    count = int(second.split()[0])
    assert count == len(importlib.import_module("atelier.model").OPERATIONS) > 40
