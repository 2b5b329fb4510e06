"""Layering: only app.py, screens/ and widgets/ may use textual; the core stays UI-free."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import atelier

SRC = Path(atelier.__file__).resolve().parent
UI = {"app.py", "screens", "widgets"}
CORE_MODULES = [
    "atelier.model",
    "atelier.store",
    "atelier.voting",
    "atelier.clustering",
    "atelier.summary",
    "atelier.export",
    "atelier.codec",
    "atelier.templates",
    "atelier.i18n",
    "atelier.cli",
    "atelier.workshop",
    "atelier.errorlog",
]


def is_textual(name: str | None) -> bool:
    return name is not None and (name == "textual" or name.startswith("textual."))


def textual_imports(path: Path, root: Path = SRC) -> list[str]:
    """Every import of textual in a file, at any depth (inside functions too)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        names: list[str | None] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        line = getattr(node, "lineno", 0)
        found += [f"{path.relative_to(root)}:{line}: {n}" for n in names if is_textual(n)]
    return found


def core_files() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.relative_to(SRC).parts[0] not in UI]


def test_core_files_never_import_textual() -> None:
    files = core_files()
    assert any(p.parent.name == "model" for p in files) and not any(
        p.name == "app.py" for p in files
    )
    offenders = [line for path in files for line in textual_imports(path)]
    assert not offenders, "textual imported outside app.py, screens/, widgets/:\n" + "\n".join(
        offenders
    )


def test_the_ast_check_sees_nested_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from textual.app import App\n    import textual\n"
        "    importlib.import_module('textual.widgets')\nimport textualize\nimport rich\n",
        encoding="utf-8",
    )
    assert len(textual_imports(sample, tmp_path)) == 3


PROBE = """
import importlib, json, sys
report = {"skipped": [], "culprit": None}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            report["skipped"].append(name)  # not written yet
            continue
        raise
    if report["culprit"] is None and any(m == "textual" or m.startswith("textual.")
                                         for m in sys.modules):
        report["culprit"] = name
print(json.dumps(report))
"""


def test_importing_the_core_does_not_load_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *CORE_MODULES],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["culprit"] is None, f"importing {report['culprit']} loaded textual"
    assert "atelier.model" not in report["skipped"] and "atelier.store" not in report["skipped"]
