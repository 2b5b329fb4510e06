"""Text fields that never lose or garble what the room says.

Textual's Input keeps only the first line of a paste and would pass escape sequences on to
the terminal; these fields strip control characters (as the model does) and keep every
line: joined with spaces, or, in the capture field, one idea per line.
"""

from __future__ import annotations

import re

from textual import events
from textual.message import Message
from textual.widgets import Input

from atelier.i18n import _
from atelier.model import strip_controls

from .guard import Guarded


def _lines(text: str) -> list[str]:
    """Line breaks as the model sees them (str.splitlines also splits on \\v, \\f…)."""
    return re.split(r"\r\n|[\r\n]", text)


class TextField(Guarded, Input):
    """An Input for participant text: no silent truncation, no control characters."""

    def insert_text_at_cursor(self, text: str) -> None:
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            # a lone surrogate can be neither shown by the terminal nor saved as UTF-8
            self.notify(
                _("This text contains an invalid character; it was not inserted."),
                severity="warning",
            )
            return
        super().insert_text_at_cursor(strip_controls(text))

    def _on_blur(self, event: events.Blur) -> None:
        """A long text left with the cursor at its end showed only its end: show its start."""
        self.scroll_to(x=0, animate=False)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls the handler of every class in the MRO: stop before Input's own.
        event.prevent_default()
        event.stop()
        lines = [line for line in _lines(event.text) if line.strip()]
        if lines:
            self.insert_text_at_cursor(" ".join(lines))


class CaptureField(TextField):
    """The ideation field: a paste of several lines becomes several ideas."""

    class Lines(Message):
        """Several non-empty lines were pasted at once."""

        def __init__(self, field: CaptureField, lines: list[str]) -> None:
            super().__init__()
            self.field = field
            self.lines = lines

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line for line in _lines(event.text) if line.strip()]
        if len(lines) > 1 and not self.value.strip():
            event.prevent_default()
            event.stop()
            self.post_message(self.Lines(self, lines))
        # otherwise TextField's handler (next in the MRO) inserts the text
