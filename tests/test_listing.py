"""The sessions list remembers what it showed of each file (store.listing): a file is
checked in full again as soon as one byte of it or of its journal changes, and a missing,
damaged, hand-edited or unwritable memory only means checking again — never a wrong list."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from atelier import __version__, model
from atelier.store import SessionFolder
from atelier.store import folder as folder_module
from atelier.store.listing import ListingMemory


def fresh_folder(root: Path, memory_file: Path) -> SessionFolder:
    """What a new run of atelier sees: the folder, and the memory read from its file."""
    return SessionFolder(root, listing=ListingMemory(memory_file))


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    root.mkdir()
    return root


@pytest.fixture
def memory_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "listing.json"


def no_full_check(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file checked in full (and still check it)."""
    checked: list[Path] = []
    real = folder_module._shown

    def spy(path: Path) -> dict[str, Any]:
        checked.append(path)
        return real(path)

    monkeypatch.setattr(folder_module, "_shown", spy)
    return checked


def test_an_unchanged_file_is_not_checked_again(
    sessions: Path, memory_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = fresh_folder(sessions, memory_file).create("Atelier mobilité")
    first = fresh_folder(sessions, memory_file).scan()
    assert memory_file.exists()
    checked = no_full_check(monkeypatch)
    second = fresh_folder(sessions, memory_file).scan()
    assert checked == []
    assert second == first
    assert [s.id for s in second.sessions] == [session_id]
    assert second.sessions[0].title == "Atelier mobilité"


def test_a_changed_byte_or_journal_is_checked_again(
    sessions: Path, memory_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fresh_folder(sessions, memory_file)
    session_id = folder.create("Atelier")
    folder.scan()
    with folder.open(session_id) as opened:  # one idea: a journal line, not a rewrite
        opened.apply(model.add_idea, "Une idée")
        opened.apply(model.add_idea, "Une autre")
        listed = fresh_folder(sessions, memory_file).scan().sessions
        assert listed[0].ideas == 2  # the journal counts
    checked = no_full_check(monkeypatch)
    path = sessions / f"{session_id}.json"
    path.write_bytes(path.read_bytes().replace(b'"Atelier"', b'"Atelieb"'))
    assert fresh_folder(sessions, memory_file).scan().sessions[0].title == "Atelieb"
    assert checked == [path]


def test_a_remembered_file_damaged_since_is_reported_and_set_aside(
    sessions: Path, memory_file: Path
) -> None:
    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    fresh_folder(sessions, memory_file).scan()
    path = sessions / f"{session_id}.json"
    path.write_bytes(path.read_bytes()[:-20])  # cut short
    scan = fresh_folder(sessions, memory_file).scan()
    assert scan.sessions == []
    assert len(scan.problems) == 1 and "damaged/" in scan.problems[0]
    assert session_id not in json.loads(memory_file.read_text())["entries"].__repr__()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b"[1, 2, 3]",
        b'{"format": 1}',
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({"format": 99, "version": __version__, "entries": {}}).encode(),
    ],
    ids=["empty", "binary", "list", "no-entries", "deeply-nested", "other-format"],
)
def test_a_broken_memory_means_checking_again(
    sessions: Path, memory_file: Path, content: bytes
) -> None:
    fresh_folder(sessions, memory_file).create("Atelier")
    expected = fresh_folder(sessions, memory_file).scan()
    memory_file.write_bytes(content)
    assert fresh_folder(sessions, memory_file).scan() == expected
    assert json.loads(memory_file.read_text())["format"] == 1  # written again, whole


def test_hand_edited_entries_are_not_believed(sessions: Path, memory_file: Path) -> None:
    """A memory from another version, or entries of the wrong shape (a negative count, an
    unknown phase, a number for a title), are checked again from the file itself."""
    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    expected = fresh_folder(sessions, memory_file).scan()
    data = json.loads(memory_file.read_text())
    (key,) = data["entries"]
    for change in (
        {"ideas": -1},
        {"ideas": True},
        {"phase": "hacked"},
        {"title": 42},
        {"participants": "3"},
    ):
        edited = {**data, "entries": {key: {**data["entries"][key], **change}}}
        memory_file.write_text(json.dumps(edited))
        assert fresh_folder(sessions, memory_file).scan() == expected, change
    older = {**data, "version": "0.0.1"}
    older["entries"][key]["title"] = "Pas ce titre"
    memory_file.write_text(json.dumps(older))
    assert fresh_folder(sessions, memory_file).scan().sessions[0].title == "Atelier"
    assert session_id in key


def test_an_unwritable_memory_changes_nothing(
    sessions: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that cannot be made (a file stands in its way), or a full disk: the
    list is the same, nothing is said, the next run checks again."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    memory_file = blocker / "listing.json"
    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    assert [s.id for s in fresh_folder(sessions, memory_file).scan().sessions] == [session_id]

    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("atelier.store.listing.atomic_write", full_disk)
    elsewhere = tmp_path / "cache" / "listing.json"
    assert [s.id for s in fresh_folder(sessions, elsewhere).scan().sessions] == [session_id]
    assert not elsewhere.exists()


def test_gone_sessions_are_forgotten(sessions: Path, memory_file: Path) -> None:
    folder = fresh_folder(sessions, memory_file)
    kept = folder.create("Gardée")
    trashed = folder.create("Jetée")
    folder.scan()
    assert len(json.loads(memory_file.read_text())["entries"]) == 2
    folder.trash(trashed)
    assert [s.id for s in fresh_folder(sessions, memory_file).scan().sessions] == [kept]
    (key,) = json.loads(memory_file.read_text())["entries"]
    assert Path(key).stem == kept


def test_the_lock_is_probed_at_each_listing(sessions: Path, memory_file: Path) -> None:
    """What is remembered never includes « open elsewhere »: the lock is asked each time."""
    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    assert not fresh_folder(sessions, memory_file).scan().sessions[0].locked
    with fresh_folder(sessions, memory_file).open(session_id):
        assert fresh_folder(sessions, memory_file).scan().sessions[0].locked
    assert not fresh_folder(sessions, memory_file).scan().sessions[0].locked


def test_the_default_memory_is_in_the_user_cache_folder(tmp_path: Path) -> None:
    from atelier.store.listing import default_listing_file

    assert default_listing_file().is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))


def test_a_session_closed_by_atelier_is_not_checked_at_the_next_start(
    sessions: Path, memory_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workshop ran yesterday: closing the session remembered its final file, so this
    morning's start lists it without checking 2,000 ideas again."""
    from atelier.workshop import Workshop

    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    workshop = Workshop(sessions, lambda *_: None)
    workshop.folder = fresh_folder(sessions, memory_file)
    workshop.open(session_id)
    for number in range(3):
        workshop.apply(model.add_idea, f"Idée {number}")
    workshop.close()
    checked = no_full_check(monkeypatch)
    (info,) = fresh_folder(sessions, memory_file).scan().sessions
    assert checked == []
    assert info.ideas == 3 and info.phase == "setup"


def test_unsaved_changes_are_not_remembered(
    sessions: Path, memory_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closed while the disk refused the last save: the list checks the file itself."""
    from atelier.workshop import Workshop

    session_id = fresh_folder(sessions, memory_file).create("Atelier")
    workshop = Workshop(sessions, lambda *_: None)
    workshop.folder = fresh_folder(sessions, memory_file)
    workshop.open(session_id)

    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("atelier.store.journal.append_line", full_disk)
    monkeypatch.setattr("atelier.store.journal.atomic_write", full_disk)
    workshop.apply(model.add_idea, "Pas encore sur le disque")
    workshop.close()
    monkeypatch.undo()
    checked = no_full_check(monkeypatch)
    (info,) = fresh_folder(sessions, memory_file).scan().sessions
    assert checked == [sessions / f"{session_id}.json"]
    assert info.ideas == 0


def test_an_imported_session_is_listed_without_a_check(
    sessions: Path, memory_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Created, duplicated or imported by atelier: written from a checked session, listed
    as it is without reading it back."""
    folder = fresh_folder(sessions, memory_file)
    original = folder.create("Atelier")
    copy = folder.duplicate(original, "Copie")
    imported = folder.import_session(folder.load(original))
    checked = no_full_check(monkeypatch)
    listed = {info.id: info.title for info in fresh_folder(sessions, memory_file).scan().sessions}
    assert checked == []
    assert listed == {original: "Atelier", copy: "Copie", imported: "Atelier"}


def test_the_memory_stays_small(sessions: Path, memory_file: Path) -> None:
    """Files deleted outside atelier are dropped, and only the latest entries are kept."""
    from atelier.store import listing

    memory = ListingMemory(memory_file)
    shown = {"title": "t", "date": "2026-12-03", "phase": "setup", "ideas": 0, "participants": 0}
    for number in range(listing._LIMIT + 20):
        path = sessions / f"s{number}.json"
        path.write_text("{}")
        memory.remember(path, "1:0", shown)
    (sessions / "s10.json").unlink()
    memory.save()
    kept = json.loads(memory_file.read_text())["entries"]
    assert len(kept) == listing._LIMIT
    assert str(sessions / f"s{listing._LIMIT + 19}.json") in kept
    assert str(sessions / "s10.json") not in kept and str(sessions / "s0.json") not in kept
