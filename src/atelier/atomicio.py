"""Crash-safe file writes: temp file in the same folder → write → fsync → replace → fsync dir.

After a crash at any point the target holds either its old or its new content, whole.
Every write goes through :func:`write_all`, which loops over short writes (a nearly full
disk, a signal) until every byte is written or an error is raised: nothing is ever taken
as written when only part of it was. ``after_step`` is called after each I/O step with its
name; the durability tests use it to kill the process at exactly that point.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _no_hook(step: str) -> None:
    return None


after_step: Callable[[str], None] = _no_hook


class TornAppend(OSError):
    """An append failed and the journal could not be cut back to its last whole line:
    nothing may be appended after it any more (the next save rewrites the whole file)."""


def temp_path_for(path: Path) -> Path:
    """Hidden, per-process temp name: ``.<name>.<pid>.tmp`` beside the target."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data`` to ``fd``, looping over short writes; raise otherwise."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # no progress and no error: the device is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_read_only(path: Path) -> bool:
    """True when ``path`` exists and must not be written: no write bit for anyone (checked
    on the mode itself, because root may write anything), or no write access for us.
    ``os.replace`` would silently put a new file over it on POSIX."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def refuse_read_only(path: Path) -> None:
    if is_read_only(path):
        raise PermissionError(errno.EACCES, "read-only file", str(path))


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a crash never leaves a partial file.

    A read-only target is never replaced (PermissionError). ``durable=False`` skips the
    fsyncs and the step hooks (small informative files such as a lock's owner)."""
    refuse_read_only(path)
    hook = after_step if durable else _no_hook
    temp = temp_path_for(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o644)
        try:
            write_all(fd, data)
            hook("write")
            if durable:
                os.fsync(fd)
            hook("fsync")
        finally:
            os.close(fd)
        os.replace(temp, path)
        hook("replace")
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)
    hook("fsync-dir")


def append_line(path: Path, line: bytes) -> None:
    """Append one whole line to ``path`` and fsync it (creating the file, and then fsyncing
    its folder, when it is new).

    If the write or the fsync fails (full disk, I/O error), the file is cut back to its size
    before the append and the error raised: the journal keeps ending with a whole line, so
    the next append is never lost behind a torn one. If even that fails, :class:`TornAppend`
    is raised. A crash mid-append may still leave the line cut short: readers ignore it."""
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _BINARY, 0o644)
    try:
        size = os.lseek(fd, 0, os.SEEK_END)
        try:
            write_all(fd, line)
            after_step("append")
            os.fsync(fd)
            after_step("append-fsync")
        except OSError as error:
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            except OSError:
                raise TornAppend(error.errno, error.strerror) from error
            raise
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> Path:
    """Write a file that must not exist yet (exports): never overwrite silently.

    The content is written to a temp file first and then linked into place, which fails
    (FileExistsError) if the name was taken meanwhile. Where hard links are unsupported
    (FAT USB keys, some network shares) the file is created exclusively instead: still
    never an overwrite, though a crash mid-write can leave it partial."""
    temp = temp_path_for(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:  # EPERM, ENOTSUP…: no hard links here; O_EXCL still never overwrites
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
            try:
                write_all(fd, data)
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                path.unlink(missing_ok=True)
                raise
            os.close(fd)
    finally:
        try:
            temp.unlink()
        except OSError:
            pass
    fsync_dir(path.parent)
    return path


def pid_of_temp(path: Path) -> int | None:
    """The writer's pid encoded in a temp file name, or None if it is not one of ours."""
    parts = path.name.split(".")
    if len(parts) >= 4 and path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX):
        try:
            return int(parts[-2])
        except ValueError:
            return None
    return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
