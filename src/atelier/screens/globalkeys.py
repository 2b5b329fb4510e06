"""The app's global keys — F1 help, F2 rules, F3 projector, F10 parking, F12 phones — and
its command palette and theme: each key opens its screen, a second press closes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from atelier import model
from atelier.config import save_theme
from atelier.i18n import N_, _

from .host import AppHost

#: keys that mean nothing without an open session: hidden from the footer.
SESSION_ACTIONS = frozenset({"recall_rules", "projector", "undo", "redo", "home", "park", "phones"})


class GlobalKeys(App[int]):
    """Mixin of :class:`atelier.app.AtelierApp`: the actions of its global keys."""

    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("f2", "recall_rules", N_("Rules"), id="recall_rules"),
        Binding("f3", "projector", N_("Projector"), id="projector"),
        Binding("f10", "park", N_("Parking"), id="park"),
        Binding("f12", "phones", N_("Phones"), id="phones"),
        Binding("ctrl+z", "undo", N_("Undo"), id="undo"),
        Binding("ctrl+y", "redo", N_("Redo"), id="redo"),
        Binding("ctrl+o", "home", N_("Sessions"), id="home"),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in SESSION_ACTIONS or self.host.handle is not None

    @property
    def host(self) -> AppHost:
        return cast(AppHost, self)

    def action_help(self) -> None:
        from atelier.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_recall_rules(self) -> None:
        from atelier.screens.projector import RulesRecallScreen

        self._toggle(RulesRecallScreen, RulesRecallScreen)

    def action_projector(self) -> None:
        from atelier.screens.projector import ProjectorScreen

        self._toggle(ProjectorScreen, lambda: ProjectorScreen(self.host.session.phase))

    def _toggle(self, kind: type, make: Any) -> None:
        if self.host.handle is None:
            return
        if isinstance(self.screen, kind):
            self.pop_screen()
        else:
            self.push_screen(make())

    def action_park(self) -> None:
        """Put an off-topic point (or a note, a quote) aside for the report, from any phase."""
        from atelier.screens.notes import NoteDialog

        if self.host.handle is None or isinstance(self.screen, NoteDialog):
            return

        def kept(answer: tuple[str, str] | None) -> None:
            if answer and self.host.apply(model.add_note, *answer):
                self.notify(_("Kept for the report. ctrl+z to undo."))

        self.push_screen(NoteDialog(), kept)

    async def action_phones(self) -> None:
        from atelier.screens.join import phones_key

        if self.host.handle is not None:
            await phones_key(self.host)

    # ---- command palette: every key of the screen, by name
    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder in the interface language."""
        from atelier.screens.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        """Every key of the screen and of the app, by name, then printing and the theme."""
        seen: set[str] = set()
        node: Screen[Any] | App[Any]
        for node in (screen, self):
            for _key, binding in node._bindings:
                if not binding.description or binding.action in seen:
                    continue
                seen.add(binding.action)
                key = self.get_key_display(binding)
                yield SystemCommand(
                    f"{binding.description} ({key})",
                    _("Key: {key}").format(key=key),
                    _runner(node, binding.action),
                )
        if self.host.handle is not None:
            from atelier.screens.summary import print_paper

            yield SystemCommand(
                _("Print ballots or idea cards"),
                _("Paper for a room without screens, from any phase"),
                lambda: print_paper(self.host),
            )
        yield SystemCommand(
            _("Light theme"), _("Switch light / dark theme"), self.action_toggle_theme
        )

    def action_toggle_theme(self) -> None:
        """Switch light / dark and remember it for the next start (config.toml)."""
        light = self.theme != "textual-light"
        self.theme = "textual-light" if light else "textual-dark"
        problem = save_theme("light" if light else "dark")
        if problem:
            self.notify(problem, severity="warning", timeout=8)

    # ---- leaving: ctrl+q, ctrl+o
    def _confirm_leaving(self, then: Any) -> None:
        """Leaving with a change that could not be saved: try once more, else ask first."""
        from atelier.screens.dialogs import ConfirmDialog

        if self.host.workshop.saved_before_leaving():
            then()
            return
        title = _("The last changes could not be saved.")
        text = _(
            "Free some disk space or make the folder writable, then try again. "
            "Leave anyway and lose them?"
        )
        self.push_screen(ConfirmDialog(title, text), lambda leave: then() if leave else None)

    async def action_quit(self) -> None:
        self._confirm_leaving(self.exit)

    def action_home(self) -> None:
        self._confirm_leaving(self._go_home)

    def _go_home(self) -> None:
        from atelier.screens.home import HomeScreen

        self.host.close_session()
        while len(self.screen_stack) > 1 or not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.refresh_bindings()


def _runner(node: Screen[Any] | App[Any], action: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        await node.run_action(action)

    return run
