"""The Textual app: wiring of screens, global keys, one path for every change.

screen → :meth:`AtelierApp.apply` (named operation) → store (saved on disk) → screen refresh.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from atelier import i18n, model
from atelier.config import load_config, save_theme
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import PHASES, Session
from atelier.store import OpenSession, SaveFailed, SessionFolder, SessionLocked, diff_sessions
from atelier.widgets.fields import install_paste_parser
from atelier.widgets.guard import Guarded
from atelier.widgets.keyorder import KeysInOrder

SCREEN_CLASSES = {
    "setup": "setup.SetupScreen",
    "rules": "rules.RulesScreen",
    "ideation": "ideation.IdeationScreen",
    "clustering": "clustering.ClusteringScreen",
    "vote": "vote.VoteScreen",
    "results": "results.ResultsScreen",
    "actions": "actions.ActionsScreen",
    "summary": "summary.SummaryScreen",
}


#: the phases whose screen shows a collection, the first one being its home.
SHOWN_IN: dict[str, tuple[str, ...]] = {
    "participants": ("setup", "ideation"),
    "rules": ("rules",),
    "ideas": ("ideation", "clustering"),
    "clusters": ("clustering", "vote", "results"),
    "rounds": ("vote", "results"),
    "ballots": ("vote", "results"),
    "actions": ("actions",),
}


def replayed_item(changes: list[list[Any]]) -> tuple[str | None, Any]:
    """The record an undo or redo changed ((table, id)), one it restored or removed first
    (undoing a merge shows the idea that comes back), or the meta key it changed."""
    records = [change for change in changes if change[0] != "meta"]
    for table, key, before, after in records:
        if before is None or after is None:
            return table, key
    for table, key, _before, _after in records:
        return table, key
    for _table, key, _before, _after in changes:
        if key not in ("seq", "phase") and not str(key).startswith("seq."):
            return "meta", key
    return None, None


def phase_of_change(table: str | None, key: Any, current: str) -> str:
    """The phase to show after an undo: the current one when it shows the change."""
    if table in SHOWN_IN:
        phases = SHOWN_IN[table]
        return current if current in phases else phases[0]
    if table == "meta":
        parts = str(key).split(".")
        if parts[0] == "phases" and len(parts) > 2 and parts[1] in PHASES:
            return "setup" if parts[2] == "planned_minutes" else parts[1]
        if parts[0] == "vote":
            return current if current in ("vote", "results") else "vote"
        if parts[0] == "rules_adopted_at":
            return "rules"
        return "setup"
    return current


def phase_screen(phase: str) -> Screen:  # type: ignore[type-arg]
    """A fresh screen for a phase (state lives in the session, so screens are cheap)."""
    module_name, class_name = SCREEN_CLASSES[phase].split(".")
    module = importlib.import_module(f"atelier.screens.{module_name}")
    return getattr(module, class_name)()


class AtelierApp(Guarded, KeysInOrder, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "atelier"
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

    def __init__(
        self,
        sessions_dir: Path,
        lang: str,
        *,
        open_session: str | None = None,
        read_only: bool = False,
        templates_dir: Path | None = None,
        keymap: dict[str, str] | None = None,
        theme: str | None = None,
        phones: tuple[str | None, int | None] | None = None,
    ) -> None:
        super().__init__()
        if theme == "light":
            self.theme = "textual-light"
        self.folder = SessionFolder(sessions_dir)
        self.lang = lang
        self.templates_dir = templates_dir
        self.handle: OpenSession | None = None
        self.unexpected_errors: list[BaseException] = []
        self._initial = (open_session, read_only)
        self._keymap_overrides = keymap or {}
        self.phones: Any = None  # screens.join.PhonesLink while phones are switched on
        self._phones_at_start = phones  # --phones [--bind ADDR] [--port N]
        from atelier.screens.base import translate_bindings

        translate_bindings(self)

    # ---- state
    @property
    def session(self) -> Session:
        if self.handle is None:
            raise AtelierError(_("No session is open."))
        return self.handle.session

    @property
    def read_only(self) -> bool:
        return self.handle is not None and self.handle.readonly

    @property
    def unsaved(self) -> bool:
        return self.handle is not None and self.handle.dirty

    # ---- start and stop
    def get_default_screen(self) -> Screen:  # type: ignore[type-arg]
        """The sessions list is the bottom of the stack (no extra blank screen under it)."""
        from atelier.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        if self._keymap_overrides:
            self.set_keymap(self._keymap_overrides)
        self.set_interval(3.0, self.retry_save)
        session_id, read_only = self._initial
        if session_id:
            self.open_session(session_id, read_only=read_only)
        if self._phones_at_start and self.handle is not None:
            from atelier.screens.join import switch_on

            self.call_later(switch_on, self, *self._phones_at_start)

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
            self.handle = self.folder.open(session_id, readonly=read_only)
        except SessionLocked as error:

            def view(answer: bool | None) -> None:
                if answer:
                    self.open_session(session_id, read_only=True)

            self.push_screen(ConfirmDialog(_("Open it read-only?"), error.message), view)
            return
        except AtelierError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        if self.handle.session.lang != self.lang:
            self.notify(_("This session is in another language; its report will use it."))
        phase = self.handle.session.phase
        if not self.handle.readonly:  # the time spent in the phase counts from now
            self.apply(model.set_phase, phase, refresh=False)
        self.push_screen(phase_screen(phase))

    def close_session(self) -> None:
        if self.phones is not None:  # phones follow the open session: off with it
            self.run_worker(self.switch_phones_off(), exit_on_error=False)
        if self.handle is not None:
            if not self.handle.readonly:
                for phase in PHASES:
                    if self.handle.session.timing(phase).running:
                        self.apply(model.timer_pause, phase, refresh=False)
                self.apply(model.leave_phase, refresh=False)
            self.handle.close()
            self.handle = None

    # ---- the one path for changes
    def apply(
        self, operation: model.Operation, *args: Any, refresh: bool = True, **kwargs: Any
    ) -> bool:
        """Run a named operation through the store; refused input becomes a message.

        Returns True when the session changed (saved, or kept in memory marked unsaved)."""
        if self.handle is None:
            return False
        was_saved = not self.handle.dirty
        try:
            self.handle.apply(operation, *args, **kwargs)
        except SaveFailed as error:
            # the screen's « NOT SAVED » marker stays until a retry succeeds; say why once
            if was_saved:
                self.notify(error.message, severity="error", timeout=10)
        except AtelierError as error:
            self.notify(error.message, severity="warning", timeout=6)
            return False
        if refresh:
            self.refresh_screens()
        return True

    def refresh_screens(self) -> None:
        for screen in self.screen_stack:
            changed = getattr(screen, "session_changed", None)
            if changed is not None and screen.is_mounted:
                changed()

    def retry_save(self) -> None:
        if self.handle is None or not self.handle.dirty:
            return
        try:
            self.handle.retry_save()
        except AtelierError:
            return
        self.notify(_("Saved."))
        self.refresh_screens()

    def goto_phase(self, phase: str) -> None:
        if self.handle is None:
            return
        current = self.handle.session.phase
        if not self.read_only:
            if current != phase and self.session.timing(current).running:
                self.apply(model.timer_pause, current, refresh=False)
            self.apply(model.set_phase, phase, refresh=False)
        from atelier.screens.base import PhaseScreen

        if isinstance(self.screen, PhaseScreen):
            self.switch_screen(phase_screen(phase))
        else:
            self.push_screen(phase_screen(phase))

    # ---- global actions
    def action_undo(self) -> None:
        self._replay(undo=True)

    def action_redo(self) -> None:
        self._replay(undo=False)

    def _replay(self, undo: bool) -> None:
        if self.handle is None:
            return
        before = self.handle.session
        try:
            label = self.handle.undo() if undo else self.handle.redo()
        except SaveFailed as error:
            self.notify(error.message, severity="error", timeout=10)
            label = ""
        except AtelierError as error:
            self.notify(error.message, severity="warning")
            return
        if label is None:
            self.notify(_("Nothing to undo.") if undo else _("Nothing to redo."))
            return
        if label:
            template = _("Undone: {action}.") if undo else _("Redone: {action}.")
            self.notify(template.format(action=_(label)))
        self.refresh_screens()
        self._show_replayed(*replayed_item(diff_sessions(before, self.handle.session)))

    def _show_replayed(self, table: str | None, key: int | None) -> None:
        """Show what ctrl+z / ctrl+y changed: go to the phase that shows it (an action undone
        from ideation opens the action plan) and let the screen select it."""
        from atelier.screens.base import PhaseScreen

        screen = self.screen
        if not isinstance(screen, PhaseScreen):
            return
        phase = phase_of_change(table, key, screen.PHASE)
        if phase != screen.PHASE:
            self.goto_phase(phase)
            screen = self.screen  # the new phase's screen, mounted before it runs the reveal
        reveal = getattr(screen, "show_replayed", None)
        if reveal is not None:
            screen.call_later(reveal, table, key)

    def _confirm_leaving(self, then: Any) -> None:
        """Leaving with a change that could not be saved: try once more, else ask first."""
        from atelier.screens.dialogs import ConfirmDialog

        if self.handle is not None and self.handle.dirty:
            try:
                self.handle.retry_save()
            except AtelierError:
                pass
        if self.handle is None or not self.handle.dirty:
            then()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                then()

        self.push_screen(
            ConfirmDialog(
                _("The last changes could not be saved."),
                _(
                    "Free some disk space or make the folder writable, then try again. "
                    "Leave anyway and lose them?"
                ),
            ),
            answered,
        )

    async def action_quit(self) -> None:
        self._confirm_leaving(self.exit)

    def action_home(self) -> None:
        self._confirm_leaving(self._go_home)

    def _go_home(self) -> None:
        from atelier.screens.home import HomeScreen

        self.close_session()
        while len(self.screen_stack) > 1 or not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.refresh_bindings()

    SESSION_ACTIONS = frozenset(
        {"recall_rules", "projector", "undo", "redo", "home", "park", "phones"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without an open session these keys mean nothing: hidden from the footer."""
        if action in self.SESSION_ACTIONS and self.handle is None:
            return False
        return True

    def action_help(self) -> None:
        from atelier.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_recall_rules(self) -> None:
        from atelier.screens.projector import RulesRecallScreen

        if self.handle is None:
            return
        if isinstance(self.screen, RulesRecallScreen):
            self.pop_screen()
        else:
            self.push_screen(RulesRecallScreen())

    def action_park(self) -> None:
        """Put an off-topic point (or a note, a quote) aside for the report, from any phase."""
        from atelier.screens.notes import NoteDialog

        if self.handle is None or isinstance(self.screen, NoteDialog):
            return

        def kept(answer: tuple[str, str] | None) -> None:
            if answer and self.apply(model.add_note, *answer):
                self.notify(_("Kept for the report. ctrl+z to undo."))

        self.push_screen(NoteDialog(), kept)

    async def action_phones(self) -> None:
        from atelier.screens.join import phones_key

        if self.handle is not None:
            await phones_key(self)

    def action_projector(self) -> None:
        from atelier.screens.projector import ProjectorScreen

        if self.handle is None:
            return
        if isinstance(self.screen, ProjectorScreen):
            self.pop_screen()
        else:
            self.push_screen(ProjectorScreen(self.session.phase))

    # ---- command palette: every key of the screen, by name
    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder in the interface language."""
        from textual.command import CommandPalette

        from atelier.screens.palette import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        seen: set[str] = set()
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
        if self.handle is not None:
            from atelier.screens.summary import print_paper

            yield SystemCommand(
                _("Print ballots or idea cards"),
                _("Paper for a room without screens, from any phase"),
                lambda: print_paper(self),
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

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Messages often quote the room's words (« [/] »): never parse them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ---- never a traceback
    def report_unexpected(self, error: BaseException) -> None:
        """An unexpected error: logged, shown readably; the data is already on disk."""
        self.unexpected_errors.append(error)
        log = _log_error(error)
        self.notify(
            (
                _("Unexpected error ({kind}). The last changes are not saved yet: retrying.")
                if self.unsaved
                else _("Unexpected error ({kind}). Nothing is lost: everything is saved.")
            ).format(kind=type(error).__name__)
            + (" " + _("Details: {file}").format(file=log) if log else ""),
            severity="error",
            timeout=10,
        )

    def _handle_exception(self, error: Exception) -> None:
        if self.is_headless:  # tests want to see the failure
            super()._handle_exception(error)
            return
        log = _log_error(error)
        self.unexpected_errors.append(error)
        message = _(
            "atelier stopped after an unexpected error ({kind}); everything "
            "saved so far is on disk."
        ).format(kind=type(error).__name__)
        if log:
            message += " " + _("Details: {file}").format(file=log)
        self.exit(1, return_code=1, message=message)


def _runner(node: Any, action: str) -> Any:
    async def run() -> None:
        await node.run_action(action)

    return run


def _log_error(error: BaseException) -> str:
    """Append the traceback to the user log folder; returns its path ('' if impossible)."""
    try:
        from platformdirs import user_log_path

        path = user_log_path("atelier") / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)) + "\n")
        return str(path)
    except OSError:
        return ""


def create_app(
    sessions_dir: Path,
    lang: str | None = None,
    *,
    open_session: str | None = None,
    read_only: bool = False,
    templates_dir: Path | None = None,
    phones: tuple[str | None, int | None] | None = None,
) -> AtelierApp:
    """The one factory used by the CLI, the tests and the snapshots."""
    install_paste_parser()
    config = load_config()
    language = i18n.detect_language(lang, config.lang)
    i18n.set_language(language)
    return AtelierApp(
        Path(sessions_dir),
        language,
        open_session=open_session,
        read_only=read_only,
        templates_dir=templates_dir,
        keymap=config.keymap,
        theme=config.theme,
        phones=phones,
    )
