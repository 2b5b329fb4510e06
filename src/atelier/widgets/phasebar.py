"""The phase bar: where the workshop is and where it can go (always visible)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from atelier.i18n import N_, _
from atelier.model import PHASE_LABELS, PHASES

SHORT_LABELS = {
    "setup": N_("Prep."),
    "rules": N_("Rules"),
    "ideation": N_("Ideas"),
    "clustering": N_("Groups"),
    "vote": N_("Vote"),
    "results": N_("Results"),
    "actions": N_("Actions"),
    "summary": N_("Report"),
}


class PhaseBar(Widget):
    """One line: every phase numbered, the current one highlighted."""

    DEFAULT_CSS = """
    PhaseBar { height: 1; width: 1fr; background: $panel; }
    """
    phase: reactive[str] = reactive("setup")

    def __init__(self, phase: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.phase = phase

    def _line(self, labels: dict[str, str] | None) -> Content:
        """All phases named by ``labels``; with None only the current phase is named."""
        parts: list[Content] = []
        for number, phase in enumerate(PHASES, start=1):
            current = phase == self.phase
            if labels is not None:
                name = _(labels[phase])
            else:
                name = _(PHASE_LABELS[phase]) if current else ""
            text = f" {number} {name} " if name else f" {number} "
            parts.append(Content.styled(text, "bold reverse" if current else "dim"))
        return Content("›" if labels is not None else "").join(parts)

    def render(self) -> Content:
        for labels in (PHASE_LABELS, SHORT_LABELS, None):
            line = self._line(labels)
            if line.cell_length <= self.size.width:
                return line
        return line
