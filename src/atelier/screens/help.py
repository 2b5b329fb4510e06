"""F1: every key of the current screen and the global keys, with what they do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from atelier.i18n import N_, _
from atelier.widgets.footer import KeyFooter

from .base import AtelierScreen


def key_lines(app: object, node: DOMNode) -> list[tuple[str, str]]:
    """(key, description) of the bindings of one node, in declaration order."""
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _key, binding in node._bindings:
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        lines.append((app.get_key_display(binding), binding.description))  # type: ignore[attr-defined]
    return lines


class HelpScreen(AtelierScreen):
    BINDINGS = [
        Binding("escape,f1,q", "close", N_("Close"), id="help_close"),
    ]

    def __init__(self, under: Screen) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content.styled(_("Keys"), "bold"), classes="help-title")
            yield Static(self._section(_("On this screen"), key_lines(self.app, self.under)))
            yield Static(self._section(_("Everywhere"), key_lines(self.app, self.app)))
            yield Static(
                Content(
                    _(
                        "ctrl+p opens the command palette: every action by name. Keys can be "
                        "remapped by id in the config file (see the README)."
                    )
                ),
                classes="help-note",
            )
        yield KeyFooter()

    def _section(self, title: str, lines: list[tuple[str, str]]) -> Content:
        parts = [Content.styled(title, "bold underline")]
        width = max((len(k) for k, _d in lines), default=4) + 2
        for key, description in lines:
            parts.append(Content.assemble((key.ljust(width), "bold"), description))
        return Content("\n").join(parts)

    def action_close(self) -> None:
        self.app.pop_screen()
