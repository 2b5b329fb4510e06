"""`atelier import`: an outside file is checked as if every record had been typed again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atelier import codec, model
from atelier.errors import AtelierError
from atelier.export import read_json_export


def export_with(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    session = model.new_session("x", "Import")
    session = model.add_participant(session, "Awa")
    session = model.add_idea(session, "Une idée", 1)
    document = codec.to_document(session)
    change(document)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_clean_export_imports(tmp_path: Path, frozen_clock) -> None:
    session = read_json_export(export_with(tmp_path, lambda d: None))
    assert [i.text for i in session.ideas] == ["Une idée"]


def test_control_characters_are_removed_on_import(tmp_path: Path, frozen_clock) -> None:
    def dirty(document):  # type: ignore[no-untyped-def]
        document["ideas"]["1"]["text"] = "Une\x00 idée\x1b[31m"

    assert read_json_export(export_with(tmp_path, dirty)).ideas[0].text == "Une idée"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["ideas"]["1"].update(text="x" * 5000), "too long"),
        (lambda d: d["ideas"]["1"].update(text="   "), "empty"),
        (lambda d: d["ideas"]["1"].update(author_id=99), "participant 99"),
        (lambda d: d["ideas"]["1"].update(cluster_id=7), "cluster 7"),
        (lambda d: d["meta"]["1"].update(title=""), "title"),
    ],
)
def test_invalid_records_are_refused_with_the_file_named(
    tmp_path: Path,
    frozen_clock,
    change,
    message,  # type: ignore[no-untyped-def]
) -> None:
    path = export_with(tmp_path, change)
    with pytest.raises(AtelierError) as error:
        read_json_export(path)
    assert message in error.value.message and str(path) in error.value.message
