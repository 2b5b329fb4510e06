"""The command line over the export API: export, --all, synthesis, import, show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_summary import english_workshop, french_workshop

from atelier import clock, codec, i18n
from atelier.cli import main
from atelier.store import SessionFolder


@pytest.fixture(autouse=True)
def _restore_clock() -> Iterator[None]:
    yield
    clock.freeze(None)
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    """A sessions folder holding the French and the English workshops."""
    root = tmp_path / "sessions"
    folder = SessionFolder(root)
    folder.save_new(french_workshop())
    folder.save_new(english_workshop())
    return root


def run(sessions: Path, *args: str) -> int:
    return main(["--dir", str(sessions), "--lang", "en", *args])


def test_export_one_format_to_a_file_then_never_over_it(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cr.md"
    assert run(sessions, "export", "bienveillance", "--format", "md", "-o", str(target)) == 0
    assert target.read_text(encoding="utf-8").startswith("# La bienveillance au travail\n")
    assert run(sessions, "export", "bienveillance", "--format", "md", "-o", str(target)) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(target), str(tmp_path / "cr-2.md")]


def test_export_into_a_folder_with_the_default_name(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(sessions, "export", "kindness-en", "--format", "csv", "--bom", "-o", str(tmp_path)) == 0
    )
    path = tmp_path / "kindness-at-work-2026-11-25.csv"
    assert capsys.readouterr().out.strip() == str(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_all_formats(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(sessions, "export", "bienveillance-test", "--all", "-o", str(out)) == 0
    written = sorted(p.name for p in out.iterdir())
    stem = "la-bienveillance-au-travail-2026-11-25"
    assert written == sorted(f"{stem}.{fmt}" for fmt in ("md", "html", "odt", "csv", "json"))
    assert len(capsys.readouterr().out.split()) == 5


def test_synthesis_of_two_sessions(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "synthese.html"
    args = ("synthesis", "bienveillance", "kindness", "--format", "html", "-o", str(target))
    assert run(sessions, *args, "--title", "Deux groupes") == 0
    assert capsys.readouterr().out.strip() == str(target)
    page = target.read_text(encoding="utf-8")
    assert "<h1>Deux groupes</h1>" in page and "Consolidated action plan" in page


def test_import_restores_the_session_exactly(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for session_id in ("bienveillance-test", "kindness-en"):
        assert run(sessions, "export", session_id, "--format", "json", "-o", str(tmp_path)) == 0
        exported = Path(capsys.readouterr().out.strip())
        assert run(sessions, "import", str(exported)) == 0
        new_id = capsys.readouterr().out.strip()
        folder = SessionFolder(sessions)
        assert new_id != session_id
        original, restored = folder.load(session_id), folder.load(new_id)
        assert codec.to_document(restored) == codec.to_document(original)


def test_import_refuses_a_file_that_is_not_an_export(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text("[1, 2, 3]", encoding="utf-8")
    assert run(sessions, "import", str(notes)) == 1
    error = capsys.readouterr().err
    assert "notes.json is not an atelier export." in error and "Traceback" not in error


def test_show_prints_the_overview(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sessions, "show", "kindness") == 0
    out = capsys.readouterr().out
    assert out.startswith("Kindness at work\n") and "Majority judgment" in out


def test_errors_end_with_one_readable_line(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(sessions, "export", "nobody", "--format", "md") == 1
    missing = str(tmp_path / "no" / "such" / "file.md")
    assert run(sessions, "export", "kindness", "--format", "md", "-o", missing) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith("atelier: ") for line in lines)
