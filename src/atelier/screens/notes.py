"""Parking and notes: one key (F10) from any phase puts a point aside for the report."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, RadioSet

from atelier.i18n import N_, _
from atelier.model import NOTE_KINDS
from atelier.widgets.fields import TextField
from atelier.widgets.tickbox import RadioChoice

from .dialogs import Dialog

NOTE_KIND_LABELS = {
    "parking": N_("Parking: a point raised off-topic"),
    "note": N_("Note"),
    "quote": N_("Verbatim quote"),
}


class NoteDialog(Dialog):
    """Type the point, Enter keeps it; Tab, the arrows and Space pick parking, note or quote
    (ctrl+s keeps it from there)."""

    BINDINGS = [Binding("ctrl+s", "keep", N_("Keep"), id="note_keep")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(_("Put a point aside for the report")), classes="title")
            yield TextField(placeholder=_("The point, then Enter"), id="note-text")
            with RadioSet(id="note-kind"):
                for kind in NOTE_KINDS:
                    yield RadioChoice(_(NOTE_KIND_LABELS[kind]), value=kind == "parking")
            yield Label(Content(_("Enter: keep · Tab: kind · Escape: cancel")), classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_keep()

    def action_keep(self) -> None:
        text = self.query_one("#note-text", Input).value
        if not text.strip():
            self.dismiss(None)
            return
        index = self.query_one("#note-kind", RadioSet).pressed_index
        self.dismiss((text, NOTE_KINDS[max(index, 0)]))
