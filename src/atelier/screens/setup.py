"""Setup: title, question, facilitator, date, participants, durations, vote settings.

A field is saved when the facilitator presses Enter or leaves it; refused values are
explained and stay in the field so they can be corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, OptionList, Select, Switch
from textual.widgets.option_list import Option

from atelier import i18n, model, voting
from atelier.i18n import N_, _, get_language, plural
from atelier.model import PHASE_LABELS, PHASES
from atelier.widgets.fields import TextField

from .base import PhaseScreen
from .dialogs import TextPrompt

VOTE_METHOD_LABELS = {"dot": N_("Dot voting"), "mj": N_("Majority judgment")}
VOTE_TARGET_LABELS = {"clusters": N_("Clusters"), "ideas": N_("Ideas")}
VOTE_MODE_LABELS = {"tally": N_("Paper tally"), "ballot": N_("Secret ballot on this computer")}


def _setup(field: str) -> Callable[[str], tuple[model.Operation, tuple[Any, ...], dict]]:
    return lambda value: (model.update_setup, (), {field: value})


def _minutes(phase: str) -> Callable[[str], tuple[model.Operation, tuple[Any, ...], dict]]:
    return lambda value: (model.set_planned_minutes, (phase, value), {})


def _grades(value: str) -> tuple[model.Operation, tuple[Any, ...], dict]:
    """ "Excellent, Bien, Passable" (best first) → the majority-judgment scale."""
    grades = [g.strip() for g in value.split(",") if g.strip()]
    return model.configure_vote, (), {"grades": grades}


def _vote(field: str) -> Callable[[str], tuple[model.Operation, tuple[Any, ...], dict]]:
    def build(value: str) -> tuple[model.Operation, tuple[Any, ...], dict]:
        parsed: Any = value.strip() or None
        return model.configure_vote, (), {field: parsed}

    return build


class SetupScreen(PhaseScreen):
    PHASE = "setup"
    BINDINGS = [
        Binding("delete", "remove_participant", N_("Remove participant"), id="setup_remove"),
        Binding("ctrl+r", "rename_participant", N_("Rename participant"), id="setup_rename"),
    ]

    def _field_value(self, field_id: str) -> str:
        s = self.session
        values: dict[str, str] = {
            "f-title": s.title,
            "f-question": s.question,
            "f-facilitator": s.facilitator,
            "f-date": i18n.format_date(s.date, "fr"),
            "f-place": s.place,
            "f-start": s.start_time,
            "f-end": s.end_time,
            "f-next": s.next_meeting,
            "f-count": str(s.participant_count),
            "f-closing": s.closing_message,
            "f-dots": str(s.vote.dots_per_voter or ""),
            "f-cap": str(s.vote.max_per_option),
            "f-grades": ", ".join(model.grades_for(s)),
        }
        for phase in PHASES:
            values[f"m-{phase}"] = str(s.timing(phase).planned_minutes)
        return values.get(field_id, "")

    def _savers(self) -> dict[str, Callable[[str], tuple[model.Operation, tuple[Any, ...], dict]]]:
        savers = {
            "f-title": _setup("title"),
            "f-question": _setup("question"),
            "f-facilitator": _setup("facilitator"),
            "f-date": _setup("date"),
            "f-place": _setup("place"),
            "f-start": _setup("start_time"),
            "f-end": _setup("end_time"),
            "f-next": _setup("next_meeting"),
            "f-count": _setup("participant_count"),
            "f-closing": _setup("closing_message"),
            "f-dots": _vote("dots_per_voter"),
            "f-cap": _vote("max_per_option"),
            "f-grades": _grades,
        }
        savers.update({f"m-{p}": _minutes(p) for p in PHASES})
        return savers

    def compose_body(self) -> ComposeResult:
        s = self.session
        with VerticalScroll(id="setup-form"):
            yield Label(Content.styled(_("The workshop"), "bold"), classes="section")
            yield from self._row(_("Title"), "f-title")
            yield from self._row(_("Question for the group"), "f-question")
            yield from self._row(_("Facilitator"), "f-facilitator")
            yield from self._row(_("Date (25/11/2026)"), "f-date")
            yield from self._row(_("Start time (9:30)"), "f-start")
            yield from self._row(_("End time (12:00)"), "f-end")
            yield from self._row(_("Place"), "f-place")
            yield from self._row(_("Next meeting / follow-up"), "f-next")
            with Horizontal(classes="field"):
                yield Label(_("Language of the session"), classes="field-label")
                yield Select(
                    [("Français", "fr"), ("English", "en")],
                    value=s.lang,
                    allow_blank=False,
                    compact=True,
                    id="s-lang",
                )
            yield from self._row(_("Closing message"), "f-closing")

            yield Label(Content.styled(_("Participants"), "bold"), classes="section")
            with Horizontal(classes="field"):
                yield Label(_("Anonymous (only a count)"), classes="field-label")
                yield Switch(value=s.anonymous, id="s-anonymous")
            yield from self._row(_("Number of participants"), "f-count")
            with Horizontal(classes="field", id="participant-add"):
                yield Label(_("Add a participant"), classes="field-label")
                yield TextField(placeholder=_("Name, then Enter"), id="p-new", compact=True)
            yield OptionList(id="participants")

            yield Label(Content.styled(_("Planned minutes per phase"), "bold"), classes="section")
            with Grid(id="minutes"):
                for phase in PHASES:
                    yield Label(_(PHASE_LABELS[phase]), classes="minute-label")
                    yield Input(
                        self._field_value(f"m-{phase}"),
                        id=f"m-{phase}",
                        max_length=3,
                        restrict=r"\d*",
                        compact=True,
                    )

            yield Label(Content.styled(_("Vote"), "bold"), classes="section")
            yield from self._select(_("Method"), "v-method", VOTE_METHOD_LABELS, s.vote.method)
            yield from self._select(_("Vote on"), "v-target", VOTE_TARGET_LABELS, s.vote.target)
            yield from self._select(_("Collect"), "v-mode", VOTE_MODE_LABELS, s.vote.mode)
            yield from self._row(_("Dots per voter (empty: automatic)"), "f-dots")
            yield from self._row(_("At most dots on one option"), "f-cap")
            yield from self._row(_("Grades, best first, separated by commas"), "f-grades")
            yield Label(id="vote-hint", classes="hint")

    def _row(self, label: str, field_id: str) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield TextField(self._field_value(field_id), id=field_id, compact=True)

    def _select(
        self, label: str, select_id: str, labels: dict[str, str], value: str
    ) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield Select(
                [(_(text), key) for key, text in labels.items()],
                value=value,
                allow_blank=False,
                compact=True,
                id=select_id,
            )

    def on_mount(self) -> None:
        super().on_mount()
        # A new session has its title: the question is what the facilitator types next.
        self.query_one("#f-question" if not self.session.question else "#f-title").focus()

    def refresh_view(self) -> None:
        s = self.session
        for field_id in self._savers():
            field = self.query_one(f"#{field_id}", Input)
            if not field.has_focus:
                field.value = self._field_value(field_id)
        people = self.query_one("#participants", OptionList)
        highlighted = people.highlighted
        people.set_options(Option(Content(p.name), id=str(p.id)) for p in s.participants)
        if s.participants:
            people.highlighted = min(highlighted or 0, len(s.participants) - 1)
        people.display = not s.anonymous
        self.query_one("#participant-add").display = not s.anonymous
        self.query_one("#f-count").parent.display = s.anonymous  # type: ignore[union-attr]
        grades = model.grades_for(s)
        options = len(s.vote_options())
        dots = s.vote.dots_per_voter or voting.default_dots_per_voter(options)
        hint = (
            plural(
                get_language(),
                options,
                _("{dots} dots per voter, at most {cap} on one option ({count} option now)."),
                _("{dots} dots per voter, at most {cap} on one option ({count} options now)."),
                dots=dots,
                cap=s.vote.max_per_option,
            )
            if s.vote.method == "dot"
            else _("Grades: {grades}.").format(grades=", ".join(grades))
        )
        self.query_one("#vote-hint", Label).update(Content(hint))

    # ---- saving fields
    def _save(self, field: Input) -> None:
        saver = self._savers().get(field.id or "")
        if saver is None or self.atelier.read_only:
            return
        if field.value.strip() == self._field_value(field.id or "").strip():
            return
        operation, args, kwargs = saver(field.value)
        if self.atelier.apply(operation, *args, **kwargs):
            field.remove_class("-invalid")
        else:
            field.add_class("-invalid")

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "p-new":
            if event.value.strip() and self.atelier.apply(model.add_participant, event.value):
                event.input.value = ""
            return
        self._save(event.input)
        self.focus_next()

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        if event.input.id != "p-new":
            self._save(event.input)

    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        if self.atelier.read_only or event.value is Select.NULL:
            return
        if event.select.id == "s-lang" and event.value != self.session.lang:
            self.atelier.apply(model.update_setup, lang=str(event.value))
        field = {"v-method": "method", "v-target": "target", "v-mode": "mode"}.get(
            event.select.id or ""
        )
        if field and getattr(self.session.vote, field) != event.value:
            change: dict[str, Any] = {field: str(event.value)}
            self.atelier.apply(model.configure_vote, **change)

    @on(Switch.Changed)
    def anonymous_changed(self, event: Switch.Changed) -> None:
        if not self.atelier.read_only and event.value != self.session.anonymous:
            self.atelier.apply(model.update_setup, anonymous=event.value)

    # ---- participants
    def _highlighted_participant(self) -> int | None:
        people = self.query_one("#participants", OptionList)
        if people.highlighted is None or not people.option_count:
            return None
        return int(people.get_option_at_index(people.highlighted).id or 0)

    def action_remove_participant(self) -> None:
        if self.focused is not self.query_one("#participants"):
            return
        person_id = self._highlighted_participant()
        if person_id is not None and self.atelier.apply(model.remove_participant, person_id):
            self.notify(_("Participant removed; their ideas are kept. ctrl+z to undo."))

    def action_rename_participant(self) -> None:
        person_id = self._highlighted_participant()
        if person_id is None:
            return
        current = self.session.participant(person_id).name

        def renamed(name: str | None) -> None:
            if name is not None:
                self.atelier.apply(model.rename_participant, person_id, name)

        self.app.push_screen(TextPrompt(_("New name"), current), renamed)
