"""The session store: damaged and too-new files, temp files, locks, migrations, path safety,
undo/redo across restarts, and failing disks. Nothing may ever be lost or overwritten."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from atelier import atomicio, codec, model, store
from atelier.errors import AtelierError
from atelier.model import (
    add_action,
    add_cluster,
    add_idea,
    add_note,
    add_participant,
    add_rule,
    adopt_rules,
    close_round,
    configure_vote,
    delete_action,
    delete_idea,
    delete_note,
    delete_round,
    dissolve_cluster,
    edit_action,
    edit_idea,
    edit_note,
    edit_rule,
    group_ideas,
    keep_tie,
    merge_clusters,
    merge_ideas,
    move_cluster,
    move_idea,
    move_rule,
    remove_participant,
    remove_rule,
    rename_cluster,
    rename_participant,
    reopen_round,
    reset_decisions,
    set_decisions,
    set_idea_author,
    set_phase,
    set_planned_minutes,
    set_tally,
    set_voters,
    start_runoff,
    start_vote,
    timer_add_minute,
    timer_pause,
    timer_reset,
    timer_start,
    unadopt_rules,
    update_setup,
)
from atelier.store import (
    DamagedFile,
    OpenSession,
    SaveFailed,
    SessionFolder,
    SessionLock,
    SessionLocked,
    TooNew,
    journal_path,
)

READ_ONLY = "This session is open read-only: nothing can be changed."


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def on_disk(path: Path) -> dict[str, Any]:
    """The session as the file holds it, in to_document form."""
    return codec.to_document(codec.from_document(store.read_document(path), path.stem))


def doc(opened: OpenSession) -> dict[str, Any]:
    return codec.to_document(opened.session)


def with_ideas(folder: SessionFolder, *texts: str, title: str = "Atelier") -> str:
    session_id = folder.create(title, lang="en")
    with folder.open(session_id) as opened:
        for text in texts:
            opened.apply(add_idea, text)
    return session_id


# --------------------------------------------------------------------------- basics


def test_create_apply_reopen(folder: SessionFolder, frozen_clock: Any) -> None:
    session_id = folder.create("Bienveillance au travail", question="Comment ?", lang="fr")
    assert session_id.startswith("bienveillance-au-travail-")
    path = folder.path_for(session_id)
    assert path.parent == folder.root and path.is_file()
    with folder.open(session_id) as opened:
        assert opened.lock.path.is_file()
        new = opened.apply(add_idea, "Dire bonjour")
        assert new is opened.session and not opened.dirty
        assert on_disk(path) == doc(opened)  # acknowledged means on disk
        assert [s.label for s in opened.undo_steps()] == ["add an idea"]
    assert not opened.lock.held and not opened.lock.info_path.exists()
    loaded = folder.load(session_id)
    assert loaded.question == "Comment ?" and [i.text for i in loaded.ideas] == ["Dire bonjour"]
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw[codec.VERSION_TABLE]["1"]["schema_version"] == codec.SCHEMA_VERSION
    assert not journal_path(path).exists()  # closing folds the journal into the file
    assert "undo" in raw  # the undo log lives in the same file


def test_refused_operation_changes_nothing(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    before = path.read_bytes()
    with folder.open(session_id) as opened:
        with pytest.raises(AtelierError):
            opened.apply(add_idea, "")
        with pytest.raises(AtelierError):
            opened.apply(edit_idea, 99, "x")
        assert [s.label for s in opened.undo_steps()] == ["add an idea"]
        assert opened.apply(edit_idea, 1, "one") is opened.session  # no change: no write
    assert path.read_bytes() == before


def test_scan_lists_sessions_newest_first(folder: SessionFolder, frozen_clock: Any) -> None:
    first = with_ideas(folder, "a", "b", title="First")
    frozen_clock.advance(86_400)
    second = folder.create("Second")
    scan = folder.scan()
    assert scan.problems == []
    assert [s.id for s in scan.sessions] == [second, first]
    info = scan.sessions[1]
    assert (info.title, info.date, info.phase, info.ideas, info.locked) == (
        "First",
        "2026-11-25",
        "setup",
        2,
        False,
    )
    with folder.open(second):
        assert folder.scan().sessions[0].locked


def test_duplicate_and_trash(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one", "two")
    copy_id = folder.duplicate(session_id)
    copy = folder.load(copy_id)
    assert copy.title == "Atelier (copy)" and [i.text for i in copy.ideas] == ["one", "two"]
    assert folder.load(folder.duplicate(session_id, "Second run")).title == "Second run"
    with pytest.raises(AtelierError, match="The title is too long"):
        folder.duplicate(session_id, "x" * 300)
    original = folder.path_for(session_id).read_bytes()
    with folder.open(session_id):
        with pytest.raises(SessionLocked, match="close it first"):
            folder.trash(session_id)
    target = folder.trash(session_id)
    assert target.parent == folder.root / "trash" and target.read_bytes() == original
    assert not folder.path_for(session_id).exists()
    assert not folder.path_for(session_id).with_suffix(".lock").exists()
    with pytest.raises(AtelierError, match="No session"):
        folder.trash(session_id)


def test_resolve_id(folder: SessionFolder) -> None:
    a = folder.save_new(model.new_session("abc-1", "A"))
    folder.save_new(model.new_session("abd-2", "B"))
    assert folder.resolve_id(a) == a
    assert folder.resolve_id("abc") == a
    with pytest.raises(AtelierError) as info:
        folder.resolve_id("ab")
    assert info.value.message == "“ab” matches several sessions: abc-1, abd-2."
    with pytest.raises(AtelierError) as info:
        folder.resolve_id("zzz")
    assert info.value.message == f"No session “zzz” in {folder.root}."
    with pytest.raises(AtelierError, match="already exists"):
        folder.save_new(model.new_session("abc-1", "A again"))


# --------------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"meta": {"1": {"title": "half', "{file} does not parse (line 1)."),
        (b"", "{file} is empty."),
        (b"  \n\t ", "{file} is empty."),
        (b"\xff\xfe\x00garbage", "{file} does not parse."),
        (b'["a", "list"]', "{file} is not an atelier session."),
        (b'{"_default": {}}', "{file} is not an atelier session."),
    ],
    ids=["truncated", "empty", "blank", "binary", "list", "other-tinydb"],
)
def test_unusable_file_is_set_aside_byte_identical(
    folder: SessionFolder, content: bytes, reason: str
) -> None:
    good = with_ideas(folder, "keep me")
    bad = folder.root / "broken-1.json"
    bad.write_bytes(content)
    with pytest.raises(DamagedFile) as info:
        OpenSession(bad)
    assert info.value.message == reason.format(file="broken-1.json")
    assert not SessionLock(bad).busy()  # the failed open released its lock
    assert bad.read_bytes() == content  # opening never touches it

    scan = folder.scan()
    assert scan.problems == [
        reason.format(file="broken-1.json")
        + " It was set aside as damaged/broken-1.json; the other sessions are usable."
    ]
    assert [s.id for s in scan.sessions] == [good]
    assert not bad.exists()
    assert (folder.root / "damaged" / "broken-1.json").read_bytes() == content
    with folder.open(good) as opened:  # the others stay usable
        opened.apply(add_idea, "still works")
    assert folder.scan().problems == []


def test_set_aside_never_overwrites(folder: SessionFolder) -> None:
    bad = folder.root / "broken-1.json"
    bad.write_bytes(b"first {")
    folder.scan()
    bad.write_bytes(b"second {")
    problems = folder.scan().problems
    assert problems[0].endswith(
        "set aside as damaged/broken-1.2.json; the other sessions are usable."
    )
    assert (folder.root / "damaged" / "broken-1.json").read_bytes() == b"first {"
    assert (folder.root / "damaged" / "broken-1.2.json").read_bytes() == b"second {"


def test_damaged_records_are_refused_by_name_and_set_aside(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["ideas"]["1"]["id"] = "x"
    data["ideas"]["1"].pop("text")
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    message = f"{path.name}: ideas #1: id: unknown value “x”."
    with pytest.raises(AtelierError) as info:
        folder.open(session_id)
    assert info.value.message == message
    with pytest.raises(AtelierError, match=message):
        folder.load(session_id)
    assert path.read_bytes() == before  # opening never touches it
    scan = folder.scan()
    assert scan.sessions == []
    assert scan.problems == [
        f"{message} It was set aside as damaged/{path.name}; the other sessions are usable."
    ]
    assert (folder.root / "damaged" / path.name).read_bytes() == before


def test_too_new_file_is_left_untouched(folder: SessionFolder) -> None:
    good = with_ideas(folder, "fine")
    newer = with_ideas(folder, "from the future")
    path = folder.path_for(newer)
    data = json.loads(path.read_text(encoding="utf-8"))
    data[codec.VERSION_TABLE]["1"]["schema_version"] = codec.SCHEMA_VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    message = (
        f"{path.name}: Made by a newer atelier (schema {codec.SCHEMA_VERSION + 1}, "
        f"this program reads up to {codec.SCHEMA_VERSION}): update atelier to open it."
    )
    with pytest.raises(TooNew) as info:
        folder.open(newer)
    assert info.value.message == message
    with pytest.raises(TooNew):
        folder.open(newer, readonly=True)
    with pytest.raises(TooNew):
        folder.load(newer)
    scan = folder.scan()
    assert scan.problems == [message]
    assert [s.id for s in scan.sessions] == [good]
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert not (folder.root / "damaged").exists()
    assert not SessionLock(path).busy()


def test_missing_schema_version_is_reported(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data[codec.VERSION_TABLE]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(AtelierError, match="The schema version is missing or invalid"):
        folder.open(session_id)
    assert path.exists()


# --------------------------------------------------------------------------- temp files


def test_stale_temp_file_is_removed(folder: SessionFolder, dead_pid: int) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    before = path.read_bytes()
    stale = folder.root / f".{path.name}.{dead_pid}.tmp"
    stale.write_bytes(b'{"meta": half written')
    live = folder.root / f".{path.name}.{os.getppid()}.tmp"  # a live writer: keep
    live.write_bytes(b"in progress")
    own = atomicio.temp_path_for(path)
    own.write_bytes(b"ours")
    foreign = folder.root / ".notes.tmp"  # not one of ours: keep
    foreign.write_bytes(b"x")
    scan = folder.scan()
    assert scan.problems == [] and [s.id for s in scan.sessions] == [session_id]
    assert not stale.exists()
    assert live.exists() and own.exists() and foreign.exists()
    assert path.read_bytes() == before
    assert folder.clean_temp_files() == 0


def test_pid_of_temp() -> None:
    assert atomicio.pid_of_temp(Path(".a-b.json.1234.tmp")) == 1234
    assert atomicio.pid_of_temp(Path(".a.json.x.tmp")) is None
    assert atomicio.pid_of_temp(Path("a.json.1234.tmp")) is None
    assert atomicio.pid_of_temp(Path(".a.json")) is None


def test_atomic_write_steps_and_no_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    monkeypatch.setattr(atomicio, "after_step", steps.append)
    target = tmp_path / "f.json"
    atomicio.atomic_write(target, b"one")
    atomicio.atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert steps == ["write", "fsync", "replace", "fsync-dir"] * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


# --------------------------------------------------------------------------- locks


def test_held_lock_refuses_a_second_owner(folder: SessionFolder, frozen_clock: Any) -> None:
    session_id = with_ideas(folder, "one")
    owner = folder.open(session_id)
    try:
        with pytest.raises(SessionLocked) as info:
            folder.open(session_id)
        assert info.value.message == (
            f"This session is already open in another atelier (process {os.getpid()} on "
            f"{socket.gethostname()}, since 14:30). It can be viewed read-only."
        )
        viewer = folder.open(session_id, readonly=True)
        assert [i.text for i in viewer.session.ideas] == ["one"]
        for attempt in (
            lambda: viewer.apply(add_idea, "two"),
            viewer.undo,
            viewer.redo,
            viewer.storage.flush,
        ):
            with pytest.raises(AtelierError) as refused:
                attempt()
            assert refused.value.message == READ_ONLY
        viewer.close()  # a viewer never touches the owner's lock
        assert owner.lock.held and SessionLock(owner.path).busy()
        owner.apply(add_idea, "two")
    finally:
        owner.close()
    assert not SessionLock(owner.path).busy() and not owner.lock.info_path.exists()
    with folder.open(session_id) as again:
        assert [i.text for i in again.session.ideas] == ["one", "two"]


HOLD = """
import sys
from pathlib import Path
from atelier.store import SessionLock
lock = SessionLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def hold_in_child(path: Path) -> subprocess.Popen[str]:
    """Another process that holds the session's OS lock until its stdin closes."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    return child


def test_lock_dies_with_its_process(folder: SessionFolder) -> None:
    """No liveness to guess: kill -9 the holder and the OS has already freed the lock."""
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    child = hold_in_child(path)
    try:
        assert folder.scan().sessions[0].locked
        with pytest.raises(SessionLocked, match=f"process {child.pid} on"):
            folder.open(session_id)
        with pytest.raises(SessionLocked, match="close it first"):
            folder.trash(session_id)
    finally:
        child.kill()
        child.wait()
    assert SessionLock(path).owner().pid == child.pid  # type: ignore[union-attr]  # stale note
    assert not folder.scan().sessions[0].locked
    with folder.open(session_id) as opened:
        assert opened.lock.owner().pid == os.getpid()  # type: ignore[union-attr]
        opened.apply(add_idea, "two")
    assert [i.text for i in folder.load(session_id).ideas] == ["one", "two"]


def test_a_live_unrelated_pid_in_the_note_is_no_lock(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note naming a live process (a pid reused after a reboot) holds nothing."""
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    note = {"pid": os.getppid(), "host": socket.gethostname(), "since": "2026-11-25T09:00"}
    path.with_suffix(".owner").write_text(json.dumps(note), encoding="utf-8")
    path.with_suffix(".lock").write_text("", encoding="utf-8")  # empty, as a starting atelier
    assert not folder.scan().sessions[0].locked
    with folder.open(session_id) as opened:
        assert opened.lock.held


@pytest.mark.parametrize("content", ["", "{", '{"pid": "x"}'], ids=["empty", "half", "bad-pid"])
def test_old_or_odd_lock_files_are_harmless(folder: SessionFolder, content: str) -> None:
    session_id = with_ideas(folder, "one")
    folder.path_for(session_id).with_suffix(".lock").write_text(content, encoding="utf-8")
    folder.path_for(session_id).with_suffix(".owner").write_text(content, encoding="utf-8")
    with folder.open(session_id) as opened:
        assert opened.lock.held


def test_lock_held_from_another_host_is_explained(folder: SessionFolder, frozen_clock: Any) -> None:
    """A shared folder: the note names another computer; say where and what to do."""
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    child = hold_in_child(path)
    try:
        note = {"pid": 4242, "host": "other-laptop", "since": "2026-11-25T09:05:00+01:00"}
        path.with_suffix(".owner").write_text(json.dumps(note), encoding="utf-8")
        with pytest.raises(SessionLocked) as info:
            folder.open(session_id)
        assert info.value.message.startswith(
            "This session is open in atelier on another computer (other-laptop, since 09:05). "
            "Close it there to change it here; meanwhile it can be viewed read-only."
        )
        with folder.open(session_id, readonly=True) as viewer:
            assert [i.text for i in viewer.session.ideas] == ["one"]
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.wait()
    with folder.open(session_id) as opened:  # closed there: the lock is free, take it
        assert opened.lock.held


# --------------------------------------------------------------------------- migrations

CURRENT = codec.SCHEMA_VERSION  # the tests pretend the next version migrates from it


def test_older_schema_migrates_with_a_backup(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend version 1 stored ideas in a "notes" table that version 2 renamed to "ideas"."""
    session_id = with_ideas(folder, "one", "two")
    path = folder.path_for(session_id)
    old = json.loads(path.read_text(encoding="utf-8"))
    old["notes"] = old.pop("ideas")
    path.write_text(json.dumps(old), encoding="utf-8")
    original = path.read_bytes()

    def rename_notes(document: dict[str, Any]) -> dict[str, Any]:
        upgraded = {k: v for k, v in document.items() if k != "notes"}
        upgraded["ideas"] = document["notes"]
        return upgraded

    monkeypatch.setattr(codec, "SCHEMA_VERSION", CURRENT + 1)
    monkeypatch.setattr(codec, "MIGRATIONS", {CURRENT: rename_notes})
    backup = path.with_name(f"{session_id}.schema{CURRENT}.bak")

    assert [i.text for i in folder.load(session_id).ideas] == ["one", "two"]
    with folder.open(session_id, readonly=True) as viewer:
        assert viewer.migrated and len(viewer.session.ideas) == 2
    assert not backup.exists() and path.read_bytes() == original  # reading changes nothing
    assert [s.id for s in folder.scan().sessions] == [session_id]

    with folder.open(session_id) as opened:
        assert opened.migrated
        assert backup.read_bytes() == original
        opened.apply(add_idea, "three")
        assert opened.undo() == "add an idea"  # the undo log came through the migration
        opened.apply(add_idea, "four")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert codec.document_version(data) == CURRENT + 1 and "notes" not in data
    with folder.open(session_id) as reopened:
        assert not reopened.migrated
        assert [i.text for i in reopened.session.ideas] == ["one", "two", "four"]
    assert backup.read_bytes() == original


def test_migration_changing_the_document_in_place(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    original = path.read_bytes()

    def add_facilitator(document: dict[str, Any]) -> dict[str, Any]:
        document["meta"]["1"]["facilitator"] = "Migrated"
        return document

    monkeypatch.setattr(codec, "SCHEMA_VERSION", CURRENT + 1)
    monkeypatch.setattr(codec, "MIGRATIONS", {CURRENT: add_facilitator})
    with folder.open(session_id) as opened:
        assert opened.migrated and opened.session.facilitator == "Migrated"
        opened.apply(add_idea, "two")
    assert path.with_name(f"{session_id}.schema{CURRENT}.bak").read_bytes() == original
    assert folder.load(session_id).facilitator == "Migrated"


# --------------------------------------------------------------------------- path safety

HOSTILE_TITLES = [
    "../x",
    "../../etc/passwd",
    "CON",
    "nul",
    "a/b",
    "a\\b",
    "..",
    ".",
    "/etc/passwd",
    "🎉🎉🎉",
    "x" * 200,
    "Réunion d’équipe : « budget » ?",
    "~root",
    "name\x00with nul",
    "\x1b[31mred",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_titles_never_escape_the_folder(folder: SessionFolder, title: str) -> None:
    session_id = folder.create(title)
    assert store.ID_PATTERN.match(session_id)
    assert session_id.lower() not in {"con", "nul", "prn", "aux"}
    path = folder.path_for(session_id)
    assert path.parent == folder.root and path.is_file()
    outside = {p for p in folder.root.parent.rglob("*") if folder.root not in (p, *p.parents)}
    assert outside == set()
    assert len(session_id) <= 49


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "The title is empty."),
        ("   ", "The title is empty."),
        ("x" * 300, "The title is too long (300 characters; at most 200)."),
    ],
)
def test_bad_titles_are_refused(folder: SessionFolder, title: str, message: str) -> None:
    with pytest.raises(AtelierError) as info:
        folder.create(title)
    assert info.value.message == message
    assert list(folder.root.iterdir()) == []


@pytest.mark.parametrize(
    "bad",
    [
        "../x",
        "..",
        ".",
        "",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "CON",
        "con",
        "nul",
        "com1",
        "x" * 300,
        "abc\n",
        "-abc",
        "ABC",
        "🎉",
        "abc.json",
        "a b",
    ],
)
def test_path_for_refuses_bad_ids(folder: SessionFolder, bad: str) -> None:
    with pytest.raises(AtelierError, match="Invalid session id"):
        folder.path_for(bad)
    with pytest.raises(AtelierError):
        folder.open(bad)


def test_path_for_refuses_non_strings(folder: SessionFolder) -> None:
    with pytest.raises(AtelierError, match="Invalid session id"):
        folder.path_for(None)  # type: ignore[arg-type]


def test_resolve_id_refuses_paths(folder: SessionFolder, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}")  # beside the sessions folder, not inside
    for text in ("../x", "/etc/passwd", str(tmp_path / "x")):
        with pytest.raises(AtelierError, match="No session"):
            folder.resolve_id(text)


def test_slugify() -> None:
    assert store.slugify("Réunion d’équipe : « budget » ?") == "reunion-dequipe-budget"
    assert store.slugify("🎉") == "" and store.slugify("CON") == "" and store.slugify("..") == ""
    assert len(store.slugify("abc " * 100)) <= 40


# --------------------------------------------------------------------------- undo / redo

UNDOABLE_SCRIPT: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = [
    (
        update_setup,
        (),
        {
            "title": "Renamed",
            "question": "Why?",
            "facilitator": "Camille",
            "date": "1/12/2026",
            "anonymous": True,
            "participant_count": 8,
            "closing_message": "Bye",
            "lang": "fr",
        },
    ),
    (update_setup, (), {"anonymous": False, "lang": "en"}),
    (set_planned_minutes, ("vote", 12), {}),
    (timer_reset, ("vote",), {}),  # the test adds a minute first (not undoable)
    (add_participant, ("Alice",), {}),
    (add_participant, ("Bob",), {}),
    (rename_participant, (2, "Bobby"), {}),
    (add_rule, ("Listen", "well"), {}),
    (add_rule, ("Speak",), {}),
    (edit_rule, (1, "Listen!", "always"), {}),
    (move_rule, (2, -1), {}),
    (adopt_rules, (), {}),
    (unadopt_rules, (), {}),
    (remove_rule, (1,), {}),
    (add_idea, ("Bikes", 1), {}),
    (add_idea, ("Trams",), {}),
    (add_idea, ("Rent",), {}),
    (add_idea, ("Parks",), {}),
    (edit_idea, (2, "More trams"), {}),
    (set_idea_author, (2, 2), {}),
    (add_cluster, ("Mobility",), {}),
    (add_cluster, ("Housing",), {}),
    (rename_cluster, (2, "Homes"), {}),
    (move_cluster, (2, -1), {}),
    (move_idea, (1, 1), {}),
    (group_ideas, ([3, 4], "Nature"), {}),
    (merge_ideas, (1, 2), {}),
    (add_cluster, ("Extra",), {}),
    (move_idea, (4, 4), {}),
    (merge_clusters, (4, 3), {}),
    (add_action, ("Write", "Alice", "25/11/2026", "cluster:1"), {}),
    (edit_action, (1, "Write twice", "Bobby", None, "idea:1"), {}),
    (add_action, ("Drop",), {}),
    (delete_action, (2,), {}),
    (remove_participant, (1,), {}),
    (configure_vote, (), {"max_per_option": 1, "grades": ["Top", "Mid", "Low"]}),
    (start_vote, (), {}),
    (set_voters, (1, 3), {}),
    (set_tally, (1, "cluster:1", [1]), {}),
    (close_round, (1,), {}),
    (reopen_round, (1,), {}),
    (close_round, (1,), {}),
    (keep_tie, (1, ["cluster:1", "cluster:3"]), {}),
    (start_runoff, (1, ["cluster:1", "cluster:3"]), {}),
    (delete_round, (2,), {}),
    (start_vote, (["cluster:1", "cluster:3"],), {"method": "mj", "source_id": 1}),
    (set_decisions, ([("Mobility first", None), ("", "cluster:1")],), {}),
    (reset_decisions, (), {}),
    (dissolve_cluster, (3,), {}),
    (delete_idea, (3,), {}),
    (add_note, ("Parking: the car park",), {}),
    (add_note, ("« Enfin ! »", "quote"), {}),
    (edit_note, (1, "The staff car park"), {}),
    (delete_note, (2,), {}),
]


def test_script_covers_every_undoable_operation() -> None:
    undoable = {name for name, op in model.OPERATIONS.items() if op.undoable}  # type: ignore[attr-defined]
    assert {op.__name__ for op, _a, _k in UNDOABLE_SCRIPT} == undoable


def test_every_edit_undoes_and_redoes(folder: SessionFolder, frozen_clock: Any) -> None:
    session_id = folder.create("Atelier", lang="en")
    path = folder.path_for(session_id)
    with folder.open(session_id) as opened:
        opened.apply(timer_add_minute, "vote")  # so that the reset in the script changes it
        initial = doc(opened)
        history = [initial]
        for op, args, kwargs in UNDOABLE_SCRIPT:
            before = doc(opened)
            opened.apply(op, *args, **kwargs)
            after = doc(opened)
            assert after != before, op.__name__
            assert opened.undo() == op.label
            assert doc(opened) == before == on_disk(path), op.__name__
            assert opened.redo() == op.label
            assert doc(opened) == after == on_disk(path), op.__name__
            history.append(after)
        final = history[-1]
    with folder.open(session_id) as reopened:  # the log survives a restart
        assert doc(reopened) == final
        assert len(reopened.undo_steps()) == len(UNDOABLE_SCRIPT)
        for expected in reversed(history[:-1]):
            assert reopened.undo() is not None
            assert doc(reopened) == expected
        assert reopened.undo() is None and doc(reopened) == initial
    with folder.open(session_id) as reopened:
        assert on_disk(path) == initial
        for expected in history[1:]:
            assert reopened.redo() is not None
            assert doc(reopened) == expected
        assert reopened.redo() is None
    assert on_disk(path) == final


def test_a_hundred_and_twenty_steps_survive_a_restart(folder: SessionFolder) -> None:
    session_id = folder.create("Long session", lang="en")
    path = folder.path_for(session_id)
    states = []
    with folder.open(session_id) as opened:
        states.append(doc(opened))
        for number in range(120):
            if number % 3 == 2:
                opened.apply(edit_idea, number // 3 * 2 + 1, f"idea {number} edited")
            else:
                opened.apply(add_idea, f"idea {number}")
            states.append(doc(opened))
    with folder.open(session_id) as opened:
        assert len(opened.undo_steps()) == 120
        for expected in reversed(states[:-1]):
            assert opened.undo() is not None
            assert doc(opened) == expected
        assert opened.undo() is None
    with folder.open(session_id) as opened:
        assert on_disk(path) == states[0] and len(opened.redo_steps()) == 120
        while opened.redo() is not None:
            pass
        assert doc(opened) == states[-1]
    assert on_disk(path) == states[-1]


def test_undo_log_keeps_the_last_steps(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store keeps 200 steps; the trimming is checked with a smaller limit."""
    assert store.UNDO_LIMIT == 200
    monkeypatch.setattr("atelier.store.handle.UNDO_LIMIT", 25)
    session_id = folder.create("Long session", lang="en")
    with folder.open(session_id) as opened:
        for number in range(40):
            opened.apply(add_idea, f"idea {number}")
        assert len(opened.undo_steps()) == 25
    with folder.open(session_id) as opened:
        undone = 0
        while opened.undo() is not None:
            undone += 1
        assert undone == 25
        assert [i.text for i in opened.session.ideas] == [f"idea {n}" for n in range(15)]
        assert len(opened.redo_steps()) == 25
        opened.apply(add_idea, "new")
        assert len(opened.undo_steps()) == 1 and opened.redo_steps() == []


def test_a_new_edit_clears_redo(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one", "two")
    with folder.open(session_id) as opened:
        assert opened.undo() == "add an idea"
        assert len(opened.redo_steps()) == 1
        opened.apply(add_idea, "three")
        assert opened.redo_steps() == [] and opened.redo() is None
        assert [i.text for i in opened.session.ideas] == ["one", "three"]
        assert [i.id for i in opened.session.ideas] == [1, 2]  # the undone id is free again


def test_time_and_phase_are_not_undone(folder: SessionFolder, frozen_clock: Any) -> None:
    session_id = folder.create("Atelier", lang="en")
    with folder.open(session_id) as opened:
        opened.apply(set_phase, "ideation")
        opened.apply(timer_start, "ideation")
        frozen_clock.advance(60)
        opened.apply(timer_pause, "ideation")
        opened.apply(timer_add_minute, "ideation")
        assert opened.undo_steps() == [] and opened.undo() is None
        opened.apply(timer_reset, "ideation")  # the one timer change that can be undone
        opened.apply(set_planned_minutes, "ideation", 40)
        opened.apply(timer_start, "ideation")
        opened.apply(add_idea, "one")
        frozen_clock.advance(30)
        opened.apply(set_phase, "clustering")
        assert [s.label for s in opened.undo_steps()] == [
            "reset the timer",
            "change a planned duration",
            "add an idea",
        ]
        assert opened.undo() == "add an idea"
        assert opened.undo() == "change a planned duration"
        timing = opened.session.timing("ideation")
        assert timing.planned_minutes == model.DEFAULT_MINUTES["ideation"]  # undone
        assert timing.running and timing.spent_seconds == 60  # the timer kept its state
        assert opened.session.phase == "clustering"
        assert opened.redo() == "change a planned duration"
        assert opened.session.timing("ideation").planned_minutes == 40
        assert opened.session.timing("ideation").running
    with folder.open(session_id) as reopened:
        assert reopened.session.phase == "clustering"
        assert reopened.session.timing("ideation").running


# --------------------------------------------------------------------------- failing disks


def no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_keeps_the_change_and_retries(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    with folder.open(session_id) as opened:
        saved = doc(opened)
        monkeypatch.setattr(atomicio.os, "replace", no_space)
        monkeypatch.setattr("atelier.store.journal.append_line", no_space)  # the journal too
        with pytest.raises(SaveFailed) as info:
            opened.apply(add_idea, "two")
        assert info.value.message == (
            f"Could not save {path.name}: the disk is full. "
            "The change is kept and will be saved again."
        )
        assert [i.text for i in opened.session.ideas] == ["one", "two"]
        assert opened.dirty and opened.storage.dirty
        assert on_disk(path) == saved
        assert sorted(p.name for p in folder.root.iterdir()) == [
            path.name,
            f"{session_id}.lock",
            f"{session_id}.owner",
        ]
        with pytest.raises(SaveFailed):
            opened.retry_save()
        with pytest.raises(SaveFailed):  # further edits are kept too
            opened.apply(add_idea, "three")
        monkeypatch.undo()
        opened.retry_save()
        assert not opened.dirty
        assert on_disk(path) == doc(opened)
        assert [i.text for i in opened.session.ideas] == ["one", "two", "three"]
        assert opened.undo() == "add an idea"
    assert [i.text for i in folder.load(session_id).ideas] == ["one", "two"]


def test_read_only_folder_on_undo(folder: SessionFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a failed save of an undo left the screen showing the state before it."""
    session_id = with_ideas(folder, "one", "two")
    path = folder.path_for(session_id)

    def read_only(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    with folder.open(session_id) as opened:
        monkeypatch.setattr("atelier.store.journal.atomic_write", read_only)
        monkeypatch.setattr("atelier.store.journal.append_line", read_only)
        with pytest.raises(SaveFailed, match="the disk is read-only"):
            opened.undo()
        assert [i.text for i in opened.session.ideas] == ["one"]
        assert opened.dirty and len(on_disk(path)["ideas"]) == 2
        monkeypatch.undo()
        opened.retry_save()
        assert doc(opened) == on_disk(path)
        opened.apply(add_idea, "three")
    assert [i.text for i in folder.load(session_id).ideas] == ["one", "three"]


def test_retry_save_without_changes_does_nothing(folder: SessionFolder) -> None:
    session_id = with_ideas(folder, "one")
    path = folder.path_for(session_id)
    mtime = path.stat().st_mtime_ns
    with folder.open(session_id) as opened:
        opened.retry_save()
    assert path.stat().st_mtime_ns == mtime


def test_unusable_sessions_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AtelierError, match="Cannot use the sessions folder"):
        SessionFolder(blocker / "sessions")
