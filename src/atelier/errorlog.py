"""Unexpected errors go to a log file in the user's log folder, never to the screen."""

from __future__ import annotations

import traceback


def log_error(error: BaseException) -> str:
    """Append the traceback to the user log folder; returns its path ('' if impossible)."""
    try:
        from platformdirs import user_log_path

        path = user_log_path("atelier") / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)) + "\n")
        return str(path)
    except OSError:
        return ""
