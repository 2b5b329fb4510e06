"""Choices whose state reads without colour (NO_COLOR, a washed-out projector): a ticked
box ``▐X▌`` and a chosen radio button ``▐●▌`` against ``▐ ▌``."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class TickBox(Checkbox):
    """Textual's Checkbox draws the same « X » ticked or not and tells them apart by shade."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's constant
        return "X" if self.value else " "


class RadioChoice(RadioButton):
    """Textual's RadioButton draws « ● » chosen or not and tells them apart by shade."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's constant
        return "●" if self.value else " "
