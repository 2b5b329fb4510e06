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

    def _line(self, labels: dict[str, str]) -> Content:
        parts: list[Content] = []
        for number, phase in enumerate(PHASES, start=1):
            text = f" {number} {_(labels[phase])} "
            if phase == self.phase:
                parts.append(Content.styled(text, "bold reverse"))
            else:
                parts.append(Content.styled(text, "dim" if phase != "summary" else ""))
        return Content("›").join(parts)

    def render(self) -> Content:
        line = self._line(PHASE_LABELS)
        if line.cell_length > self.size.width:
            line = self._line(SHORT_LABELS)
        return line
