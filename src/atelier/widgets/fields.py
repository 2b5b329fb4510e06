"""Text fields that never lose or garble what the room says.

Textual's Input keeps only the first line of a paste and would pass escape sequences on to
the terminal; these fields strip control characters (as the model does) and keep every
line: joined with spaces, or, in the capture field, one idea per line. They keep the
invisible joiners of emoji sequences (👩‍👩‍👧) that Textual's Input drops as "unprintable", and
never select their whole text on focus, so keys meant for the next field cannot replace it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from textual import events
from textual._parser import ParseTimeout
from textual._xterm_parser import XTermParser
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from atelier.i18n import _
from atelier.model import strip_controls

from .guard import Guarded


def _lines(text: str) -> list[str]:
    """Line breaks as the model sees them (str.splitlines also splits on \\v, \\f…)."""
    return re.split(r"\r\n|[\r\n]", text)


#: Invisible characters that are part of what was typed: zero-width joiner and non-joiner
#: (👩‍👩‍👧, Persian), and the tag characters of subdivision flags (🏴 England).
KEPT_FORMAT = {"\u200d", "\u200c", *map(chr, range(0xE0020, 0xE0080))}


class TextField(Guarded, Input):
    """An Input for participant text: no silent truncation, no control characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.character in KEPT_FORMAT:  # Input ignores them: str.isprintable() is False
            event.stop()
            event.prevent_default()
            self.insert_text_at_cursor(event.character)

    def insert_text_at_cursor(self, text: str) -> None:
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            # a lone surrogate can be neither shown by the terminal nor saved as UTF-8
            self.notify(
                _("This text contains an invalid character; it was not inserted."),
                severity="warning",
            )
            return
        super().insert_text_at_cursor(strip_controls(text))

    def _on_mount(self, event: events.Mount) -> None:
        # Input keeps the view still until its value is first changed ("initial value"):
        # in a field filled at construction, End or typing at the end moved the cursor out
        # of sight. Scroll with the cursor from the start.
        self._initial_value = False

    def _on_focus(self, event: events.Focus) -> None:
        """Entering a long field puts its cursor in view (it was left showing the start)."""
        self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        self.scroll_to_region(
            Region(self._cursor_offset, 0, width=1, height=1), force=True, animate=False
        )

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

    # The field's size is fixed by its CSS: the length of what is typed (what it scrolls
    # over) changes on every key, and Textual's Input would lay the whole screen out for
    # it — on every character typed and when Enter empties it.
    virtual_size = Reactive(Size(0, 0), layout=False)

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


BRACKETED_PASTE_START = "\x1b[200~"
BRACKETED_PASTE_END = "\x1b[201~"


#: what may follow ESC in a sequence the terminal sends (CSI, SS3, OSC, DCS, APC, PM, ST).
SEQUENCE_STARTS = frozenset("[O]P_^\\\x1b")


class PasteSafeParser(XTermParser):
    """Textual's terminal parser, made safe for fast typing and pastes.

    - Textual reads an escape sequence inside a bracketed paste as keys typed: the paste of
      « Pause café ensemble le \\e[31mvendredi\\e[0m » arrived as « ^[31mvendredi^[0m » typed
      before « Pause café ensemble le » pasted. Here the whole paste is collected first and
      handed on without its escape sequences, so it arrives whole and in order.
    - Escape followed at once by a letter was read as alt+letter: the Escape was lost (a
      dialog stayed open and the next Enter confirmed it) and so was the letter. atelier
      binds no alt key, so Escape then text stays Escape then text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._paste: str | None = None  # the paste being received, between its markers
        self._escape_pending = False  # the last text handed on ended with ESC

    def feed(self, data: str) -> Iterable[Any]:
        if not data:
            yield from super().feed(data)
            return
        out: list[str] = []
        while data:
            if self._paste is None:
                start = data.find(BRACKETED_PASTE_START)
                if start < 0:
                    out.append(data)
                    break
                out.append(data[:start])
                self._paste, data = "", data[start + len(BRACKETED_PASTE_START) :]
            else:
                self._paste += data
                end = self._paste.find(BRACKETED_PASTE_END)
                if end < 0:
                    break
                body = strip_controls(self._paste[:end], multiline=True)
                data = self._paste[end + len(BRACKETED_PASTE_END) :]
                self._paste = None
                out.append(BRACKETED_PASTE_START + body + BRACKETED_PASTE_END)
        yield from self._feed_keys("".join(out))

    def _feed_keys(self, text: str) -> Iterable[Any]:
        """Hand ``text`` on, ending a lone Escape before a typed character."""
        while text:
            if self._escape_pending and text[0] not in SEQUENCE_STARTS:
                yield from self._end_escape()
            cut = next(
                (
                    i + 1
                    for i, ch in enumerate(text[:-1])
                    if ch == "\x1b" and text[i + 1] not in SEQUENCE_STARTS
                ),
                len(text),
            )
            yield from super().feed(text[:cut])
            self._escape_pending = text[cut - 1] == "\x1b"
            text = text[cut:]

    def _end_escape(self) -> Iterable[Any]:
        """What the parser does when no character follows ESC in time: an Escape key."""
        self._escape_pending = False
        if self._timeout_time is None:  # tick() already made it an Escape key
            return
        self._timeout_time = None
        self._awaiting = self._gen.throw(ParseTimeout())
        while self._tokens:
            yield self._tokens.popleft()


def install_paste_parser() -> None:
    """Make Textual's terminal drivers read pastes with :class:`PasteSafeParser`."""
    try:
        from textual.drivers import linux_driver, linux_inline_driver
    except ImportError:  # Windows: its driver reads pastes differently
        return
    linux_driver.XTermParser = PasteSafeParser  # type: ignore[misc]
    linux_inline_driver.XTermParser = PasteSafeParser  # type: ignore[misc]
