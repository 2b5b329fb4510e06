"""One open session: apply operations, save the records they changed, undo and redo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atelier import clock, codec, model
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import Session
from atelier.store.journal import (
    AtomicStorage,
    SaveFailed,
    _session_of,
    read_document,
)
from atelier.store.lock import (
    SessionLock,
    _check_writable,
)
from atelier.tally import changed_span

UNDO_LIMIT = 200
UNDO_TABLE = "undo"
REDO_TABLE = "redo"


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
        # the records an operation kept are the same objects, mostly in place: only the
        # span between the unchanged start and end is compared (one idea among 2,000)
        start, old_stop, new_stop = changed_span(before, after)
        old_by_id = {r.id: r for r in before[start:old_stop]}
        for record in after[start:new_stop]:
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

    # ---- the three table mutations, applied to the document and noted for the journal
    def _put(self, table_name: str, key: int, record: dict[str, Any]) -> None:
        self.storage.change("put", table_name, key, dict(record))

    def _delete(self, table_name: str, key: int) -> None:
        self.storage.change("del", table_name, key)

    def _drop(self, table_name: str) -> None:
        self.storage.change("drop", table_name)

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
