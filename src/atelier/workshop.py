"""The open session and the one path for changes, without any UI.

screen → :meth:`Workshop.apply` (named operation) → store (saved on disk) → screen refresh.
The app owns one :class:`Workshop` and only adds what a terminal needs: dialogs, redraws
and messages, which the workshop hands over through the ``notify`` callback it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atelier import model, store
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model import PHASES
from atelier.store import SessionFolder

if TYPE_CHECKING:  # the store's session handle loads when a session opens
    from atelier.model import Session
    from atelier.store import OpenSession

#: ``notify(message, severity, timeout)``: severity is "information", "warning" or "error".
Notify = Callable[[str, str, float | None], None]

#: the phases whose screen shows a collection, the first one being its home.
SHOWN_IN: dict[str, tuple[str, ...]] = {
    "participants": ("setup", "ideation"),
    "rules": ("rules",),
    "ideas": ("ideation", "clustering"),
    "clusters": ("clustering", "vote", "results"),
    "rounds": ("vote", "results"),
    "ballots": ("vote", "results"),
    "actions": ("actions",),
}


def replayed_item(changes: list[list[Any]]) -> tuple[str | None, Any]:
    """The record an undo or redo changed ((table, id)), one it restored or removed first
    (undoing a merge shows the idea that comes back), or the meta key it changed."""
    records = [change for change in changes if change[0] != "meta"]
    for table, key, before, after in records:
        if before is None or after is None:
            return table, key
    for table, key, _before, _after in records:
        return table, key
    for _table, key, _before, _after in changes:
        if key not in ("seq", "phase") and not str(key).startswith("seq."):
            return "meta", key
    return None, None


def phase_of_change(table: str | None, key: Any, current: str) -> str:
    """The phase to show after an undo: the current one when it shows the change."""
    if table in SHOWN_IN:
        phases = SHOWN_IN[table]
        return current if current in phases else phases[0]
    if table == "meta":
        parts = str(key).split(".")
        if parts[0] == "phases" and len(parts) > 2 and parts[1] in PHASES:
            return "setup" if parts[2] == "planned_minutes" else parts[1]
        if parts[0] == "vote":
            return current if current in ("vote", "results") else "vote"
        if parts[0] == "rules_adopted_at":
            return "rules"
        return "setup"
    return current


class Workshop:
    """One sessions folder and the session open in it (owned: locked, saved, undoable)."""

    def __init__(self, sessions_dir: Path, notify: Notify) -> None:
        self.folder = SessionFolder(sessions_dir)
        self.handle: OpenSession | None = None
        self._notify = notify

    # ---- state
    @property
    def session(self) -> Session:
        if self.handle is None:
            raise AtelierError(_("No session is open."))
        return self.handle.session

    @property
    def read_only(self) -> bool:
        return self.handle is not None and self.handle.readonly

    @property
    def unsaved(self) -> bool:
        return self.handle is not None and self.handle.dirty

    # ---- lifecycle
    def open(self, session_id: str, read_only: bool = False) -> str:
        """Open (and own) a session; returns the phase it had reached.

        Raises SessionLocked when another atelier owns it (it can be opened read-only),
        AtelierError when it cannot be opened at all."""
        self.close()
        self.handle = self.folder.open(session_id, readonly=read_only)
        phase = self.handle.session.phase
        if not self.handle.readonly:  # the time spent in the phase counts from now
            self.apply(model.set_phase, phase)
        return phase

    def close(self) -> None:
        """Pause running timers, note the time the phase ended, release the session."""
        if self.handle is None:
            return
        if not self.handle.readonly:
            for phase in PHASES:
                if self.handle.session.timing(phase).running:
                    self.apply(model.timer_pause, phase)
            self.apply(model.leave_phase)
        handle, self.handle = self.handle, None
        handle.close()
        if not handle.dirty:  # the file holds exactly this session
            self.folder.remember_written(handle.path, handle.session)

    def enter_phase(self, phase: str) -> None:
        """Move the session to ``phase``: the timer of the phase left is paused."""
        if self.handle is None or self.read_only:
            return
        current = self.handle.session.phase
        if current != phase and self.session.timing(current).running:
            self.apply(model.timer_pause, current)
        self.apply(model.set_phase, phase)

    # ---- the one path for changes
    def apply(self, operation: model.Operation, *args: Any, **kwargs: Any) -> bool:
        """Run a named operation through the store; refused input becomes a message.

        Returns True when the session changed (saved, or kept in memory marked unsaved)."""
        if self.handle is None:
            return False
        was_saved = not self.handle.dirty
        try:
            self.handle.apply(operation, *args, **kwargs)
        except store.SaveFailed as error:
            # the screen's « NOT SAVED » marker stays until a retry succeeds; say why once
            if was_saved:
                self._notify(error.message, "error", 10)
        except AtelierError as error:
            self._notify(error.message, "warning", 6)
            return False
        return True

    def retry_save(self) -> bool:
        """Try again to save what could not be saved; True when it now is."""
        if self.handle is None or not self.handle.dirty:
            return False
        try:
            self.handle.retry_save()
        except AtelierError:
            return False
        self._notify(_("Saved."), "information", None)
        return True

    def saved_before_leaving(self) -> bool:
        """One more quiet try to save; True when nothing unsaved is left behind."""
        if self.handle is not None and self.handle.dirty:
            try:
                self.handle.retry_save()
            except AtelierError:
                pass
        return not self.unsaved

    def replay(self, undo: bool) -> tuple[str | None, Any] | None:
        """Undo or redo one step; returns what it changed (see :func:`replayed_item`), or
        None when nothing changed."""
        if self.handle is None:
            return None
        before = self.handle.session
        try:
            label = self.handle.undo() if undo else self.handle.redo()
        except store.SaveFailed as error:
            self._notify(error.message, "error", 10)
            label = ""
        except AtelierError as error:
            self._notify(error.message, "warning", None)
            return None
        if label is None:
            nothing = _("Nothing to undo.") if undo else _("Nothing to redo.")
            self._notify(nothing, "information", None)
            return None
        if label:
            template = _("Undone: {action}.") if undo else _("Redone: {action}.")
            self._notify(template.format(action=_(label)), "information", None)
        return replayed_item(store.diff_sessions(before, self.handle.session))
