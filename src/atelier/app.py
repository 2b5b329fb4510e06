"""The Textual app: wiring of screens, global keys and messages around one :class:`Workshop`.

screen → :meth:`AtelierApp.apply` → :meth:`Workshop.apply` (named operation) → store (saved
on disk) → screen refresh. Screens see the app through :class:`atelier.screens.host.AppHost`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from atelier import i18n, model, store
from atelier.config import load_config
from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.screens.bindings import translate_bindings
from atelier.screens.globalkeys import GlobalKeys
from atelier.screens.phases import phase_screen
from atelier.widgets.fields import install_paste_parser
from atelier.widgets.guard import GuardedApp
from atelier.widgets.keyorder import KeysInOrder
from atelier.workshop import Workshop, phase_of_change

if TYPE_CHECKING:  # the records and the session handle load when a session opens
    from atelier.model import Session
    from atelier.store import OpenSession, SessionFolder


class AtelierApp(GuardedApp, KeysInOrder, GlobalKeys):
    CSS_PATH = "app.tcss"
    TITLE = "atelier"

    def __init__(self, sessions_dir: Path, lang: str, **options: Any) -> None:
        """``options``: open_session, read_only, templates_dir, keymap, theme, phones
        (``(bind, port)`` to switch phones on at start), as :func:`create_app` passes them."""
        super().__init__()
        if options.get("theme") == "light":
            self.theme = "textual-light"
        self.workshop = Workshop(sessions_dir, self._say)
        self.lang = lang
        self.templates_dir: Path | None = options.get("templates_dir")
        self.unexpected_errors: list[BaseException] = []
        self.phones: Any = None  # screens.join.PhonesLink while phones are switched on
        self._options = options
        translate_bindings(self)

    # ---- state (the workshop's)
    @property
    def folder(self) -> SessionFolder:
        return self.workshop.folder

    @property
    def handle(self) -> OpenSession | None:
        return self.workshop.handle

    @property
    def session(self) -> Session:
        return self.workshop.session

    @property
    def read_only(self) -> bool:
        return self.workshop.read_only

    @property
    def unsaved(self) -> bool:
        return self.workshop.unsaved

    def _say(self, message: str, severity: str, timeout: float | None) -> None:
        self.notify(message, severity=severity, timeout=timeout)  # type: ignore[arg-type]

    # ---- start and stop
    def get_default_screen(self) -> Screen:  # type: ignore[type-arg]
        """The sessions list is the bottom of the stack (no extra blank screen under it)."""
        from atelier.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self._options.get("keymap"):
            self.set_keymap(self._options["keymap"])
        self.set_interval(3.0, self.retry_save)
        if self._options.get("open_session"):
            self.open_session(self._options["open_session"], self._options.get("read_only", False))
        if self._options.get("phones") and self.handle is not None:
            from atelier.screens.join import switch_on

            self.call_later(switch_on, self, *self._options["phones"])

    async def on_unmount(self) -> None:
        await self.switch_phones_off()
        self.close_session()

    async def switch_phones_off(self) -> None:
        """Close the participant port (within 2 s, even with phones connected)."""
        if self.phones is not None:
            from atelier.screens.join import switch_off

            await switch_off(self)

    def open_session(self, session_id: str, read_only: bool = False) -> None:
        """Open (and own) a session, then show the phase it had reached."""
        from atelier.screens.dialogs import ConfirmDialog

        self.close_session()
        try:
            phase = self.workshop.open(session_id, read_only=read_only)
        except store.SessionLocked as error:

            def view(answer: bool | None) -> None:
                if answer:
                    self.open_session(session_id, read_only=True)

            self.push_screen(ConfirmDialog(_("Open it read-only?"), error.message), view)
            return
        except AtelierError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        if self.session.lang != self.lang:
            self.notify(_("This session is in another language; its report will use it."))
        self.push_screen(phase_screen(phase))

    def close_session(self) -> None:
        if self.phones is not None:  # phones follow the open session: off with it
            self.run_worker(self.switch_phones_off(), exit_on_error=False)
        self.workshop.close()

    # ---- the one path for changes
    def apply(
        self, operation: model.Operation, *args: Any, refresh: bool = True, **kwargs: Any
    ) -> bool:
        """Run a named operation through the workshop, then redraw (True: it changed)."""
        changed = self.workshop.apply(operation, *args, **kwargs)
        if changed and refresh:
            self.refresh_screens()
        return changed

    def refresh_screens(self) -> None:
        for screen in self.screen_stack:
            changed = getattr(screen, "session_changed", None)
            if changed is not None and screen.is_mounted:
                changed()

    def retry_save(self) -> None:
        if self.workshop.retry_save():
            self.refresh_screens()

    def goto_phase(self, phase: str) -> None:
        from atelier.screens.base import PhaseScreen

        if self.handle is None:
            return
        self.workshop.enter_phase(phase)
        if isinstance(self.screen, PhaseScreen):
            self.switch_screen(phase_screen(phase))
        else:
            self.push_screen(phase_screen(phase))

    def action_undo(self) -> None:
        self._replay(undo=True)

    def action_redo(self) -> None:
        self._replay(undo=False)

    def _replay(self, undo: bool) -> None:
        """Undo or redo, then show what changed: go to the phase that shows it (an action
        undone from ideation opens the action plan) and let the screen select it."""
        from atelier.screens.base import PhaseScreen

        changed = self.workshop.replay(undo)
        if changed is None:
            return
        self.refresh_screens()
        screen = self.screen
        if not isinstance(screen, PhaseScreen):
            return
        phase = phase_of_change(*changed, screen.PHASE)
        if phase != screen.PHASE:
            self.goto_phase(phase)
            screen = self.screen  # the new phase's screen, mounted before it runs the reveal
        reveal = getattr(screen, "show_replayed", None)
        if reveal is not None:
            screen.call_later(reveal, *changed)


def create_app(sessions_dir: Path, lang: str | None = None, **options: Any) -> AtelierApp:
    """The one factory used by the CLI, the tests and the snapshots (``options``: see
    :class:`AtelierApp`)."""
    install_paste_parser()
    config = load_config()
    language = i18n.detect_language(lang, config.lang)
    i18n.set_language(language)
    return AtelierApp(
        Path(sessions_dir), language, keymap=config.keymap, theme=config.theme, **options
    )
