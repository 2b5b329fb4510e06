"""The footer without half keys: what does not fit whole is left out (F1 lists every key).

Textual's footer lets the last keys run under the palette key docked on the right, so the
room read « f8 Phase su » or « ^t Parti ».
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Footer showing only the keys that fit whole, in their order of importance.

    Widths are computed from the texts when composing (Textual's footer CSS: compact keys
    are « key description » and a margin; wide ones « key  description »), so what is
    shown never depends on when the screen is drawn."""

    _composed_width = -1  # the width the keys were chosen for
    _composed_keys: tuple[object, ...] | None = None  # and the bindings they show

    def _keys(self, screen: Screen[object]) -> tuple[object, ...] | None:
        if not self._bindings_ready:
            return None
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual recomposes the footer whenever the screen's bindings may have changed
        (focus moved, a screen came back), often twice in a row: here only when the keys
        shown change — each recompose mounts every key again and redraws the screen."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._show_keys)

    async def _show_keys(self) -> None:
        if self.is_attached and self._keys(self.screen) != self._composed_keys:
            await self.recompose()

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        self._composed_keys = self._keys(self.screen)
        room = self._composed_width = self.app.size.width
        for widget in widgets:
            if widget.has_class("-command-palette"):
                room -= self._width(widget) + 1  # its left border
        for widget in widgets:
            if not widget.has_class("-command-palette"):
                width = self._width(widget)
                if width > room:
                    continue  # a shorter key further on may still fit
                room -= width
            yield widget

    def _width(self, widget: Widget) -> int:
        if not isinstance(widget, FooterKey):
            return 0
        text = cell_len(widget.key_display) + cell_len(widget.description)
        if self.compact:
            return text + 1 + (0 if widget.has_class("-command-palette") else 1)
        return text + 3 + (1 if widget.has_class("-command-palette") else 0)

    def on_resize(self) -> None:
        """Choose the keys again when the terminal's width changed (not on the first layout:
        the keys were chosen for this width when composing)."""
        if self.app.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
