"""Damaged imports and session files, generated: Hypothesis mutates valid documents (the
demo workshop, a bigger one with every kind of record, a session file with its undo log)
— wrong types, deleted keys, negative and huge numbers, unknown references, absurd
nesting, odd keys — and checks:

* never a traceback or « unexpected error »: only an AtelierError with a message;
* never a partial write: a refused import leaves the sessions folder byte-identical;
* an accepted document always shows, exports in every format and takes a new idea with a
  fresh id; as a session file it lists and opens (its undo and redo logs replay without a
  crash), and otherwise it is set aside intact while the good session next to it still
  lists.

``ATELIER_MUTATIONS=2000 pytest tests/test_import_mutations.py`` runs more examples (the
figure in docs/durability.md); the suite runs a quicker, reproducible share.
"""

from __future__ import annotations

import copy
import io
import json
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import import_cases
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from atelier import cli, i18n, model
from atelier.errors import AtelierError
from atelier.export import jsonfile
from atelier.store import SessionFolder

EXAMPLES = int(os.environ.get("ATELIER_MUTATIONS", "60"))
Path_ = tuple[Any, ...]


def _nested(levels: int) -> object:
    value: object = "deep"
    for _level in range(levels):
        value = [value] if _level % 2 else {"k": value}
    return value


ODD_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    7,
    -(10**12),
    10**9,
    10**9 + 1,
    10**30,
    10**400,
    -(10**400),
    1.5,
    -0.5,
    float("nan"),
    float("inf"),
    "",
    " ",
    "x" * 5000,
    "\ud800",
    "\x1b]0;title\x07[/]",
    "2026-13-45",
    "2026-11-25",
    "25/11/2026",
    "2026-11-25T10:00:00",
    "2026-11-25T10:00:00+01:00",
    "lunch",
    "dot",
    "mj",
    "ballot",
    "ideas",
    "cluster:1",
    "cluster:999",
    "idea:4",
    "idea:0",
    "idea:-1",
    [],
    [1],
    [-1],
    ["a"],
    [None],
    {},
    {"1": {}},
    {"cluster:1": [1]},
    _nested(20),
    _nested(60),
]


def _paths(document: object, prefix: Path_ = ()) -> list[Path_]:
    """Every place in a document: each table, record, field and item."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            found += _paths(value, (*prefix, i))
    return found


def _parent(document: Any, path: Path_) -> Any:
    for key in path[:-1]:
        document = document[key]
    return document


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    base = draw(st.sampled_from(["demo", "big", "file"]))
    document = {
        "demo": import_cases.demo_document,
        "big": import_cases.big_document,
        "file": import_cases.file_document,  # with undo and redo logs
    }[base]()
    steps: list[str] = []
    for _step in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(document) if p]
        path = draw(st.sampled_from(places))
        parent, key = _parent(document, path), path[-1]
        kind = draw(st.sampled_from(["value", "delete", "number", "key", "copy", "add"]))
        if kind == "value":
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif kind == "delete":
            del parent[key]
        elif kind == "number" and isinstance(parent[key], int | float):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0, 2, 1000, 10**12])) + draw(
                st.integers(-2, 2)
            )
        elif kind == "key" and isinstance(parent, dict):
            new_key = draw(st.sampled_from(["0", "01", "-1", "999", "x", "1", "2", " 1", "1e3"]))
            parent[new_key] = parent.pop(key)
        elif kind == "copy":  # a valid value from somewhere else (wrong type or reference)
            other = draw(st.sampled_from(places))
            parent[key] = copy.deepcopy(_parent(document, other)[other[-1]])
        elif kind == "add" and isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(["extra", "id", "seq", "1", "text"]))] = draw(
                st.sampled_from(ODD_VALUES)
            )
        else:
            continue
        steps.append(f"{kind} {'/'.join(map(str, path))}")
        if not isinstance(document, dict):
            break
    return "; ".join(steps), document


def _encoded(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _check_import(data: bytes, work: Path) -> None:
    """Through ``atelier import``: a refusal writes nothing; an import is usable."""
    source = work / "export.json"
    source.write_bytes(data)
    try:
        session = jsonfile.parse(data, "export.json")
    except AtelierError as error:
        assert error.message.startswith("export.json")
        session = None
        event("import refused")
    else:
        import_cases.usable(session)
        event("import accepted")
    sessions = work / "sessions"
    folder = SessionFolder(sessions)
    keep = folder.create("Gardée")
    before = _snapshot(sessions)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        code = cli.main(
            ["--lang", i18n.get_language(), "--dir", str(sessions), "import", str(source)]
        )
    assert "Traceback" not in err.getvalue()
    assert "unexpected" not in err.getvalue() and "inattendue" not in err.getvalue()
    if session is None:
        assert code == 1 and _snapshot(sessions) == before  # nothing written, nothing moved
    else:
        assert code == 0
        imported = [p.stem for p in sessions.glob("*.json") if p.stem != keep]
        assert len(imported) == 1
        with folder.open(imported[0]) as handle:
            handle.apply(model.add_idea, "Encore une idée")
            import_cases.usable(handle.session)
        assert folder.load(imported[0]).ideas[-1].text == "Encore une idée"


def _check_session_file(data: bytes, work: Path) -> None:
    """As a session file next to a good one: listed and usable, or set aside intact."""
    folder = SessionFolder(work / "files")
    keep = folder.create("Gardée")
    path = folder.root / "mutated.json"
    path.write_bytes(data)
    scan = folder.scan()
    listed = [s.id for s in scan.sessions]
    assert keep in listed
    if "mutated" in listed:
        assert scan.problems == []
        with folder.open("mutated") as handle:
            for step in (handle.undo, handle.redo, handle.redo):  # the logs as read
                try:
                    step()
                except AtelierError:
                    pass
            handle.apply(model.add_idea, "Encore une idée")
            import_cases.usable(handle.session)
    else:
        assert len(scan.problems) == 1 and scan.problems[0].startswith("mutated.json")
        moved = folder.root / "damaged" / "mutated.json"
        assert (moved if moved.exists() else path).read_bytes() == data


@pytest.mark.parametrize("lang", ["en", "fr"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=mutated())
def test_a_mutated_document_is_refused_cleanly_or_fully_usable(
    lang: str, case: tuple[str, dict[str, Any]]
) -> None:
    _steps, document = case
    data = _encoded(document)
    i18n.set_language(lang)
    with tempfile.TemporaryDirectory() as tmp:
        _check_session_file(data, Path(tmp))
        _check_import(data, Path(tmp))
