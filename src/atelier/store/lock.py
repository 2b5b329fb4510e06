"""One writer per session: the operating system's lock (it dies with its process), the
owner's note for the message, and the read-only offer when a folder cannot be written."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: filelock probes with msvcrt
    fcntl = None  # type: ignore[assignment]

from atelier import clock
from atelier.atomicio import (
    atomic_write,
    is_read_only,
)
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.store.files import os_reason


class SessionLocked(AtelierError):
    """Another running atelier owns the session; it can still be viewed read-only."""


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
        self.path = session_path.with_suffix(".lock")
        self.info_path = session_path.with_suffix(".owner")
        self._lock: Any = None  # the FileLock, made when the lock is first taken

    def _file_lock(self) -> Any:
        if self._lock is None:
            from filelock import FileLock  # only when a session is opened or trashed

            self._lock = FileLock(
                self.path,
                timeout=0,
                thread_local=False,  # opened and closed from different threads in the app
                fallback_to_soft=False,  # never a marker file whose owner must be guessed
                preserve_lock_file=True,
            )
        return self._lock

    @property
    def held(self) -> bool:
        return self._lock is not None and self._lock.is_locked

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
            self._file_lock().acquire(timeout=0)
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
        if fcntl is not None:  # the sessions list asks for every file: no filelock to load
            return _flock_busy(self.path)
        try:
            if not self.try_acquire():
                return True
        except OSError:
            return False  # cannot even try (read-only folder): nobody can write there
        self._file_lock().release()
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


def _flock_busy(path: Path) -> bool:
    """Whether a process holds ``flock`` on ``path``: the lock filelock takes on POSIX,
    probed shared and without waiting, then let go (it never blocks an owner for long)."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False  # gone, or not readable: nobody can own it from here
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as error:
        return error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


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
