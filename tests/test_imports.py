"""The house's import graph: no circles, and the app is imported by the command line only.

Every import of every module of ``src/atelier`` is read with ``ast`` — at module level,
inside functions (deferred imports), and under ``if TYPE_CHECKING:`` (for the type checker
only, never run). Module-level imports must form no circle, nor with the deferred ones
added; screens and widgets reach the app through ``atelier.screens.host.AppHost``, so no module
but the command line imports ``atelier.app``, not even for the type checker.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import atelier

SRC = Path(atelier.__file__).resolve().parent

MODULE, DEFERRED, TYPING = "module", "deferred", "type-checking"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # MODULE, DEFERRED or TYPING
    line: int


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.Import | ast.ImportFrom, source: str, is_package: bool) -> list[str]:
    """Full names of the modules an import statement names (``from a import b``: ``a.b``
    when that is a module, else ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = source.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join([*base, node.module] if node.module else base)
    else:
        module = node.module or ""
    return [module, *(f"{module}.{alias.name}" for alias in node.names)]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph(package: Path = SRC) -> list[Edge]:
    """Every import between the modules of ``package``, with where it happens."""
    files = {module_name(path, package): path for path in sorted(package.rglob("*.py"))}
    edges: list[Edge] = []

    def visit(node: ast.AST, source: str, is_package: bool, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for inner in child.body:
                    visit_one(inner, source, is_package, TYPING)
                for inner in child.orelse:
                    visit_one(inner, source, is_package, kind)
            else:
                visit_one(child, source, is_package, kind)

    def visit_one(node: ast.AST, source: str, is_package: bool, kind: str) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            named = [t for t in _targets(node, source, is_package) if t in files]
            # ``from atelier.screens import home``: the submodule, not the package only
            for target in [t for t in named if not any(o.startswith(t + ".") for o in named)]:
                if target != source:
                    edges.append(Edge(source, target, kind, node.lineno))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            visit(node, source, is_package, TYPING if kind == TYPING else DEFERRED)
        else:
            visit(node, source, is_package, kind)

    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        visit(tree, name, path.name == "__init__.py", MODULE)
    return edges


def cycles(edges: list[Edge], kinds: set[str]) -> list[list[str]]:
    """The circles (strongly connected components of two modules or more) among the
    imports of the given kinds (Tarjan's algorithm, iterative)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.target, set())
        if edge.kind in kinds:
            graph.setdefault(edge.source, set()).add(edge.target)
        else:
            graph.setdefault(edge.source, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def describe(edges: list[Edge], circle: list[str], kinds: set[str]) -> str:
    members = set(circle)
    inside = [e for e in edges if e.source in members and e.target in members and e.kind in kinds]
    return " / ".join(f"{e.source}:{e.line} → {e.target} ({e.kind})" for e in inside)


def test_no_circle_among_module_level_imports() -> None:
    edges = import_graph()
    found = cycles(edges, {MODULE})
    assert not found, "\n".join(describe(edges, c, {MODULE}) for c in found)


def test_no_circle_with_deferred_imports_either() -> None:
    """A deferred import hides a circle from Python, not from the reader: none either."""
    edges = import_graph()
    found = cycles(edges, {MODULE, DEFERRED})
    assert not found, "\n".join(describe(edges, c, {MODULE, DEFERRED}) for c in found)


def test_no_circle_even_for_the_type_checker() -> None:
    edges = import_graph()
    kinds = {MODULE, DEFERRED, TYPING}
    found = cycles(edges, kinds)
    assert not found, "\n".join(describe(edges, c, kinds) for c in found)


def test_only_the_command_line_imports_the_app() -> None:
    """Screens and widgets depend on the app through the AppHost protocol, never directly."""
    importers = {e.source for e in import_graph() if e.target == "atelier.app"}
    assert importers == {"atelier.cli"}


def test_app_py_holds_wiring_only() -> None:
    """Session lifecycle and the change path live in atelier.workshop (UI-free)."""
    lines = (SRC / "app.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"app.py has {lines} lines"
    imports = {(e.source, e.target, e.kind) for e in import_graph()}
    assert ("atelier.app", "atelier.workshop", MODULE) in imports


def test_the_walker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """On a made-up package: the three kinds are told apart, and circles are found."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nfrom pkg import b\n"
        "if TYPE_CHECKING:\n    from pkg.sub import c\n"
    )
    (package / "b.py").write_text("def f():\n    from . import a\n")
    (package / "sub" / "c.py").write_text("from ..a import x\nimport pkg.b\n")
    edges = import_graph(package)
    kinds = {(e.source, e.target): e.kind for e in edges}
    assert kinds == {
        ("pkg.a", "pkg.b"): MODULE,
        ("pkg.a", "pkg.sub.c"): TYPING,
        ("pkg.b", "pkg.a"): DEFERRED,
        ("pkg.sub.c", "pkg.a"): MODULE,
        ("pkg.sub.c", "pkg.b"): MODULE,
    }
    assert cycles(edges, {MODULE}) == []
    assert cycles(edges, {MODULE, DEFERRED}) == [["pkg.a", "pkg.b"]]
    assert cycles(edges, {MODULE, DEFERRED, TYPING}) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
