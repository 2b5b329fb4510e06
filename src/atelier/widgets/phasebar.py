"""The phase bar: where the workshop is and where it can go (always visible)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from atelier.i18n import _
from atelier.model import PHASE_LABELS, PHASES


class PhaseBar(Widget):
    """One line: every phase numbered, the current one highlighted.

    A phase has one name at every width (the room must not read « Compte rendu » here and
    « Synthèse » there): when all names do not fit, only the current phase is named."""

    DEFAULT_CSS = """
    PhaseBar { height: 1; width: 1fr; background: $panel; }
    """
    phase: reactive[str] = reactive("setup")

    def __init__(self, phase: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.phase = phase

    def _line(self, all_names: bool, separator: str) -> Content:
        parts: list[Content] = []
        for number, phase in enumerate(PHASES, start=1):
            current = phase == self.phase
            name = _(PHASE_LABELS[phase]) if all_names or current else ""
            text = f" {number} {name} " if name else f" {number} "
            parts.append(Content.styled(text, "bold reverse" if current else "dim"))
        return Content(separator).join(parts)

    def render(self) -> Content:
        for all_names, separator in ((True, "›"), (True, ""), (False, "")):
            line = self._line(all_names, separator)
            if line.cell_length <= self.size.width:
                return line
        return line
