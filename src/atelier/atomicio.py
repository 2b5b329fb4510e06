"""Crash-safe file writes: temp file in the same folder → write → fsync → replace → fsync dir.

After a crash at any point the target holds either its old or its new content, whole.
``after_step`` is called after each I/O step with its name; the durability tests use it to
kill the process at exactly that point.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def _no_hook(step: str) -> None:
    return None


after_step: Callable[[str], None] = _no_hook


def temp_path_for(path: Path) -> Path:
    """Hidden, per-process temp name: ``.<name>.<pid>.tmp`` beside the target."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


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


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash never leaves a partial file."""
    temp = temp_path_for(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            after_step("write")
            os.fsync(handle.fileno())
            after_step("fsync")
        os.replace(temp, path)
        after_step("replace")
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(path.parent)
    after_step("fsync-dir")


def append_line(path: Path, line: bytes) -> None:
    """Append one line to ``path`` and fsync it (creating the file, and then fsyncing its
    folder, when it is new). A crash may leave the line cut short: readers ignore it."""
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        after_step("append")
        os.fsync(fd)
        after_step("append-fsync")
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
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:  # EPERM, ENOTSUP…: no hard links here; "x" still never overwrites
            with open(path, "xb") as target:
                try:
                    target.write(data)
                    target.flush()
                    os.fsync(target.fileno())
                except BaseException:
                    target.close()
                    path.unlink(missing_ok=True)
                    raise
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
