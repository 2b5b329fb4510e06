"""Kill a writer with SIGKILL at random moments and right after each I/O step: the file must
always parse and hold every acknowledged operation; the next open takes the dead lock over.

A handful of trials here; bench/durability.py runs more than a thousand."""

from __future__ import annotations

import errno
import json
import os
import random
from pathlib import Path
from typing import Any

import durability_child as harness
import pytest

from atelier import atomicio, codec, model, store
from atelier.errors import AtelierError
from atelier.store import SessionFolder


def lock_owner(path: Path) -> int | None:
    """The pid in the lock's note (left behind by a killed holder), None if there is none."""
    owner = store.SessionLock(path).owner()
    return None if owner is None else owner.pid


def temp_files(folder: SessionFolder) -> list[str]:
    return sorted(p.name for p in folder.root.glob(".*.tmp"))


@pytest.mark.parametrize("occurrence", [1, 4])
def test_kill_right_after_each_io_step(folder: SessionFolder, occurrence: int) -> None:
    """Whole-file saves first (compaction after every change), then journal appends."""
    session_id = folder.create("Durability", lang="en")
    path = folder.path_for(session_id)
    acked: list[dict[str, object]] = []
    for number, step in enumerate(harness.STEPS):
        prefix = f"s{number}"
        whole_file = step in harness.ATOMIC_STEPS
        trial = harness.run_trial(
            path,
            prefix,
            kill_step=step,
            kill_at=occurrence,
            max_ops=20,
            compact_every=0 if whole_file else None,
        )
        assert trial.opened, trial.stderr  # it took over the lock the previous child left
        assert trial.killed, (trial.returncode, trial.stderr)
        # one save per operation: killed while saving operation number `occurrence`
        assert len(trial.acks) == occurrence - 1
        acked += trial.acks
        assert harness.check(path, acked) == []

        session = codec.from_document(store.read_document(path), session_id)
        ideas = {i.text: i for i in session.ideas}
        clusters = {c.label: c for c in session.clusters}
        if occurrence == 1:  # in flight: the first cluster of this child
            in_flight = f"{prefix}-0" in clusters
        else:  # in flight: moving idea 2 into cluster 0
            idea, cluster = ideas[f"{prefix}-2"], clusters[f"{prefix}-0"]
            in_flight = idea.cluster_id == cluster.id
        # a journal line written to the file survives the process, fsync'd or not
        assert in_flight is (step in ("replace", "fsync-dir", *harness.JOURNAL_STEPS)), step

        assert lock_owner(path) == trial.pid  # the dead child's note is still there…
        assert not store.SessionLock(path).busy()  # …but its OS lock died with it
        stale = [f".{path.name}.{trial.pid}.tmp"] if step in ("write", "fsync") else []
        assert temp_files(folder) == stale
        assert folder.clean_temp_files() == len(stale)

    with folder.open(session_id) as opened:  # the lock is free: the parent takes it
        assert lock_owner(path) == os.getpid()
        assert harness.check(path, acked) == []
        assert codec.to_document(opened.session) == codec.to_document(
            codec.from_document(store.read_document(path), session_id)
        )
    assert lock_owner(path) is None
    assert not store.journal_path(path).exists()  # folded into the file on close


def test_a_line_cut_short_is_ignored_and_dropped(folder: SessionFolder) -> None:
    """A crash in the middle of an append leaves a partial line: never acknowledged."""
    session_id = folder.create("Journal", lang="en")
    path = folder.path_for(session_id)
    opened = folder.open(session_id)
    opened.apply(model.add_idea, "kept")
    journal = store.journal_path(path).read_bytes()
    assert journal.count(b"\n") == 1
    opened.lock.release()  # as if the process died: no fold, and the OS frees the lock
    seq = json.loads(journal)["seq"]
    with store.journal_path(path).open("ab") as handle:
        handle.write(b'{"seq":%d,"do":[["put","ideas","9",{"te' % (seq + 1))
    assert [i.text for i in folder.load(session_id).ideas] == ["kept"]
    with folder.open(session_id) as opened:  # folds the journal, drops the cut line
        assert not store.journal_path(path).exists()
        opened.apply(model.add_idea, "after")
    assert [i.text for i in folder.load(session_id).ideas] == ["kept", "after"]


def test_kill_at_random_moments(folder: SessionFolder) -> None:
    rng = random.Random(20261125)
    other = folder.create("Bystander", lang="en")
    session_id = folder.create("Durability", lang="en")
    path = folder.path_for(session_id)
    acked: list[dict[str, object]] = []
    trials = [
        {"delay": rng.uniform(0.0, 0.15), "after_ready": True},
        {"delay": rng.uniform(0.0, 0.15), "after_ready": True},
        {"delay": rng.uniform(0.02, 0.2), "after_ready": False},  # maybe while starting
    ]
    for number, options in enumerate(trials):
        trial = harness.run_trial(path, f"r{number}", **options)  # type: ignore[arg-type]
        assert trial.killed, (trial.returncode, trial.stderr)
        assert trial.stderr == ""
        acked += trial.acks
        assert harness.check(path, acked) == []
    scan = folder.scan()  # the folder is fine: no problem, no stale temp file
    assert scan.problems == [] and {s.id for s in scan.sessions} == {other, session_id}
    assert temp_files(folder) == []
    with folder.open(session_id) as opened:
        assert len(opened.session.ideas) >= sum(a["kind"] == "idea" for a in acked)
    assert acked, "the children should have acknowledged some operations"


# --------------------------------------------------------------------------- faults


class FaultyOS:
    """Stands in for ``os.write`` / ``os.fsync`` / ``os.replace`` during a test.

    From the ``at``-th call of ``target`` on, ``span`` calls fail with ``kind``: "short"
    (half the bytes written, no error), "enospc", "eio", or "short-enospc" (half the
    bytes, then ENOSPC: what a disk filling up mid-line does). Real fsyncs are skipped —
    a simulated crash here is the death of the process, whose page cache survives."""

    def __init__(self, target: str, kind: str, at: int, span: int) -> None:
        self.target, self.kind, self.at, self.span = target, kind, at, span
        self.calls = 0
        self.faults = 0
        self.real_write, self.real_replace = os.write, os.replace

    def _faulty(self, name: str) -> bool:
        if name != self.target:
            return False
        self.calls += 1
        return self.at <= self.calls < self.at + self.span

    def _error(self, number: int) -> OSError:
        self.faults += 1
        return OSError(number, os.strerror(number))

    def write(self, fd: int, data: bytes) -> int:
        if not self._faulty("write"):
            return self.real_write(fd, data)
        if self.kind == "short":
            self.faults += 1
            return self.real_write(fd, bytes(data[: max(1, len(data) // 2)]))
        if self.kind == "short-enospc" and len(data) > 1:
            self.calls -= 1  # the next call fails (the disk is now full)
            self.faults += 1
            return self.real_write(fd, bytes(data[: len(data) // 2]))
        raise self._error(errno.EIO if self.kind == "eio" else errno.ENOSPC)

    def fsync(self, fd: int) -> None:
        if self._faulty("fsync"):
            raise self._error(errno.EIO if self.kind == "eio" else errno.ENOSPC)

    def replace(self, source: Any, target: Any) -> None:
        if self._faulty("replace"):
            raise self._error(errno.EIO if self.kind == "eio" else errno.ENOSPC)
        self.real_replace(source, target)


def check_disk(path: Path, acknowledged: set[str]) -> None:
    """What a crash right now would leave: the file parses, the journal holds only whole
    lines, and every acknowledged idea is there."""
    journal = store.journal_path(path)
    if journal.exists():
        *lines, last = journal.read_bytes().split(b"\n")
        assert last == b"", "the journal must end with a whole line"
        for line in lines:
            json.loads(line)
    session = codec.from_document(store.read_document(path), path.stem)
    missing = acknowledged - {i.text for i in session.ideas}
    assert not missing, f"acknowledged but lost: {sorted(missing)}"


FAULTS = [
    ("write", "short"),
    ("write", "short-enospc"),
    ("write", "enospc"),
    ("write", "eio"),
    ("fsync", "enospc"),
    ("fsync", "eio"),
    ("replace", "enospc"),
    ("replace", "eio"),
]


@pytest.mark.parametrize(("target", "kind"), FAULTS, ids=["-".join(f) for f in FAULTS])
def test_faults_at_every_write_fsync_and_rename(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch, target: str, kind: str
) -> None:
    """Each fault at each call of the first saves, once or until space comes back: what was
    acknowledged survives a crash at every point, the failed change is marked unsaved and
    saved on a retry once the disk works again."""
    # journal lines and whole-file writes
    monkeypatch.setattr("atelier.store.journal.COMPACT_EVERY", 3)
    rounds = faults = 0
    for at in range(1, 13):
        for span in (1, 4):
            session_id = folder.create(f"{target} {kind} {at} {span}", lang="en")
            path = folder.path_for(session_id)
            opened = folder.open(session_id)
            fake = FaultyOS(target, kind, at, span)
            acknowledged: set[str] = set()
            with monkeypatch.context() as patch:
                for name in ("write", "fsync", "replace"):
                    patch.setattr(os, name, getattr(fake, name))
                for number in range(8):
                    try:
                        opened.apply(model.add_idea, f"idea {number}")
                    except store.SaveFailed:
                        assert opened.dirty  # shown as NOT SAVED
                    else:
                        assert not opened.dirty
                        acknowledged = {i.text for i in opened.session.ideas}
                    check_disk(path, acknowledged)
                    if opened.dirty:  # the app's 3-second retry
                        try:
                            opened.retry_save()
                            acknowledged = {i.text for i in opened.session.ideas}
                        except store.SaveFailed:
                            pass
                        check_disk(path, acknowledged)
            faults += fake.faults
            rounds += 1
            opened.retry_save()  # space is back: everything is saved
            assert not opened.dirty
            acknowledged = {i.text for i in opened.session.ideas}
            assert len(acknowledged) == 8
            check_disk(path, acknowledged)
            opened.lock.release()  # crash: no fold, the OS frees the lock
            with folder.open(session_id) as again:
                assert {i.text for i in again.session.ideas} == acknowledged
                again.apply(model.add_idea, "after the crash")
            check_disk(path, acknowledged | {"after the crash"})
    assert rounds == 24 and faults > 0
    assert temp_files(folder) == []


def test_short_writes_alone_lose_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that takes one byte at a time is still a whole write."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1])))
    from atelier import atomicio

    target = tmp_path / "f.json"
    atomicio.atomic_write(target, b"0123456789" * 50)
    atomicio.append_line(tmp_path / "j", b"line one\n")
    atomicio.append_line(tmp_path / "j", b"line two\n")
    atomicio.write_new(tmp_path / "new.md", b"export")
    assert target.read_bytes() == b"0123456789" * 50
    assert (tmp_path / "j").read_bytes() == b"line one\nline two\n"
    assert (tmp_path / "new.md").read_bytes() == b"export"


def test_failed_append_cuts_the_journal_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bug of issue 11: half a line written, then a full disk. Today's fix: the half
    line is removed before anything else is written, so the next line is not lost."""
    from atelier import atomicio

    journal = tmp_path / "s.journal"
    atomicio.append_line(journal, b'{"seq":1}\n')
    real_write = os.write
    calls = 0

    def half_then_full(fd: int, data: bytes) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            return real_write(fd, bytes(data[:5]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError) as info:
        atomicio.append_line(journal, b'{"seq":2,"do":[]}\n')
    assert info.value.errno == errno.ENOSPC and not isinstance(info.value, atomicio.TornAppend)
    assert journal.read_bytes() == b'{"seq":1}\n'
    monkeypatch.undo()
    atomicio.append_line(journal, b'{"seq":2,"do":[]}\n')
    assert journal.read_bytes() == b'{"seq":1}\n{"seq":2,"do":[]}\n'


def test_read_only_session_file_is_never_replaced(folder: SessionFolder) -> None:
    """os.replace over a chmod 444 file succeeds on POSIX (and root ignores the mode):
    atelier checks the mode bits itself, refuses to own it and offers read-only."""
    session_id = folder.create("Read-only", lang="en")
    path = folder.path_for(session_id)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(store.SessionReadOnly) as info:
            folder.open(session_id)
        assert info.value.message == (
            f"The session file {path.name} is read-only: atelier will not replace it. Make it "
            "writable to change the session; here it can be viewed read-only."
        )
        assert isinstance(info.value, store.SessionLocked)  # the app offers read-only
        with folder.open(session_id, readonly=True) as viewer:
            assert viewer.session.title == "Read-only"
        with pytest.raises(PermissionError):  # and no write path replaces it either
            atomicio.atomic_write(path, b"{}")
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


def test_read_only_folder_is_explained(
    folder: SessionFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running as root, chmod 555 does not stop writes: the folder's answer to os.access
    (EROFS or EACCES in real life) is injected, and so is the lock file's PermissionError."""
    session_id = folder.create("Read-only folder", lang="en")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == folder.root else real_access(p, mode)
    )
    with pytest.raises(store.SessionReadOnly) as info:
        folder.open(session_id)
    assert info.value.message.startswith(f"The folder {folder.root} is read-only:")
    monkeypatch.undo()

    real_open = os.open

    def refuse_lock(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file).endswith(".lock"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_lock)
    with pytest.raises(store.SessionReadOnly, match="is read-only: atelier cannot save"):
        folder.open(session_id)
    with pytest.raises(store.SessionReadOnly, match="is read-only"):
        folder.trash(session_id)
    assert not folder.scan().sessions[0].locked
    monkeypatch.setattr(os, "open", real_open)

    def read_only_fs(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("atelier.store.folder.atomic_write", read_only_fs)
    with pytest.raises(AtelierError, match="Cannot write in the sessions folder"):
        folder.create("New", lang="en")


async def test_app_marks_not_saved_from_the_first_failed_change(
    folder: SessionFolder, frozen_clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills in the middle of an idea's journal line: « NON ENREGISTRÉ » from that
    idea on, never « Enregistrée », one message, kept until the retry saves everything."""
    from textual.widgets import Static

    from atelier.app import create_app

    from uikit import make_session, reload, screen_text, type_text

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session_id = make_session(folder)
    app = create_app(folder.root, "fr", open_session=session_id)
    fake = FaultyOS("write", "short-enospc", at=1, span=1000)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await type_text(pilot, "Avant")
        await pilot.press("enter")
        await pilot.pause()
        assert "Enregistrée\u00a0: #1." in screen_text(pilot)
        monkeypatch.setattr(os, "write", fake.write)
        await type_text(pilot, "Pendant")
        await pilot.press("enter", *"Encore", "enter")
        await pilot.pause()
        text = screen_text(pilot)
        assert "NON ENREGISTRÉ, nouvel essai…" in text  # the marker beside the phase bar
        assert "NON ENREGISTRÉE\u00a0: #3." in text and "Enregistrée" not in text
        assert len([n for n in app._notifications if "Impossible" in n.message]) == 1
        assert [i.text for i in reload(folder, session_id).ideas] == ["Avant"]
        app.retry_save()  # what the 3-second timer does: still full
        await pilot.pause()
        assert app.unsaved and "NON ENREGISTRÉ" in screen_text(pilot)
        monkeypatch.setattr(os, "write", fake.real_write)  # space is back
        app.retry_save()
        await pilot.pause()
        status = app.screen.query_one("#save-status", Static).render()
        assert not app.unsaved and "NON ENREGISTRÉ" not in str(status)
        assert any(n.message == "Enregistré." for n in app._notifications)
        assert "Enregistrée\u00a0: #3." in screen_text(pilot)  # the hint follows
        assert [i.text for i in reload(folder, session_id).ideas] == ["Avant", "Pendant", "Encore"]
        assert app.unexpected_errors == []
    assert fake.faults >= 2


def test_two_processes_racing_for_one_session() -> None:
    """Exactly one writer in every race, fresh or right after a kill -9 of the holder, and
    no acknowledged idea lost. 50 races here (ATELIER_RACES raises it); bench/durability.py
    --races runs 600."""
    import tempfile

    count = int(os.environ.get("ATELIER_RACES", "50"))
    with tempfile.TemporaryDirectory() as root:
        result = harness.run_races(Path(root), count, seed=11)
    assert result.races == count and result.after_kill == count // 2
    assert result.double_writers == 0 and result.no_writer == 0
    assert result.lost == 0 and result.acknowledged >= count


@pytest.mark.skipif(bool(harness.can_mount_tmpfs()), reason=harness.can_mount_tmpfs() or "-")
def test_a_real_full_disk_loses_nothing_acknowledged(tmp_path: Path) -> None:
    """A 512 kB tmpfs filled to the last byte under a process adding ideas: kill -9 while
    full, and again after space came back — 0 acknowledged ideas lost, the file always
    whole. Two rounds here; bench/durability.py --full-disk runs more."""
    result = harness.run_full_disk_rounds(tmp_path, rounds=2)
    assert result.rounds == 2 and result.kills_while_full == 2
    assert result.unsaved_while_full >= 2 * 8  # the disk really was full under it
    assert result.damaged == 0 and result.lost == 0
    assert result.acknowledged >= 2 * 10


async def test_app_offers_read_only_for_a_read_only_file(
    folder: SessionFolder, frozen_clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chmod 444 session file: the reason in French and the read-only offer, never
    « erreur inattendue (PermissionError) », and the file left byte for byte."""
    from atelier.app import create_app
    from atelier.screens.dialogs import ConfirmDialog

    from uikit import make_session, screen_text

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session_id = make_session(folder)
    path = folder.path_for(session_id)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        app = create_app(folder.root, "fr", open_session=session_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert "est en lecture seule\u00a0: atelier ne le remplacera pas" in screen_text(pilot)
            await pilot.press("enter")  # yes, read-only
            await pilot.pause()
            assert app.read_only and app.handle is not None
            assert app.unexpected_errors == []
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(bool(harness.can_mount_tmpfs()), reason=harness.can_mount_tmpfs() or "-")
def test_a_really_read_only_file_system(tmp_path: Path) -> None:
    """A tmpfs remounted read-only (EROFS, which stops root too): opening for writing says
    the folder is read-only and offers read-only; reading still works."""
    import subprocess

    mount = tmp_path / "ro"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], check=True)
    try:
        folder = SessionFolder(mount / "sessions")
        session_id = folder.create("Lecture seule", lang="fr")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        with pytest.raises(store.SessionReadOnly, match="is read-only: atelier cannot save"):
            folder.open(session_id)
        with folder.open(session_id, readonly=True) as viewer:
            assert viewer.session.title == "Lecture seule"
        assert [s.id for s in SessionFolder(mount / "sessions").scan().sessions] == [session_id]
        with pytest.raises(AtelierError, match="Cannot write in the sessions folder"):
            folder.create("Nouvelle", lang="fr")
        with pytest.raises(store.SessionReadOnly):
            folder.trash(session_id)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


async def test_a_ballot_cast_on_a_full_disk_is_not_called_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The voters' neutral screen hides the top bar: it says the ballot is not saved yet,
    and « Bulletin enregistré » only once a retry wrote it."""
    from test_vote_ui import make_session as vote_session
    from textual.widgets import Static

    from atelier.app import create_app
    from atelier.screens.ballot import PassScreen

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = tmp_path / "sessions"
    session_id = vote_session(
        root,
        ["Accueil", "Horaires"],
        anonymous_count=3,
        vote={"method": "dot", "mode": "ballot", "dots_per_voter": 1, "max_per_option": 1},
    )
    app = create_app(root, "fr", open_session=session_id)
    fake = FaultyOS("write", "enospc", at=1, span=1000)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "b")
        monkeypatch.setattr(os, "write", fake.write)
        await pilot.press("right", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassScreen)

        def message() -> str:
            return str(app.screen.query_one("#pass-message", Static).render())

        assert "PAS ENCORE ENREGISTRÉ" in message() and app.unsaved
        assert SessionFolder(root).load(session_id).ballots == ()
        monkeypatch.setattr(os, "write", fake.real_write)
        app.retry_save()
        await pilot.pause()
        assert message().startswith("Bulletin enregistré.")
        assert len(SessionFolder(root).load(session_id).ballots) == 1
        assert app.unexpected_errors == []
