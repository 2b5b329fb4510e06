"""What every workshop screen shares: phase bar, timer, save status, footer, global keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from atelier import model
from atelier.i18n import N_, _
from atelier.model import PHASE_LABELS, PHASES
from atelier.widgets.footer import KeyFooter
from atelier.widgets.guard import Guarded
from atelier.widgets.phasebar import PhaseBar
from atelier.widgets.text import show
from atelier.widgets.timer import PhaseTimer
from atelier.widgets.typography import keep_no_break_spaces

from .bindings import translate_bindings

if TYPE_CHECKING:
    from atelier.model import Session
    from atelier.screens.host import AppHost

keep_no_break_spaces()


class AtelierScreen(Guarded, Screen):  # type: ignore[type-arg]
    """A screen whose key descriptions are translated."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)

    @property
    def atelier(self) -> AppHost:
        return self.app  # type: ignore[return-value]


class PhaseScreen(AtelierScreen):
    """One phase of the workshop. Subclasses set ``PHASE`` and compose ``compose_body``;
    they redraw from the session in ``refresh_view`` after every saved change."""

    PHASE = "setup"
    COMMON_KEYS = ("f7", "f8", "f9", "f4", "f5", "f6")
    BINDINGS = [
        Binding("f7", "previous_phase", N_("Previous phase"), id="previous_phase"),
        Binding("f8", "next_phase", N_("Next phase"), id="next_phase"),
        Binding("f9", "choose_phase", N_("Phases"), show=False, id="choose_phase"),
        Binding("f4", "timer_toggle", N_("Timer"), id="timer_toggle"),
        Binding("f5", "timer_add", N_("+1 min"), show=False, id="timer_add_minute"),
        Binding("f6", "timer_reset", N_("Reset timer"), show=False, id="timer_reset"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        mapping = self._bindings.key_to_bindings
        for key in self.COMMON_KEYS:  # the phase's own keys first in the footer
            if key in mapping:
                mapping[key] = mapping.pop(key)

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield PhaseBar(self.PHASE, id="phasebar")
            yield Static(id="save-status")
            yield PhaseTimer(lambda: self.session.timing(self.PHASE), id="timer")
        yield from self.compose_body()
        yield KeyFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def session(self) -> Session:
        return self.atelier.session

    def on_mount(self) -> None:
        self.title = self.session.title
        self.sub_title = _(PHASE_LABELS[self.PHASE])
        self.show_save_status()
        self.refresh_view()

    def session_changed(self) -> None:
        """Called by the app after every change that reached the disk (or failed to)."""
        self.show_save_status()
        self.query_one(PhaseTimer).sync()
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw the phase's content from ``self.session``."""

    def show_save_status(self) -> None:
        status = self.query_one("#save-status", Static)
        if self.atelier.read_only:
            show(status, Content.styled(" " + _("read-only") + " ", "reverse"))
        elif self.atelier.unsaved:
            show(status, Content.styled(" " + _("NOT SAVED, retrying…") + " ", "bold reverse"))
        else:
            show(status, Content(""))

    # ---- phase navigation
    def action_previous_phase(self) -> None:
        index = PHASES.index(self.PHASE)
        if index > 0:
            self.atelier.goto_phase(PHASES[index - 1])

    def action_next_phase(self) -> None:
        index = PHASES.index(self.PHASE)
        if index < len(PHASES) - 1:
            self.atelier.goto_phase(PHASES[index + 1])

    def action_choose_phase(self) -> None:
        from .dialogs import Choice, PickerDialog

        choices = [
            Choice(phase, f"{number}. {_(PHASE_LABELS[phase])}")
            for number, phase in enumerate(PHASES, start=1)
        ]

        def chosen(phase: str | None) -> None:
            if phase:
                self.atelier.goto_phase(phase)

        self.app.push_screen(PickerDialog(_("Go to phase"), choices, by_number=True), chosen)

    # ---- timer
    def action_timer_toggle(self) -> None:
        timing = self.session.timing(self.PHASE)
        operation = model.timer_pause if timing.running else model.timer_start
        self.atelier.apply(operation, self.PHASE)

    def action_timer_add(self) -> None:
        self.atelier.apply(model.timer_add_minute, self.PHASE)

    def action_timer_reset(self) -> None:
        self.atelier.apply(model.timer_reset, self.PHASE)
