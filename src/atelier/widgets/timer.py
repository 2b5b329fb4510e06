"""The timebox of the current phase: a countdown always visible, flagged and rung at zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from atelier.i18n import _, format_duration

if TYPE_CHECKING:
    from atelier.model import PhaseTime


class PhaseTimer(Widget):
    """Shows remaining time; ticks once a second only while running (idle CPU stays low)."""

    DEFAULT_CSS = """
    PhaseTimer { width: auto; min-width: 16; height: 1; padding: 0 1; }
    PhaseTimer.-running { color: $success; text-style: bold; }
    PhaseTimer.-overtime { background: $error; color: $text; text-style: bold; }
    """

    def __init__(self, timing: Callable[[], PhaseTime], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._timing = timing
        self._ticker: Timer | None = None
        self._rang = False
        self._width = 0
        self._shown = ""

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.tick, pause=True)
        self.sync()

    def sync(self) -> None:
        """Re-read the timing (after start, pause, reset…) and tick only when running."""
        timing = self._timing()
        if self._ticker is not None:
            if timing.running:
                self._ticker.resume()
            else:
                self._ticker.pause()
        self.set_class(timing.running, "-running")
        self.tick()

    def tick(self) -> None:
        remaining = self._timing().remaining()
        over = remaining <= 0
        self.set_class(over, "-overtime")
        if over and not self._rang and self._timing().running:
            self._rang = True
            self.app.bell()
        if not over:
            self._rang = False
        # « Time is up! » widens the label (and -1:00 is wider than 9:59): lay it out again
        # when the width changes, or the end of the label is cut
        # and repaint only when the label changed: every change to the session syncs the
        # timer, and a needless repaint of this corner widens the region Textual redraws
        text = self._text()
        if text != self._shown:
            self.refresh(layout=len(text) != self._width)
        self._shown, self._width = text, len(text)

    def _text(self) -> str:
        timing = self._timing()
        remaining = timing.remaining()
        state = "▶" if timing.running else "⏸"
        text = f"{state} {format_duration(remaining)}"
        if remaining <= 0 and timing.running:
            text += " " + _("Time is up!")
        return text

    def render(self) -> Content:
        return Content(self._text())
