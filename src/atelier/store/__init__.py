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
:mod:`.handle` (:class:`OpenSession`, diffs, undo), :mod:`.folder` (:class:`SessionFolder`),
:mod:`.listing` (what the sessions list shows, remembered between runs), :mod:`.files`
(the files beside a session, failure reasons). Every public name is available here; each
module loads when one of its names is first used (listing the folder needs no TinyDB).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from atelier import lazy

if TYPE_CHECKING:
    from atelier.store.files import (
        TooNew,
        journal_path,
        os_reason,
    )
    from atelier.store.folder import (
        ID_PATTERN,
        LISTING,
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
        apply_mutations,
        read_document,
        replay_journal,
    )
    from atelier.store.listing import (
        ListingMemory,
        default_listing_file,
        digest_of,
    )
    from atelier.store.lock import (
        LockOwner,
        SessionLock,
        SessionLocked,
        SessionReadOnly,
    )

#: the public names, by module (each loads when one of its names is first used)
EXPORTS: dict[str, tuple[str, ...]] = {
    "files": (
        "TooNew",
        "journal_path",
        "os_reason",
    ),
    "listing": (
        "ListingMemory",
        "default_listing_file",
        "digest_of",
    ),
    "folder": (
        "LISTING",
        "ID_PATTERN",
        "FolderScan",
        "SessionFolder",
        "SessionInfo",
        "slugify",
    ),
    "lock": (
        "LockOwner",
        "SessionLock",
        "SessionLocked",
        "SessionReadOnly",
    ),
    "journal": (
        "COMPACT_EVERY",
        "AtomicStorage",
        "DamagedFile",
        "SaveFailed",
        "apply_mutations",
        "read_document",
        "replay_journal",
    ),
    "handle": (
        "REDO_TABLE",
        "UNDO_LIMIT",
        "UNDO_TABLE",
        "OpenSession",
        "UndoStep",
        "diff_sessions",
    ),
}

__all__, __getattr__, __dir__ = lazy.attach(globals(), EXPORTS)
