"""The files of a session beside its ``<id>.json``, and why an operation on a file failed,
in the user's language. Light on purpose: listing the folder uses it at start-up."""

from __future__ import annotations

import errno
from pathlib import Path

from atelier.errors import AtelierError
from atelier.i18n import N_, _


class TooNew(AtelierError):
    """Written by a newer atelier: left exactly where it is."""


def journal_path(session_path: Path) -> Path:
    return session_path.with_suffix(".journal")


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
