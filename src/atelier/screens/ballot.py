"""Secret ballot: the laptop goes round the room, one voter at a time.

The ballot covers the whole terminal and carries no facilitator key (a modal screen cuts
off the app's keys; the command palette is switched off while a voter has the computer).
Each voter starts from a blank ballot, confirms it, and a neutral screen waits for the
next person: nothing of a previous ballot is ever on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from atelier import model
from atelier.i18n import N_, _
from atelier.model import VoteRound
from atelier.widgets.charts import fitted, grade_colour, one_line
from atelier.widgets.guard import Guarded

from .bindings import translate_bindings
from .dialogs import Choice, ConfirmDialog, Dialog, PickerDialog
from .rounds import option_name, round_title

if TYPE_CHECKING:
    from atelier.screens.host import AppHost


def start_ballot(app: AppHost, round_id: int, *, replace: bool = False) -> None:
    """Open a blank ballot; in a named session, first ask who votes (not those who did).

    ``replace`` swaps the top screen (the neutral screen) for the ballot."""
    session = app.session
    show = app.switch_screen if replace else app.push_screen
    if session.anonymous or not session.participants:
        show(BallotScreen(round_id))
        return
    voted = set(session.round(round_id).voted)
    waiting = [p for p in session.participants if p.id not in voted]
    if not waiting:
        app.notify(_("Everyone on the list has voted."))
        if replace:  # back from the neutral screen to the facilitator
            app.pop_screen()
        return

    def chosen(key: str | None) -> None:
        if key is not None:
            show(BallotScreen(round_id, int(key)))

    app.push_screen(
        PickerDialog(_("Who is voting?"), [Choice(str(p.id), p.name) for p in waiting]), chosen
    )


class VoterScreen(Guarded, ModalScreen):  # type: ignore[type-arg]
    """A full, opaque screen handed to a voter: only its own keys work."""

    DEFAULT_CSS = """
    VoterScreen { background: $background; align: center top; }
    """

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def atelier(self) -> AppHost:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.app.use_command_palette = False
        self.app.clear_notifications()  # the facilitator's messages are not for voters

    def on_unmount(self) -> None:
        others = [s for s in self.app.screen_stack if isinstance(s, VoterScreen) and s is not self]
        self.app.use_command_palette = not others


class BallotScreen(VoterScreen):
    """One voter's ballot: dots to place, or a grade for every option."""

    DEFAULT_CSS = """
    BallotScreen > Vertical { width: 100%; max-width: 110; height: 1fr; padding: 1 2; }
    BallotScreen #ballot-heading { text-style: bold; }
    BallotScreen #ballot-help { color: $text-muted; margin-bottom: 1; }
    BallotScreen #ballot-counter { text-style: bold; margin-bottom: 1; }
    BallotScreen #ballot-options { height: 1fr; }
    BallotScreen #ballot-status { height: auto; min-height: 1; color: $warning; }
    BallotScreen #ballot-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("right,plus", "more", N_("Add a dot / better grade"), id="ballot_more"),
        Binding("left,minus", "less", N_("Remove a dot / lower grade"), id="ballot_less"),
        Binding("enter", "review", N_("Review and confirm"), id="ballot_review"),
        Binding("escape", "cancel", N_("Cancel this ballot"), id="ballot_cancel"),
    ]

    def __init__(self, round_id: int, voter_id: int | None = None) -> None:
        super().__init__()
        self.round_id = round_id
        self.voter_id = voter_id
        self.marks: dict[str, int | None] = {}

    @property
    def round(self) -> VoteRound:
        return self.atelier.session.round(self.round_id)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="ballot-heading")
            yield Static(id="ballot-help")
            yield Static(id="ballot-counter")
            yield OptionList(id="ballot-options")
            yield Static(id="ballot-status")
            yield Static(id="ballot-keys")

    def on_mount(self) -> None:
        super().on_mount()
        session = self.atelier.session
        vote_round = self.round
        self.marks = {
            key: (0 if vote_round.method == "dot" else None) for key in vote_round.options
        }
        heading = [(_("Secret ballot") + " — " + round_title(session, vote_round), "bold")]
        parts: list[Any] = heading
        if self.voter_id is not None:
            parts = [*heading, " — ", session.participant(self.voter_id).name]
        self.query_one("#ballot-heading", Static).update(Content.assemble(*parts))
        self.query_one("#ballot-help", Static).update(self._help(vote_round))
        options = self.query_one("#ballot-options", OptionList)
        options.add_options(Option(self._prompt(key), id=key) for key in vote_round.options)
        if options.option_count:
            options.highlighted = 0
        options.focus()
        self.query_one("#ballot-keys", Static).update(self._keys(vote_round))
        self._show_counter()

    # ---- text
    def _help(self, vote_round: VoteRound) -> Content:
        if vote_round.method == "dot":
            return Content(
                _(
                    "Dots to place: {dots}. Put them on the options you prefer; "
                    "at most {cap} on one option."
                ).format(dots=vote_round.dots_per_voter, cap=vote_round.max_per_option)
            )
        grades = vote_round.grades
        scale = Content("  ").join(
            Content.assemble((f"{n}", "bold"), " ", (one_line(g), grade_colour(n - 1, len(grades))))
            for n, g in enumerate(grades, start=1)
        )
        rule = _(
            "Give each option a grade. An option left without a grade counts as “{grade}”."
        ).format(grade=one_line(grades[-1]))
        return Content.assemble(rule, "\n", scale)

    def _keys(self, vote_round: VoteRound) -> Content:
        if vote_round.method == "dot":
            text = _("↑↓: option · → or +: add a dot · ← or -: remove a dot")
        else:
            text = _(
                "↑↓: option · →: better grade · ←: lower grade · 1–{n}: grade by number"
            ).format(n=min(9, len(vote_round.grades)))
        return Content(text + " · " + _("Enter: review and confirm · Escape: cancel"))

    def _dots_left(self) -> int:
        vote_round = self.round
        return vote_round.dots_per_voter - sum(v or 0 for v in self.marks.values())

    def _show_counter(self) -> None:
        vote_round = self.round
        if vote_round.method == "dot":
            text = _("Dots left: {left} of {dots}").format(
                left=self._dots_left(), dots=vote_round.dots_per_voter
            )
        else:
            graded = sum(1 for v in self.marks.values() if v is not None)
            text = _("Options graded: {graded} of {count}").format(
                graded=graded, count=len(self.marks)
            )
        self.query_one("#ballot-counter", Static).update(Content(text))

    def _prompt(self, key: str) -> Content:
        vote_round = self.round
        label = one_line(option_name(self.atelier.session, key))
        value = self.marks.get(key)
        if vote_round.method == "dot":
            count = value or 0
            cap = vote_round.max_per_option
            if cap <= 10:
                dots = "●" * count + "○" * (cap - count)
            else:
                dots = f"{count:>3} ●"
            return Content.assemble((dots, "bold" if count else "dim"), "  ", label)
        grades = vote_round.grades
        width = max(len(one_line(g)) for g in (*grades, _("not graded")))
        if value is None:
            shown = (_("not graded").ljust(width), "dim")
        else:
            position = len(grades) - 1 - value  # value counts from the worst
            shown = (
                one_line(grades[position]).ljust(width),
                f"bold {grade_colour(position, len(grades))}",
            )
        return Content.assemble(shown, "  ", label)

    def _say(self, text: str) -> None:
        self.query_one("#ballot-status", Static).update(Content(text))

    # ---- editing
    def _highlighted(self) -> tuple[int, str] | None:
        options = self.query_one("#ballot-options", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return options.highlighted, str(option.id)

    def _set(self, index: int, key: str, value: int | None) -> None:
        self.marks[key] = value
        self.query_one("#ballot-options", OptionList).replace_option_prompt_at_index(
            index, self._prompt(key)
        )
        self._show_counter()

    def action_more(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, key = found
        vote_round = self.round
        value = self.marks.get(key)
        if vote_round.method == "dot":
            count = value or 0
            if count >= vote_round.max_per_option:
                self._say(
                    _("This option already has the most dots allowed ({cap}).").format(
                        cap=vote_round.max_per_option
                    )
                )
                return
            if self._dots_left() <= 0:
                self._say(_("No dots left: take one back from another option first (←)."))
                return
            self._say("")
            self._set(index, key, count + 1)
            return
        top = len(vote_round.grades) - 1
        self._say("")
        self._set(index, key, 0 if value is None else min(top, value + 1))

    def action_less(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, key = found
        value = self.marks.get(key)
        self._say("")
        if self.round.method == "dot":
            if value:
                self._set(index, key, value - 1)
            return
        if value is not None:
            self._set(index, key, None if value == 0 else value - 1)

    def on_key(self, event: Key) -> None:
        """Digits pick a grade directly: 1 is the best grade, as listed above."""
        if not event.character or not event.character.isdigit() or self.round.method != "mj":
            return
        number = int(event.character)
        grades = self.round.grades
        found = self._highlighted()
        if found is None or not 1 <= number <= len(grades):
            return
        event.stop()
        index, key = found
        self._say("")
        self._set(index, key, len(grades) - number)

    @on(OptionList.OptionSelected, "#ballot-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_review()

    # ---- confirming or cancelling
    def _choices(self) -> Content:
        session = self.atelier.session
        vote_round = self.round
        lines: list[Content] = []
        if vote_round.method == "dot":
            for key in vote_round.options:
                count = self.marks.get(key) or 0
                if count:
                    lines.append(
                        Content.assemble(
                            (f"{count} ● ", "bold"), one_line(option_name(session, key))
                        )
                    )
            if not lines:
                lines.append(Content.styled(_("No dot placed: a blank ballot."), "bold"))
            left = self._dots_left()
            if left > 0:
                lines.append(
                    Content.styled(_("Dots left unused: {left}.").format(left=left), "italic")
                )
        else:
            grades = vote_round.grades
            shown = {
                key: _("not graded") + " → " + one_line(grades[-1])
                if value is None
                else one_line(grades[len(grades) - 1 - value])
                for key, value in self.marks.items()
            }
            width = max((Content(text).cell_length for text in shown.values()), default=0)
            for key in vote_round.options:
                lines.append(
                    Content.assemble(
                        (fitted(shown[key], width).plain, "bold"),
                        "  ",
                        one_line(option_name(session, key)),
                    )
                )
        return Content("\n").join(lines)

    def action_review(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self._cast()

        self.app.push_screen(ReviewDialog(self._choices()), answer)

    def _cast(self) -> None:
        marks = {k: v for k, v in self.marks.items() if v}
        if self.round.method == "mj":
            marks = {k: v for k, v in self.marks.items() if v is not None}
        if self.atelier.apply(model.cast_ballot, self.round_id, marks, self.voter_id):
            self.app.switch_screen(PassScreen(self.round_id))

    def action_cancel(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()
                self.app.notify(_("Ballot cancelled: nothing was saved."))

        self.app.push_screen(
            ConfirmDialog(_("Cancel this ballot?"), _("Nothing of it will be saved.")), answer
        )


class ReviewDialog(Dialog):
    """The voter's choices, to check before the ballot goes into the box."""

    DEFAULT_CSS = """
    ReviewDialog #review-choices { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("enter", "confirm", N_("Confirm my ballot"), id="ballot_confirm")]

    def __init__(self, choices: Content) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(_("Your ballot")), classes="title")
            with VerticalScroll(id="review-choices"):
                yield Static(self.choices)
            yield Static(
                Content(_("Enter: confirm and put it in the box · Escape: back to my ballot")),
                classes="hint",
            )

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PassScreen(VoterScreen):
    """Neutral: the ballot is in the box; nothing of it stays on screen."""

    DEFAULT_CSS = """
    PassScreen { align: center middle; }
    PassScreen > Vertical {
        width: auto; max-width: 80; height: auto; padding: 2 4; border: round $primary;
    }
    PassScreen #pass-message { text-style: bold; text-align: center; width: 100%; }
    PassScreen #pass-keys { margin-top: 1; text-align: center; width: 100%; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "next_voter", N_("Next voter"), id="ballot_next"),
        Binding("escape", "back", N_("Back to the facilitator"), id="ballot_back"),
    ]

    def __init__(self, round_id: int) -> None:
        super().__init__()
        self.round_id = round_id

    def compose(self) -> ComposeResult:
        with Vertical():
            with Center():
                yield Static(self._message(), id="pass-message")
            yield Static(
                Content(_("Enter: next voter · Escape: back to the facilitator")), id="pass-keys"
            )

    def _message(self) -> Content:
        """« saved » only once it is on disk (a full disk keeps it in memory, retrying)."""
        if self.atelier.unsaved:
            return Content(
                _(
                    "Ballot kept but NOT SAVED yet (disk problem): atelier keeps trying. "
                    "Pass the computer to the next person and tell the facilitator."
                )
            )
        return Content(_("Ballot saved. Pass the computer to the next person."))

    def session_changed(self) -> None:  # a retry succeeded (or failed again)
        self.query_one("#pass-message", Static).update(self._message())

    def action_next_voter(self) -> None:
        start_ballot(self.atelier, self.round_id, replace=True)

    def action_back(self) -> None:
        self.app.pop_screen()
