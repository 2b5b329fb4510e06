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

Modules: :mod:`.journal` (the storage and the file reader), :mod:`.lock` (one writer),
:mod:`.handle` (:class:`OpenSession`, diffs, undo), :mod:`.folder` (:class:`SessionFolder`).
Every public name is imported here.
"""

from __future__ import annotations

from atelier.store.folder import (
    ID_PATTERN,
    FolderScan,
    SessionFolder,
    SessionInfo,
    slugify,
)
from atelier.store.handle import (
    REDO_TABLE,
    UNDO_LIMIT,
    UNDO_TABLE,
    OpenSession,
    UndoStep,
    diff_sessions,
)
from atelier.store.journal import (
    COMPACT_EVERY,
    AtomicStorage,
    DamagedFile,
    SaveFailed,
    TooNew,
    apply_mutations,
    journal_path,
    os_reason,
    read_document,
    replay_journal,
)
from atelier.store.lock import (
    LockOwner,
    SessionLock,
    SessionLocked,
    SessionReadOnly,
)

__all__ = [
    "SaveFailed",
    "AtomicStorage",
    "os_reason",
    "COMPACT_EVERY",
    "journal_path",
    "apply_mutations",
    "replay_journal",
    "read_document",
    "DamagedFile",
    "TooNew",
    "SessionLocked",
    "LockOwner",
    "SessionLock",
    "SessionReadOnly",
    "UNDO_LIMIT",
    "UNDO_TABLE",
    "REDO_TABLE",
    "diff_sessions",
    "UndoStep",
    "OpenSession",
    "ID_PATTERN",
    "SessionInfo",
    "FolderScan",
    "slugify",
    "SessionFolder",
]
