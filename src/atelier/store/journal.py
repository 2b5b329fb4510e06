"""Saving and reading one session file: a TinyDB storage kept in memory, written whole
with :func:`atomic_write` or appended to a journal of changes, and the reader that
replays the journal and refuses, naming the file, what it cannot use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from atelier import codec, validate
from atelier.atomicio import (
    TornAppend,
    append_line,
    atomic_write,
    fsync_dir,
)
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import Session
from atelier.store.files import TooNew, journal_path, os_reason


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

    def change(self, *mutation: Any) -> None:
        """Apply one table mutation (see :func:`apply_mutations`) to the document in memory
        and note it for the journal line of the current change.

        The journal's replay function applies it, so memory and disk cannot disagree, and a
        change costs the size of its records: TinyDB's own table writes rebuild the whole
        table (every idea, twice) for each record."""
        apply_mutations(self._data, [list(mutation)])
        self._pending.append(list(mutation))
        self.dirty = True
        if self._batch_depth == 0:
            self.save()

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


#: Journal lines written before the whole file is rewritten and the journal dropped.
COMPACT_EVERY = 100

_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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


def _session_of(document: dict[str, Any], path: Path) -> Session:
    """The checked session of a file's document; every refusal names the file."""
    try:
        return codec.from_document(document, path.stem)
    except AtelierError as error:
        raise DamagedFile(f"{path.name}: {error.message}") from None


class DamagedFile(AtelierError):
    """The file cannot be read as a session: it is set aside, never overwritten."""
