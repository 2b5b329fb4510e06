"""The sessions folder: list, create, duplicate, trash and open sessions; files that do
not parse are set aside in ``damaged/`` untouched, files from a newer atelier left alone."""

from __future__ import annotations

import errno
import json
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from atelier import clock, model
from atelier.atomicio import (
    atomic_write,
    fsync_dir,
    pid_alive,
    pid_of_temp,
)
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.store.files import TooNew, journal_path, os_reason
from atelier.store.listing import ListingMemory, digest_of
from atelier.store.lock import (
    SessionLock,
    SessionLocked,
    _cannot_write,
)

if TYPE_CHECKING:
    from atelier.model import Session
    from atelier.store.handle import OpenSession

#: what the sessions list showed of each file, in the user's cache folder (store.listing)
LISTING = ListingMemory()

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}\Z")  # \Z: "$" accepts a final newline
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


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

    def __init__(self, root: Path, listing: ListingMemory | None = None) -> None:
        """Nothing is created here: reading (list, show, export) leaves no folder behind;
        the folder is made when the first session is written (:meth:`save_new`).
        ``listing``: what was listed before (by default the user's, shared in-process)."""
        self.root = Path(root).expanduser().resolve()
        self.listing = listing or LISTING
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
                sessions.append(self._listed(path))
            except TooNew as error:
                problems.append(error.message)  # left exactly where it is
            except Exception as error:  # whatever it is, it must not hide the other sessions
                reason = error.message if isinstance(error, AtelierError) else _bug(path, error)
                if path.is_file() and _readable(path) and not _held(path):
                    reason = self.set_aside(path, reason)
                problems.append(reason)
        self.listing.forget(self.root, {info.path for info in sessions})
        self.listing.save()
        sessions.sort(key=lambda s: (s.date, s.id), reverse=True)
        return FolderScan(sessions, problems)

    def _listed(self, path: Path) -> SessionInfo:
        """What the list shows of one file: remembered while its bytes are unchanged, else
        from the session checked in full (which says why a file cannot be listed)."""
        try:
            digest = digest_of(path)
        except OSError:
            digest = None
        shown = self.listing.recall(path, digest) if digest else None
        if shown is None:
            shown = _shown(path)
            if digest:
                self.listing.remember(path, digest, shown)
        return SessionInfo(id=path.stem, path=path, locked=_held(path), **shown)

    def remember_written(self, path: Path, session: Session) -> None:
        """Remember what the list shows of a file atelier has just written from ``session``
        (a session created, imported, duplicated, or closed with everything saved): the
        next start, or the return to the list, need not check that file again."""
        try:
            digest = digest_of(path)
        except OSError:
            return
        self.listing.remember(path, digest, _shown_of(session))
        self.listing.save()

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
        from atelier import codec

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
        self.remember_written(path, session)
        return session.id

    def create(self, title: str, **options: Any) -> str:
        session_id = self.new_id(title)
        return self.save_new(model.new_session(session_id, title, **options))

    def load(self, session_id: str) -> Session:
        """Read a session without owning it (listing, export, show)."""
        from atelier.store.journal import _session_of, read_document

        path = self.path_for(session_id)
        return _session_of(read_document(path), path)

    def open(self, session_id: str, readonly: bool = False) -> OpenSession:
        from atelier.store.handle import OpenSession

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


def _shown(path: Path) -> dict[str, Any]:
    """What the sessions list shows, from the session checked in full: a session listed
    here also opens."""
    from atelier.store.journal import _session_of, read_document

    return _shown_of(_session_of(read_document(path), path))


def _shown_of(session: Session) -> dict[str, Any]:
    return {
        "title": session.title,
        "date": session.date,
        "phase": session.phase,
        "ideas": len(session.ideas),
        "participants": session.voter_count,
    }


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
