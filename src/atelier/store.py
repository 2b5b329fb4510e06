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

import json
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from atelier import clock, codec, model
from atelier.atomicio import append_line, atomic_write, fsync_dir, pid_alive, pid_of_temp
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

    Inside :meth:`batch` TinyDB's many small writes are collected into one save; a failed
    save leaves the document dirty, and :meth:`flush` then rewrites it whole.
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
        meta = self._data.setdefault(codec.VERSION_TABLE, {}).setdefault("1", {})
        meta["journal_seq"] = self.seq
        try:
            atomic_write(self.path, _dump(self._data).encode())
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
        except OSError as error:
            # a line may be half written: never append after it, rewrite everything instead
            self._journal_usable = False
            self._failed(error)
        self.seq += 1
        self._lines += 1
        self._pending.clear()
        self.dirty = False

    def _check_writable(self) -> None:
        if self.readonly:
            raise AtelierError(_("This session is open read-only: nothing can be changed."))

    def _failed(self, error: OSError) -> None:
        raise SaveFailed(
            _(
                "Could not save {file}: {reason}. The change is kept and will be saved again."
            ).format(file=self.path.name, reason=error.strerror or error)
        ) from None


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
    """``<session>.lock`` created exclusively; a lock left by a dead process is taken over."""

    def __init__(self, session_path: Path) -> None:
        self.path = session_path.with_suffix(".lock")
        self.held = False

    def owner(self) -> LockOwner | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockOwner(int(data["pid"]), str(data["host"]), str(data.get("since", "")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return LockOwner(-1, "", "")  # half-written lock: its writer died mid-way

    def stale(self, owner: LockOwner) -> bool:
        if owner.pid == -1:
            return True
        return owner.host == _hostname() and not pid_alive(owner.pid)

    def acquire(self) -> None:
        for _attempt in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self.owner()
                if owner is None:
                    continue
                if not self.stale(owner):
                    raise SessionLocked(
                        _(
                            "This session is already open in another atelier (process {pid} on "
                            "{host}, since {since}). It can be viewed read-only."
                        ).format(pid=owner.pid, host=owner.host, since=owner.since[11:16])
                    ) from None
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            except OSError as error:
                raise AtelierError(
                    _("Cannot create the lock file {file}: {reason}.").format(
                        file=self.path.name, reason=error.strerror or error
                    )
                ) from None
            info = {"pid": os.getpid(), "host": _hostname(), "since": clock.now_iso()}
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(info, handle)
                handle.flush()
                os.fsync(handle.fileno())
            self.held = True
            return
        raise SessionLocked(_("This session is being opened by another atelier; try again."))

    def release(self) -> None:
        if self.held:
            owner = self.owner()
            if owner is not None and owner.pid == os.getpid():
                try:
                    self.path.unlink()
                except OSError:
                    pass
            self.held = False


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
            except SaveFailed:
                pass  # the journal still holds everything; the next save retries

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
        """Write the in-memory document again after a failed save (disk full, read-only…)."""
        if self.storage.dirty:
            self.storage.flush()

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
        if not self.readonly and self.lock.held and self.storage.journal.exists():
            try:
                self.storage.flush()
            except SaveFailed:
                pass  # every acknowledged change is in the journal, which stays
        self.lock.release()

    def __enter__(self) -> OpenSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
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
    try:
        codec.check_version(codec.document_version(document))
    except AtelierError as error:
        raise TooNew(f"{path.name}: {error.message}") from None
    version = document[codec.VERSION_TABLE].setdefault("1", {})
    version["journal_seq"] = replay_journal(document, path)  # the changes saved since
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


def default_folder() -> Path:
    return Path(os.environ.get("ATELIER_DIR") or "sessions")


class SessionFolder:
    """The sessions folder: every path it builds comes from a generated id and stays inside."""

    DAMAGED = "damaged"
    TRASH = "trash"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AtelierError(
                _("Cannot use the sessions folder {folder}: {reason}.").format(
                    folder=self.root, reason=error.strerror or error
                )
            ) from None
        self.root = self.root.resolve()

    # ---- names
    def path_for(self, session_id: str) -> Path:
        if (
            not isinstance(session_id, str)
            or not ID_PATTERN.match(session_id)
            or session_id in _WINDOWS_RESERVED  # con.json is a device on Windows
        ):
            raise AtelierError(_("Invalid session id: « {id} ».").format(id=str(session_id)[:80]))
        path = (self.root / f"{session_id}.json").resolve()
        if path.parent != self.root:
            raise AtelierError(_("Invalid session id: « {id} ».").format(id=session_id))
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
            raise AtelierError(_("Invalid session id: « {id} ».").format(id=text))
        if (self.root / f"{text}.json").is_file() and ID_PATTERN.match(text):
            return text
        matches = [p.stem for p in self.root.glob("*.json") if p.stem.startswith(text)]
        if len(matches) == 1 and ID_PATTERN.match(matches[0]):
            return matches[0]
        if not matches:
            raise AtelierError(
                _("No session « {id} » in {folder}.").format(id=text[:80], folder=self.root)
            )
        raise AtelierError(
            _("« {id} » matches several sessions: {ids}.").format(
                id=text[:80], ids=", ".join(sorted(matches)[:5])
            )
        )

    # ---- listing
    def scan(self) -> FolderScan:
        """Every usable session, newest first, and a message for each file set aside."""
        self.clean_temp_files()
        sessions: list[SessionInfo] = []
        problems: list[str] = []
        for path in sorted(self.root.glob("*.json")):
            if not ID_PATTERN.match(path.stem):
                continue
            try:
                info = _info(path, read_document(path))
            except DamagedFile as error:
                problems.append(self.set_aside(path, error.message))
                continue
            except AtelierError as error:
                problems.append(error.message)
                continue
            sessions.append(info)
        sessions.sort(key=lambda s: (s.date, s.id), reverse=True)
        return FolderScan(sessions, problems)

    def set_aside(self, path: Path, reason: str) -> str:
        """Move an unusable file, bytes untouched, into ``damaged/`` under a free name."""
        folder = self.root / self.DAMAGED
        folder.mkdir(exist_ok=True)
        target = _free_name(folder / path.name)
        try:
            os.replace(path, target)
            _move_journal(path, target)
            fsync_dir(folder)
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
        atomic_write(
            path,
            json.dumps(
                codec.to_document(session), ensure_ascii=False, separators=(",", ":")
            ).encode(),
        )
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
        owner = lock.owner()
        if owner is not None and not lock.stale(owner):
            raise SessionLocked(_("This session is open in another atelier; close it first."))
        folder = self.root / self.TRASH
        folder.mkdir(exist_ok=True)
        target = _free_name(folder / path.name)
        try:
            os.replace(path, target)
        except FileNotFoundError:
            raise AtelierError(
                _("No session « {id} » in {folder}.").format(id=session_id, folder=self.root)
            ) from None
        _move_journal(path, target)
        fsync_dir(folder)
        fsync_dir(self.root)
        if lock.path.exists():
            lock.path.unlink(missing_ok=True)
        return target


def _session_of(document: dict[str, Any], path: Path) -> Session:
    try:
        return codec.from_document(document, path.stem)
    except AtelierError as error:
        raise AtelierError(f"{path.name}: {error.message}") from None


def _info(path: Path, document: dict[str, Any]) -> SessionInfo:
    """What the sessions list shows, read from the document without building the session
    (a list of big sessions stays quick to open)."""
    try:
        meta = document[codec.META_TABLE]["1"]
        anonymous = bool(meta.get("anonymous"))
        people = (
            int(meta.get("participant_count", 0))
            if anonymous
            else len(document.get("participants") or {})
        )
        lock = SessionLock(path)
        owner = lock.owner()
        return SessionInfo(
            id=path.stem,
            title=str(meta["title"]),
            date=str(meta["date"]),
            phase=str(meta.get("phase", "setup")),
            ideas=len(document.get("ideas") or {}),
            participants=people,
            path=path,
            locked=owner is not None and not lock.stale(owner),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise AtelierError(
            _("The session data is damaged: {error}.").format(error=str(error)[:200])
        ) from None


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
