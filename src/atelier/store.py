"""Session files: one TinyDB JSON file per session, crash-safe, locked, undoable.

* :class:`AtomicStorage` is a TinyDB storage that keeps the parsed document in memory
  (the owning process holds the lock) and saves it with :func:`atomic_write` — temp file,
  fsync, replace, fsync of the folder — so the file always parses and every acknowledged
  change is on disk.
* :class:`SessionFolder` lists, creates, duplicates, trashes and opens sessions; files that
  do not parse are set aside in ``damaged/`` untouched, files from a newer atelier are left
  alone, and both are reported by name.
* :class:`OpenSession` owns one session (lock file), applies operations, saves the records
  they changed and keeps an undo/redo log of 200 steps inside the same file.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from atelier import clock, codec, model, validate
from atelier.atomicio import (
    TornAppend,
    append_line,
    atomic_write,
    fsync_dir,
    is_read_only,
    pid_alive,
    pid_of_temp,
)
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import Session

UNDO_LIMIT = 200
UNDO_TABLE = "undo"
REDO_TABLE = "redo"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")  # \Z: "$" accepts a final newline
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


class SessionLocked(AtelierError):
    """Another running atelier owns the session; it can still be viewed read-only."""


class SaveFailed(AtelierError):
    """The change is kept in memory, marked unsaved, and will be written on retry."""


# --------------------------------------------------------------------------- storage


class AtomicStorage(Storage):
    """TinyDB storage: parsed once, kept in memory, saved durably after every change.

    A change is saved by appending one line — the table mutations of that change — to the
    session's journal (``<id>.journal``) and fsyncing it: a few hundred bytes instead of
    the whole file, so saving stays fast with thousands of ideas. Every
    :data:`COMPACT_EVERY` changes, when the session is opened and when it is closed, the
    whole document is written with :func:`atomic_write` (temp file, fsync, replace, fsync
    of the folder) and the journal removed. The document records the last journal line it
    contains, so a crash between the two steps replays nothing twice; a line cut short by
    a crash was never acknowledged and is ignored.

    Inside :meth:`batch` TinyDB's many small writes are collected into one save. A failed
    save (full disk, I/O error) leaves the document dirty and keeps the mutations not yet
    on disk: the next save appends them all as one line, after the journal was cut back to
    its last whole line (:func:`append_line`), or rewrites the whole file when the journal
    cannot be trusted any more.
    """

    def __init__(
        self,
        path: str | Path,
        document: dict[str, Any] | None = None,
        readonly: bool = False,
        journal_seq: int = 0,
    ) -> None:
        self.path = Path(path)
        self.journal = journal_path(self.path)
        self.readonly = readonly
        self._data: dict[str, Any] = document if document is not None else {}
        self._batch_depth = 0
        self._pending: list[list[Any]] = []
        self._lines = 0  # lines in the journal since the last full write
        self._journal_usable = True
        self.seq = journal_seq
        self.dirty = False

    def read(self) -> dict[str, Any]:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self.dirty = True
        if self._batch_depth == 0:
            self.save()

    def record(self, *mutation: Any) -> None:
        """Note one table mutation of the current change (see :func:`apply_mutations`)."""
        self._pending.append(list(mutation))

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
        if self._batch_depth == 0 and self.dirty:
            self.save()

    def fold_next(self) -> None:
        """Save the next change as a whole file, never as a journal line (until one whole
        write succeeds): a secret ballot must not sit in the journal beside older states."""
        self._journal_usable = False

    def save(self) -> None:
        """Make the change durable: one journal line, or the whole file when it is due."""
        self._check_writable()
        if self._pending and self._journal_usable and self._lines < COMPACT_EVERY:
            self._append()
        else:
            self.flush()

    def flush(self) -> None:
        """Write the whole document atomically, then drop the journal it now contains."""
        self._check_writable()
        # a new number: any line left in the journal (even one a failed append could not
        # cut back) is older than the document and is never replayed over it
        seq = self.seq + 1
        meta = self._data.setdefault(codec.VERSION_TABLE, {}).setdefault("1", {})
        meta["journal_seq"] = seq
        try:
            atomic_write(self.path, _dump(self._data).encode())
            self.seq = seq
            if self.journal.exists():
                self.journal.unlink()
                fsync_dir(self.path.parent)
        except OSError as error:
            self._failed(error)
        self._pending.clear()
        self._lines = 0
        self._journal_usable = True
        self.dirty = False

    def _append(self) -> None:
        line = _dump({"seq": self.seq + 1, "do": self._pending}).encode() + b"\n"
        try:
            append_line(self.journal, line)
        except TornAppend as error:
            # a line may be half written: never append after it, rewrite everything instead
            self._journal_usable = False
            self._failed(error)
        except OSError as error:  # cut back to its last whole line: the next save appends
            self._failed(error)
        self.seq += 1
        self._lines += 1
        self._pending.clear()
        self.dirty = False

    def distrust_journal(self) -> None:
        """The journal may end with a line cut short by a crash: the next save rewrites the
        whole file rather than appending after it."""
        self._journal_usable = False

    def _check_writable(self) -> None:
        if self.readonly:
            raise AtelierError(_("This session is open read-only: nothing can be changed."))

    def _failed(self, error: OSError) -> None:
        raise SaveFailed(
            _(
                "Could not save {file}: {reason}. The change is kept and will be saved again."
            ).format(file=self.path.name, reason=os_reason(error))
        ) from None


#: Why a write failed, in the user's language (the system's own text is in English).
_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EIO: N_("input/output error (a removed or failing disk?)"),
}


def os_reason(error: OSError) -> str:
    reason = _REASONS.get(error.errno or 0)
    return _(reason) if reason else str(error.strerror or error)


#: Journal lines written before the whole file is rewritten and the journal dropped.
COMPACT_EVERY = 100

_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def journal_path(session_path: Path) -> Path:
    return session_path.with_suffix(".journal")


def apply_mutations(document: dict[str, Any], mutations: list[list[Any]]) -> None:
    """Replay journalled table mutations: ``["put", table, key, record]``,
    ``["del", table, key]`` or ``["drop", table]`` (what OpenSession did through TinyDB)."""
    for mutation in mutations:
        kind, table = mutation[0], mutation[1]
        if kind == "put":
            document.setdefault(table, {})[str(mutation[2])] = mutation[3]
        elif kind == "del":
            document.get(table, {}).pop(str(mutation[2]), None)
        elif kind == "drop":
            document.pop(table, None)
        else:
            raise ValueError(kind)


def replay_journal(document: dict[str, Any], session_path: Path) -> int:
    """Apply the journal lines the document does not contain yet; returns the last line's
    number. Reading stops at the first line that does not parse: only the last line can be
    cut short by a crash, and it was never acknowledged."""
    seq = int(document.get(codec.VERSION_TABLE, {}).get("1", {}).get("journal_seq", 0) or 0)
    try:
        raw = journal_path(session_path).read_bytes()
    except FileNotFoundError:
        return seq
    for line in raw.split(b"\n"):
        try:
            entry = json.loads(line)
            number = int(entry["seq"])
            if number <= seq:
                continue
            if number != seq + 1:
                break
            apply_mutations(document, entry["do"])
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            break
        seq = number
    return seq


# --------------------------------------------------------------------------- lock


def _hostname() -> str:
    """This machine's name, for locks (without importing socket at start-up on POSIX)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    since: str


class SessionLock:
    """One writer per session, guaranteed by the operating system.

    ``<session>.lock`` is held with an OS lock (flock on POSIX, msvcrt on Windows, through
    ``filelock``) for as long as the session is open: the lock dies with its process, so
    there is no liveness to guess and nothing to take over. The lock file itself stays in
    place (waiters must share one inode). ``<session>.owner`` names the holder (pid, host,
    since) for messages; it is read without the lock."""

    def __init__(self, session_path: Path) -> None:
        from filelock import FileLock  # only when a session is opened, listed or trashed

        self.path = session_path.with_suffix(".lock")
        self.info_path = session_path.with_suffix(".owner")
        self._lock = FileLock(
            self.path,
            timeout=0,
            thread_local=False,  # opened and closed from different threads in the app
            fallback_to_soft=False,  # never a marker file whose owner must be guessed
            preserve_lock_file=True,
        )

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def owner(self) -> LockOwner | None:
        """Who holds (or last held) the lock, as it wrote it; None when unknown."""
        try:
            data = json.loads(self.info_path.read_text(encoding="utf-8"))
            return LockOwner(int(data["pid"]), str(data["host"]), str(data.get("since", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def try_acquire(self) -> bool:
        """Take the lock if it is free, without waiting; OSError when it cannot be tried."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def acquire(self) -> None:
        try:
            taken = self.try_acquire()
        except OSError as error:
            raise _cannot_write(self.path.parent, error) from None
        if not taken:
            raise SessionLocked(self._busy_message())
        info = {"pid": os.getpid(), "host": _hostname(), "since": clock.now_iso()}
        try:  # only for messages: a full disk must not keep the owner from working
            atomic_write(self.info_path, json.dumps(info).encode(), durable=False)
        except OSError:
            pass

    def busy(self) -> bool:
        """Whether another process (or another handle here) holds the lock right now."""
        if self.held:
            return False
        if not self.path.exists():
            return False  # never created: nobody ever locked it (listing creates nothing)
        try:
            if not self.try_acquire():
                return True
        except OSError:
            return False  # cannot even try (read-only folder): nobody can write there
        self._lock.release()
        return False

    def _busy_message(self) -> str:
        owner = self.owner()
        if owner is not None and owner.host != _hostname():
            return _(
                "This session is open in atelier on another computer ({host}, since {since}). "
                "Close it there to change it here; meanwhile it can be viewed read-only. If "
                "that computer stopped without closing atelier, the shared folder frees the "
                "session once it notices; ask whoever runs the share if it lasts."
            ).format(host=owner.host, since=owner.since[11:16])
        if owner is not None:
            return _(
                "This session is already open in another atelier (process {pid} on "
                "{host}, since {since}). It can be viewed read-only."
            ).format(pid=owner.pid, host=owner.host, since=owner.since[11:16])
        return _("This session is already open in another atelier. It can be viewed read-only.")

    def release(self) -> None:
        if self.held:
            try:  # before unlocking: the next owner's note is never removed
                self.info_path.unlink()
            except OSError:
                pass
            self._lock.release()


class SessionReadOnly(SessionLocked):
    """The folder or the file cannot be written: the session can still be viewed."""


def _cannot_write(where: Path, error: OSError) -> SessionLocked:
    """A clear reason, and the read-only offer, for a session that cannot be written."""
    if error.errno in (errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP):
        return SessionReadOnly(
            _(
                "The folder {folder} cannot lock files (some network shares cannot), so "
                "atelier cannot make sure it is the only one writing there. Copy the session "
                "to a local folder to change it; here it can be viewed read-only."
            ).format(folder=where)
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return SessionReadOnly(
            _(
                "The folder {folder} is read-only: atelier cannot save changes there. Make it "
                "writable, or copy the session to a folder you can write to, to change it; "
                "here it can be viewed read-only."
            ).format(folder=where)
        )
    return SessionReadOnly(
        _("Cannot lock the session in {folder}: {reason}. It can be viewed read-only.").format(
            folder=where, reason=os_reason(error)
        )
    )


# --------------------------------------------------------------------------- diffs


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted leaves, so undo restores only the settings an edit changed."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _set_leaf(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    if value == _MISSING:  # equality: after a restart the marker comes back from JSON
        data.pop(leaf, None)
    else:
        data[leaf] = value


_MISSING: Any = {"__missing__": True}


def diff_sessions(old: Session, new: Session) -> list[list[Any]]:
    """Changed records as ``[table, id, before, after]`` (None = absent); the meta record
    as ``["meta", dotted_key, before, after]`` leaves."""
    changes: list[list[Any]] = []
    for name in codec.COLLECTIONS:
        before, after = getattr(old, name), getattr(new, name)
        if before is after:
            continue
        # fast path: the records an operation kept are the same objects, mostly in place
        same = 0
        for previous, record in zip(before, after, strict=False):
            if previous is not record:
                break
            same += 1
        old_by_id = {r.id: r for r in before[same:]}
        for record in after[same:]:
            previous = old_by_id.pop(record.id, None)
            if previous is record:
                continue
            if previous is None or previous != record:
                changes.append(
                    [
                        name,
                        record.id,
                        None if previous is None else codec.record_to_dict(previous),
                        codec.record_to_dict(record),
                    ]
                )
        for record in old_by_id.values():
            changes.append([name, record.id, codec.record_to_dict(record), None])
    old_meta = _flatten(codec.meta_to_dict(old))
    new_meta = _flatten(codec.meta_to_dict(new))
    for key in sorted(old_meta.keys() | new_meta.keys()):
        a, b = old_meta.get(key, _MISSING), new_meta.get(key, _MISSING)
        if a != b:
            changes.append([codec.META_TABLE, key, a, b])
    return changes


# --------------------------------------------------------------------------- one session


def _sealed_records(changes: list[list[Any]]) -> set[tuple[str, str]]:
    """What a secret ballot's undo steps must not hold: the records it changed, and the
    voters of the rounds it changed (undoing their addition would leave a ballot box
    naming a participant who no longer exists)."""
    records = {(str(table), str(key)) for table, key, *_values in changes}
    for table, _key, _before, after in changes:
        if table == "rounds" and isinstance(after, dict):
            records |= {("participants", str(voter)) for voter in after.get("voted") or ()}
    return records


@dataclass(frozen=True)
class UndoStep:
    label: str
    at: str


class OpenSession:
    """One session owned by this process: apply operations, save, undo, redo."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.lock = SessionLock(path)
        if not readonly:
            _check_writable(path)
            self.lock.acquire()
        try:
            document = read_document(path)
            found = codec.document_version(document)
            if found != codec.SCHEMA_VERSION:  # keep the migrated tables, not the old ones
                document = codec.migrate_document(document)
            session = _session_of(document, path)
        except BaseException:
            self.lock.release()
            raise
        self.migrated = found != codec.SCHEMA_VERSION
        if self.migrated and not readonly:
            backup = path.with_name(f"{path.stem}.schema{found}.bak")
            if not backup.exists():
                import shutil  # only for this rare migration

                shutil.copy2(path, backup)
        seq = int(document.get(codec.VERSION_TABLE, {}).get("1", {}).get("journal_seq", 0) or 0)
        self.storage = AtomicStorage(path, document, readonly=readonly, journal_seq=seq)
        self.db = TinyDB(storage=lambda: self.storage)
        self.session = session
        if not readonly and (self.migrated or self.storage.journal.exists()):
            try:  # start from one self-contained file (and drop a line a crash cut short)
                self.storage.flush()
            except SaveFailed:  # the journal still holds everything; the next save retries
                self.storage.distrust_journal()

    # ---- reading
    @property
    def dirty(self) -> bool:
        return self.storage.dirty

    def undo_steps(self) -> list[UndoStep]:
        return self._steps(UNDO_TABLE)

    def redo_steps(self) -> list[UndoStep]:
        return self._steps(REDO_TABLE)

    def _steps(self, table: str) -> list[UndoStep]:
        rows = self.storage.read().get(table, {})
        return [UndoStep(rows[k]["label"], rows[k]["at"]) for k in sorted(rows, key=int)]

    # ---- writing
    def apply(self, operation: model.Operation, *args: Any, **kwargs: Any) -> Session:
        """Run a named operation and save what it changed before returning the new state."""
        if self.readonly:
            raise AtelierError(_("This session is open read-only: nothing can be changed."))
        new = operation(self.session, *args, **kwargs)
        undoable = getattr(operation, "undoable", True)
        label = getattr(operation, "label", operation.__name__)
        self.commit(new, label if undoable else None, sealed=getattr(operation, "sealed", False))
        return self.session

    def commit(self, new: Session, undo_label: str | None, *, sealed: bool = False) -> None:
        """Save what changed. ``sealed`` (a secret ballot): no undo step, the undo and redo
        steps that hold the changed records are forgotten, and the whole file is rewritten
        (folding the journal), so no file keeps two states of a ballot box side by side."""
        changes = diff_sessions(self.session, new)
        if not changes:
            return
        self.session = new
        if sealed:
            self.storage.fold_next()
        with self.storage.batch():
            self._write_changes(changes, forward=True)
            if sealed:
                self._forget(_sealed_records(changes))
            if undo_label is not None:
                self._push(
                    UNDO_TABLE, {"label": undo_label, "at": clock.now_iso(), "changes": changes}
                )
                if REDO_TABLE in self.storage.read():
                    self._drop(REDO_TABLE)

    def retry_save(self) -> None:
        """Save what a failed save left in memory (disk full, I/O error…): one journal line
        with every change not yet on disk — the smallest write — or the whole file."""
        if self.storage.dirty:
            self.storage.save()

    def undo(self) -> str | None:
        """Undo the last edit; returns its label, or None when there is nothing to undo."""
        return self._replay(UNDO_TABLE, REDO_TABLE, forward=False)

    def redo(self) -> str | None:
        return self._replay(REDO_TABLE, UNDO_TABLE, forward=True)

    def _replay(self, source: str, target: str, forward: bool) -> str | None:
        if self.readonly:
            raise AtelierError(_("This session is open read-only: nothing can be changed."))
        rows = self.storage.read().get(source, {})
        if not rows:
            return None
        last = max(rows, key=int)
        entry = rows[last]
        try:
            with self.storage.batch():
                self._delete(source, int(last))
                self._write_changes(entry["changes"], forward=forward)
                self._push(target, entry)
        finally:  # even when the save fails (SaveFailed): memory must match the document
            self.session = codec.from_document(self.storage.read(), self.session.id)
        return str(entry["label"])

    # ---- the three table mutations, done through TinyDB and noted for the journal
    def _put(self, table_name: str, key: int, record: dict[str, Any]) -> None:
        table = self.db.table(table_name)
        if str(key) in self.storage.read().get(table_name, {}):
            table.update(record, doc_ids=[key])
        else:  # what upsert does, without first trying an update (a pass over the table)
            table.insert(Document(record, doc_id=key))
        self.storage.record("put", table_name, key, record)

    def _delete(self, table_name: str, key: int) -> None:
        self.db.table(table_name).remove(doc_ids=[key])
        self.storage.record("del", table_name, key)

    def _drop(self, table_name: str) -> None:
        self.db.drop_table(table_name)
        self.storage.record("drop", table_name)

    def _forget(self, records: set[tuple[str, str]]) -> None:
        """Drop the undo and redo steps that touch any of ``records`` (table, key)."""
        for table_name in (UNDO_TABLE, REDO_TABLE):
            for key, entry in list(self.storage.read().get(table_name, {}).items()):
                if any((str(c[0]), str(c[1])) in records for c in entry.get("changes", ())):
                    self._delete(table_name, int(key))

    def _push(self, table_name: str, entry: dict[str, Any]) -> None:
        ids = sorted(int(k) for k in self.storage.read().get(table_name, {}))
        self._put(table_name, (ids[-1] if ids else 0) + 1, entry)
        for old in ids[: max(0, len(ids) + 1 - UNDO_LIMIT)]:
            self._delete(table_name, old)

    def _write_changes(self, changes: list[list[Any]], forward: bool) -> None:
        ordered = changes if forward else list(reversed(changes))
        meta = dict(self.storage.read().get(codec.META_TABLE, {}).get("1", {}))
        meta_changed = False
        for table_name, key, before, after in ordered:
            value = after if forward else before
            if table_name == codec.META_TABLE:
                _set_leaf(meta, key, value)
                meta_changed = True
                continue
            if value is None:
                self._delete(table_name, int(key))
            else:
                self._put(table_name, int(key), value)
        if meta_changed:
            self._put(codec.META_TABLE, 1, meta)

    def close(self) -> None:
        """Leave one self-contained file behind (the journal folded in), then unlock."""
        if not self.readonly and self.lock.held and (self.dirty or self.storage.journal.exists()):
            try:
                self.storage.flush()
            except SaveFailed:
                pass  # every acknowledged change is in the journal, which stays
        self.lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_writable(path: Path) -> None:
    """Refuse to own a session that cannot be written, with the reason and the read-only
    offer, before anything is written: a read-only file is never replaced behind its back
    (``os.replace`` over it succeeds on POSIX), and a read-only folder is said as such."""
    if path.parent.exists() and not os.access(path.parent, os.W_OK):
        raise _cannot_write(path.parent, PermissionError(errno.EACCES, "read-only"))
    if is_read_only(path):
        raise SessionReadOnly(
            _(
                "The session file {file} is read-only: atelier will not replace it. Make it "
                "writable to change the session; here it can be viewed read-only."
            ).format(file=path.name)
        )


def read_document(path: Path) -> dict[str, Any]:
    """Parse a session file and replay its journal; a clear error naming the file when it
    cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AtelierError(_("No session file {file}.").format(file=path.name)) from None
    except OSError as error:
        raise AtelierError(
            _("Cannot read {file}: {reason}.").format(
                file=path.name, reason=error.strerror or error
            )
        ) from None
    if not raw.strip():
        raise DamagedFile(_("{file} is empty.").format(file=path.name))
    try:  # a UTF-8 byte order mark (left by some editors) is accepted
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # ValueError: also a number too long to read; RecursionError: absurd nesting
        where = (
            _(" (line {line})").format(line=error.lineno)
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise DamagedFile(
            _("{file} does not parse{where}.").format(file=path.name, where=where)
        ) from None
    if not isinstance(document, dict) or codec.META_TABLE not in document:
        raise DamagedFile(_("{file} is not an atelier session.").format(file=path.name))
    version = codec.document_version(document)
    try:
        codec.check_version(version)
    except AtelierError as error:
        newer = isinstance(version, int) and version > codec.SCHEMA_VERSION
        raise (TooNew if newer else DamagedFile)(f"{path.name}: {error.message}") from None
    stamp = document[codec.VERSION_TABLE]["1"]
    try:
        validate.convert(stamp.get("journal_seq", 0), int, codec.VERSION_TABLE, "journal_seq")
        stamp["journal_seq"] = replay_journal(document, path)  # the changes saved since
    except AtelierError as error:
        raise DamagedFile(f"{path.name}: {error.message}") from None
    except RecursionError:
        raise DamagedFile(
            _("{file} does not parse{where}.").format(file=path.name, where="")
        ) from None
    return document


class DamagedFile(AtelierError):
    """The file cannot be read as a session: it is set aside, never overwritten."""


class TooNew(AtelierError):
    """Written by a newer atelier: left exactly where it is."""


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class SessionInfo:
    id: str
    title: str
    date: str
    phase: str
    ideas: int
    participants: int
    path: Path
    locked: bool


@dataclass(frozen=True)
class FolderScan:
    sessions: list[SessionInfo]
    problems: list[str]


def slugify(title: str, limit: int = 40) -> str:
    """An ASCII slug of a title for readable file names ('' when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return "" if slug in _WINDOWS_RESERVED else slug


class SessionFolder:
    """The sessions folder: every path it builds comes from a generated id and stays inside."""

    DAMAGED = "damaged"
    TRASH = "trash"

    def __init__(self, root: Path) -> None:
        """Nothing is created here: reading (list, show, export) leaves no folder behind;
        the folder is made when the first session is written (:meth:`save_new`)."""
        self.root = Path(root).expanduser().resolve()
        try:
            existing = next(p for p in (self.root, *self.root.parents) if p.exists())
            if not existing.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        except OSError as error:
            self._unusable(error)

    def _unusable(self, error: OSError) -> NoReturn:
        raise AtelierError(
            _("Cannot use the sessions folder {folder}: {reason}.").format(
                folder=self.root, reason=error.strerror or error
            )
        ) from None

    # ---- names
    def path_for(self, session_id: str) -> Path:
        if (
            not isinstance(session_id, str)
            or not ID_PATTERN.match(session_id)
            or session_id in _WINDOWS_RESERVED  # con.json is a device on Windows
        ):
            raise AtelierError(_("Invalid session id: “{id}”.").format(id=str(session_id)[:80]))
        path = (self.root / f"{session_id}.json").resolve()
        if path.parent != self.root:
            raise AtelierError(_("Invalid session id: “{id}”.").format(id=session_id))
        return path

    def new_id(self, title: str) -> str:
        slug = slugify(title)
        while True:
            token = os.urandom(4).hex()
            session_id = f"{slug}-{token}" if slug else token
            if not self.path_for(session_id).exists():
                return session_id

    def resolve_id(self, text: str) -> str:
        """An exact id, or a unique prefix of one (as typed on the command line)."""
        if not text.strip():
            raise AtelierError(_("Invalid session id: “{id}”.").format(id=text))
        if (self.root / f"{text}.json").is_file() and ID_PATTERN.match(text):
            return text
        matches = [p.stem for p in self.root.glob("*.json") if p.stem.startswith(text)]
        if len(matches) == 1 and ID_PATTERN.match(matches[0]):
            return matches[0]
        if not matches:
            raise AtelierError(
                _("No session “{id}” in {folder}.").format(id=text[:80], folder=self.root)
            )
        raise AtelierError(
            _("“{id}” matches several sessions: {ids}.").format(
                id=text[:80], ids=", ".join(sorted(matches)[:5])
            )
        )

    # ---- listing
    def scan(self) -> FolderScan:
        """Every usable session, newest first, and a message for each file that is not.

        Each file is read and checked in full, on its own: whatever is wrong with one
        (damaged, hand-edited, absurdly nested, from a newer atelier, unreadable) is
        reported by name and never hides the others. Damaged files are set aside."""
        self.clean_temp_files()
        sessions: list[SessionInfo] = []
        problems: list[str] = []
        for path in sorted(self.root.glob("*.json")):
            if not ID_PATTERN.match(path.stem):
                continue
            try:
                sessions.append(_listed(path))
            except TooNew as error:
                problems.append(error.message)  # left exactly where it is
            except Exception as error:  # whatever it is, it must not hide the other sessions
                reason = error.message if isinstance(error, AtelierError) else _bug(path, error)
                if path.is_file() and _readable(path) and not _held(path):
                    reason = self.set_aside(path, reason)
                problems.append(reason)
        sessions.sort(key=lambda s: (s.date, s.id), reverse=True)
        return FolderScan(sessions, problems)

    def set_aside(self, path: Path, reason: str) -> str:
        """Move an unusable file, bytes untouched, into ``damaged/`` under a free name."""
        folder = self.root / self.DAMAGED
        try:
            folder.mkdir(exist_ok=True)
            target = _free_name(folder / path.name)
            os.replace(path, target)
            _move_journal(path, target)
            fsync_dir(folder)
            fsync_dir(self.root)
        except OSError:
            return _("{reason} The file was left where it is.").format(reason=reason)
        return _("{reason} It was set aside as {file}; the other sessions are usable.").format(
            reason=reason, file=f"{self.DAMAGED}/{target.name}"
        )

    def clean_temp_files(self) -> int:
        """Remove temp files whose writer is gone (they never hold the only copy)."""
        removed = 0
        for temp in self.root.glob(".*.tmp"):
            pid = pid_of_temp(temp)
            if pid is not None and pid != os.getpid() and not pid_alive(pid):
                try:
                    temp.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed

    # ---- changes to the folder
    def save_new(self, session: Session) -> str:
        """Write a session under a fresh file (creation, duplicate, import)."""
        path = self.path_for(session.id)
        if path.exists():
            raise AtelierError(_("A session {id} already exists.").format(id=session.id))
        data = json.dumps(codec.to_document(session), ensure_ascii=False, separators=(",", ":"))
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data.encode())
        except OSError as error:
            raise AtelierError(
                _("Cannot write in the sessions folder {folder}: {reason}.").format(
                    folder=self.root, reason=os_reason(error)
                )
            ) from None
        return session.id

    def create(self, title: str, **options: Any) -> str:
        session_id = self.new_id(title)
        return self.save_new(model.new_session(session_id, title, **options))

    def load(self, session_id: str) -> Session:
        """Read a session without owning it (listing, export, show)."""
        path = self.path_for(session_id)
        return _session_of(read_document(path), path)

    def open(self, session_id: str, readonly: bool = False) -> OpenSession:
        return OpenSession(self.path_for(session_id), readonly=readonly)

    def duplicate(self, session_id: str, title: str | None = None) -> str:
        source = self.load(session_id)
        new_title = title or _("{title} (copy)").format(title=source.title)[: model.TITLE_MAX]
        new_title = model.clean_text(new_title, N_("The title"), max_len=model.TITLE_MAX)
        copy = replace(
            source, id=self.new_id(new_title), title=new_title, created_at=clock.now_iso()
        )
        return self.save_new(copy)

    def import_session(self, session: Session) -> str:
        return self.save_new(replace(session, id=self.new_id(session.title)))

    def trash(self, session_id: str) -> Path:
        """Move a session file into ``trash/``: deleting in atelier never destroys a file."""
        path = self.path_for(session_id)
        lock = SessionLock(path)
        try:
            taken = lock.try_acquire()  # held while the file moves: nobody opens it meanwhile
        except OSError as error:
            raise _cannot_write(self.root, error) from None
        if not taken:
            raise SessionLocked(_("This session is open in another atelier; close it first."))
        gone = False  # once the file has moved (or never was), its lock goes too
        try:
            folder = self.root / self.TRASH
            folder.mkdir(exist_ok=True)
            target = _free_name(folder / path.name)
            os.replace(path, target)
            gone = True
            _move_journal(path, target)
            fsync_dir(folder)
            fsync_dir(self.root)
        except FileNotFoundError:
            gone = not path.exists()
            raise AtelierError(
                _("No session “{id}” in {folder}.").format(id=session_id, folder=self.root)
            ) from None
        except OSError as error:
            raise AtelierError(
                _("Cannot move {file} to the trash: {reason}.").format(
                    file=path.name, reason=os_reason(error)
                )
            ) from None
        finally:
            # removed while still held: whoever opened the old lock file finds no session
            for leftover in (lock.info_path, lock.path) if gone else ():
                try:
                    leftover.unlink()
                except OSError:
                    pass
            lock.release()
        return target


def _session_of(document: dict[str, Any], path: Path) -> Session:
    """The checked session of a file's document; every refusal names the file."""
    try:
        return codec.from_document(document, path.stem)
    except AtelierError as error:
        raise DamagedFile(f"{path.name}: {error.message}") from None


def _info(path: Path, document: dict[str, Any]) -> SessionInfo:
    """What the sessions list shows, from the session checked in full: a session listed
    here also opens."""
    session = _session_of(document, path)
    return SessionInfo(
        id=path.stem,
        title=session.title,
        date=session.date,
        phase=session.phase,
        ideas=len(session.ideas),
        participants=session.voter_count,
        path=path,
        locked=_held(path),
    )


#: session file → (a digest of its bytes and its journal's, what the list shows): a file
#: checked once is not checked again until it changes (the home screen lists the folder
#: each time it is shown; reading and hashing cost little next to checking).
_LISTED: dict[Path, tuple[bytes, SessionInfo]] = {}


def _listed(path: Path) -> SessionInfo:
    try:
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16)
        journal = journal_path(path)
        if journal.exists():
            digest.update(journal.read_bytes())
    except OSError:
        return _info(path, read_document(path))  # which says why it cannot be read
    known = _LISTED.get(path)
    if known is not None and known[0] == digest.digest():
        return replace(known[1], locked=_held(path))
    info = _info(path, read_document(path))
    _LISTED[path] = (digest.digest(), info)
    return info


def _readable(path: Path) -> bool:
    return os.access(path, os.R_OK)


def _held(path: Path) -> bool:
    """Whether another running atelier owns this session (its file is then never moved)."""
    return SessionLock(path).busy()


def _bug(path: Path, error: BaseException) -> str:
    return _("{file} could not be read ({error}).").format(
        file=path.name, error=type(error).__name__
    )


def _move_journal(session_path: Path, target: Path) -> None:
    """A session's journal follows its file (to ``trash/`` or ``damaged/``)."""
    journal = journal_path(session_path)
    if journal.exists():
        os.replace(journal, target.with_name(target.stem + ".journal"))


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.{number}{path.suffix}")
    return candidate
