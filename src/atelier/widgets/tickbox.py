"""A checkbox whose state reads without colour: ``▐X▌`` ticked, ``▐ ▌`` not (NO_COLOR)."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """Textual's Checkbox draws the same « X » ticked or not and tells them apart by shade."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's constant
        return "X" if self.value else " "
