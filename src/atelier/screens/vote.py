"""Vote: start the vote, then collect it — paper tallies typed in, or secret ballots.

The screen always works on the *current round*: the latest open round (a run-off opened
from the results), else the latest round, shown closed. Nothing of a secret ballot is ever
shown here, only how many were cast. Every change goes through ``AtelierApp.apply``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static

from atelier import model, summary, voting
from atelier.i18n import N_, _, get_language, plural
from atelier.model import Session, VoteRound
from atelier.widgets.charts import one_line
from atelier.widgets.text import cell

from .base import PhaseScreen
from .dialogs import ConfirmDialog, Dialog
from .rounds import option_name, round_title
from .setup import VOTE_METHOD_LABELS, VOTE_MODE_LABELS, VOTE_TARGET_LABELS

# --------------------------------------------------------------------------- shared helpers


def label_room(screen_width: int, other_columns: int) -> int:
    """Cells left for option labels in a table beside ``other_columns`` cells of numbers."""
    return max(12, screen_width - 8 - other_columns)


def fitted_label(text: str, width: int) -> str:
    """One line of at most ``width`` cells (…); shown through ``cell()``, never as markup."""
    return Content(one_line(text)).truncate(width, ellipsis=True).plain


def method_name(method: str) -> str:
    return _(VOTE_METHOD_LABELS.get(method, method))


def mode_name(mode: str) -> str:
    return _(VOTE_MODE_LABELS.get(mode, mode))


def dots_rule(dots: int, cap: int) -> str:
    return _("{dots} per voter, at most {cap} on one option").format(dots=dots, cap=cap)


def missing_grades(vote_round: VoteRound) -> int:
    """Grades not given in a paper majority-judgment tally (they count as the lowest)."""
    return sum(
        voting.mj_missing_grades(list(vote_round.tallies.get(o, ())), vote_round.voters)
        for o in vote_round.options
    )


def _line(label: str, value: str | Content) -> Content:
    """« Label: value » — our label in bold, the value literal."""
    return Content.assemble((label + " ", "bold"), value)


# --------------------------------------------------------------------------- tally editor


class TallyDialog(Dialog):
    """Counts for one option of a paper vote: dots, or votes per grade (best first).

    Enter moves to the next field and saves after the last; ↑/↓ move between fields.
    Dismisses with the numbers in field order (empty fields are 0), or None."""

    DEFAULT_CSS = """
    TallyDialog #tally-fields { height: auto; max-height: 12; }
    TallyDialog .tally-row { height: 1; }
    TallyDialog .tally-label { width: 24; padding: 0 1 0 0; }
    TallyDialog .tally-row Input { width: 10; background: $boost; padding: 0 1; }
    TallyDialog .tally-row Input:focus { background: $accent 30%; text-style: bold; }
    TallyDialog #tally-summary { margin-top: 1; }
    """
    BINDINGS = [
        Binding("down", "move(1)", N_("Next field"), show=False, id="tally_next"),
        Binding("up", "move(-1)", N_("Previous field"), show=False, id="tally_previous"),
    ]

    def __init__(
        self,
        title: Content,
        fields: Sequence[str],
        values: Sequence[int],
        summary: Callable[[list[int]], Content] | None = None,
    ) -> None:
        super().__init__()
        self.title_content = title
        self.fields = list(fields)
        self.values = list(values)
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_content, classes="title")
            with VerticalScroll(id="tally-fields"):
                for index, (name, value) in enumerate(zip(self.fields, self.values, strict=True)):
                    with Horizontal(classes="tally-row"):
                        yield Label(Content(name), classes="tally-label")
                        yield Input(str(value), type="integer", id=f"tally-{index}", compact=True)
            yield Static(id="tally-summary")
            hint = (
                _("Enter: save · Escape: cancel")
                if len(self.fields) == 1
                else _("Enter: next (saves after the last) · Escape: cancel")
            )
            yield Static(Content(hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#tally-0", Input).focus()
        self._show_summary()

    def _inputs(self) -> list[Input]:
        return [self.query_one(f"#tally-{i}", Input) for i in range(len(self.fields))]

    def numbers(self) -> list[int]:
        out = []
        for field in self._inputs():
            text = field.value.strip()
            try:
                out.append(int(text) if text else 0)
            except ValueError:
                out.append(0)
        return out

    def _show_summary(self) -> None:
        if self.summary is not None:
            self.query_one("#tally-summary", Static).update(self.summary(self.numbers()))

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self._show_summary()

    def action_move(self, delta: int) -> None:
        inputs = self._inputs()
        focused = self.focused
        index = inputs.index(focused) if isinstance(focused, Input) and focused in inputs else 0
        inputs[max(0, min(len(inputs) - 1, index + delta))].focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self._inputs()
        index = inputs.index(event.input)
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
        else:
            self.dismiss(self.numbers())


# --------------------------------------------------------------------------- a new vote


class NewVoteDialog(Dialog):
    """Method, collection and options of a new vote beside the earlier ones: every cluster,
    every idea, or the first places of a closed vote (a shortlist).

    Dismisses with ``{"method", "mode", "options", "source_id"}`` (options None: all of
    the target) or None. Enter in the number field, or ctrl+s, starts it."""

    DEFAULT_CSS = """
    NewVoteDialog Select { margin-bottom: 1; }
    NewVoteDialog #new-vote-count { width: 12; }
    """
    BINDINGS = [Binding("ctrl+s", "save", N_("Start the vote"), id="new_vote_save")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        titles = summary.round_titles(s, _)
        sources = [("all:clusters", _("Every cluster")), ("all:ideas", _("Every idea"))]
        sources += [
            (f"top:{r.id}", _("The first places of “{round}”").format(round=titles[r.id]))
            for r in reversed(s.votes)
            if r.closed_at
        ]
        with Vertical():
            yield Label(Content(_("New vote")), classes="title")
            yield Label(_("Method"))
            yield Select(
                [(Content(_(v)), k) for k, v in VOTE_METHOD_LABELS.items()],
                value=s.vote.method,
                allow_blank=False,
                id="new-vote-method",
            )
            yield Label(_("Collect"))
            yield Select(
                [(Content(_(v)), k) for k, v in VOTE_MODE_LABELS.items()],
                value=s.vote.mode,
                allow_blank=False,
                id="new-vote-mode",
            )
            yield Label(_("Options"))
            yield Select(
                [(Content(label), key) for key, label in sources],
                value=sources[-1][0] if sources[-1][0].startswith("top:") else sources[0][0],
                allow_blank=False,
                id="new-vote-options",
            )
            yield Label(_("How many first places (a shortlist)"))
            yield Input("3", type="integer", max_length=3, id="new-vote-count", compact=True)
            yield Label(
                Content(_("Enter in the number, or ctrl+s: start · Escape: cancel")),
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#new-vote-method", Select).focus()

    @on(Input.Submitted, "#new-vote-count")
    def count_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        source = str(self.query_one("#new-vote-options", Select).value)
        kind, _sep, value = source.partition(":")
        options: list[str] | None = None
        source_id: int | None = None
        if kind == "top":
            text = self.query_one("#new-vote-count", Input).value.strip()
            count = int(text) if text.isdigit() else 0
            if count < 2:
                self.notify(_("A shortlist needs at least 2 places."), severity="warning")
                self.query_one("#new-vote-count", Input).focus()
                return
            source_id = int(value)
            options = list(summary.shortlist(self.session, source_id, count))
        elif value == "ideas":
            options = [f"idea:{idea.id}" for idea in self.session.ideas]
        else:
            options = list(model.vote_options_for(self.session, "clusters"))
        self.dismiss(
            {
                "method": str(self.query_one("#new-vote-method", Select).value),
                "mode": str(self.query_one("#new-vote-mode", Select).value),
                "options": options,
                "source_id": source_id,
            }
        )


# --------------------------------------------------------------------------- the screen


class VoteScreen(PhaseScreen):
    PHASE = "vote"
    CSS_PATH = "vote.tcss"
    BINDINGS = [
        Binding("s", "start", N_("Start the vote"), id="vote_start"),
        Binding("n", "new_vote", N_("New vote"), id="vote_new"),
        Binding("m", "switch_method", N_("Switch method"), id="vote_method"),
        Binding("c", "switch_mode", N_("Switch collection"), id="vote_mode"),
        Binding("t", "switch_target", N_("Switch target"), id="vote_target"),
        Binding("enter", "edit_tally", N_("Enter the tally"), id="vote_tally"),
        Binding("v", "voters", N_("Number of voters"), id="vote_voters"),
        Binding("b", "ballot", N_("New ballot"), id="vote_ballot"),
        Binding("x", "close_vote", N_("Close the vote"), id="vote_close"),
        Binding("o", "reopen", N_("Reopen the vote"), id="vote_reopen"),
        Binding("delete", "cancel_round", N_("Cancel this round"), id="vote_cancel"),
        Binding("escape", "back_to_table", N_("Back to the list"), show=False, id="vote_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.round_id: int | None = None
        self._layout: tuple[object, ...] = ()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="vote-body"):
            yield Static(id="vote-heading")
            yield Static(id="vote-settings")
            with Horizontal(id="vote-voters"):
                yield Label(Content(_("Number of voters:")), id="vote-voters-label")
                yield Input(type="integer", id="voters-input", max_length=4, compact=True)
                yield Static(id="vote-voters-hint")
            yield DataTable(id="vote-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="vote-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#vote-table", DataTable).focus()

    def on_resize(self) -> None:
        if self.is_mounted:
            self._fill_table(self.session, self._round())

    # ---- state
    def _round(self) -> VoteRound | None:
        return model.current_round(self.session)

    def _state(self) -> str:
        """before (no vote yet), tally, ballot (collecting), closed."""
        vote_round = self._round()
        if vote_round is None:
            return "before"
        if vote_round.closed_at:
            return "closed"
        return vote_round.mode

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        try:
            state = self._state()
        except model.AtelierError:  # no session any more (leaving)
            return True
        rules = {
            "start": state == "before",
            "new_vote": state == "closed",
            "switch_method": state == "before",
            "switch_mode": state == "before",
            "switch_target": state == "before",
            "edit_tally": state == "tally",
            "voters": state == "tally",
            "ballot": state == "ballot",
            "close_vote": state in ("tally", "ballot"),
            "reopen": state == "closed",
            "cancel_round": state != "before",
        }
        return rules.get(action, True)

    # ---- drawing
    def refresh_view(self) -> None:
        s = self.session
        vote_round = self._round()
        self.round_id = vote_round.id if vote_round else None
        self._show_heading(s, vote_round)
        self._show_settings(s, vote_round)
        self._show_voters(vote_round)
        self._fill_table(s, vote_round)
        self._show_status(s, vote_round)
        self.refresh_bindings()

    def _show_heading(self, s: Session, vote_round: VoteRound | None) -> None:
        if vote_round is None:
            text = Content.styled(_("The vote has not started yet."), "bold")
        else:
            state = _("closed") if vote_round.closed_at else _("open")
            text = Content.styled(
                _("{round} — {state}").format(round=round_title(s, vote_round), state=state),
                "bold",
            )
            if vote_round.parent_id is not None:
                text = Content.assemble(
                    text,
                    "\n",
                    (_("Run-off among the tied options below."), "italic"),
                )
            elif vote_round.source_id is not None and vote_round.source_id in {
                r.id for r in s.rounds
            }:
                source = round_title(s, s.round(vote_round.source_id))
                note = _("Shortlist: the first places of “{round}”.").format(round=source)
                text = Content.assemble(text, "\n", (note, "italic"))
        self.query_one("#vote-heading", Static).update(text)

    def _show_settings(self, s: Session, vote_round: VoteRound | None) -> None:
        if vote_round is None:
            settings = s.vote
            method, mode = settings.method, settings.mode
            count = len(s.vote_options())
            dots = settings.dots_per_voter or voting.default_dots_per_voter(count or 1)
            cap = min(settings.max_per_option, dots)
            grades = model.grades_for(s)
            target = _(VOTE_TARGET_LABELS.get(settings.target, settings.target))
        else:
            method, mode = vote_round.method, vote_round.mode
            count = len(vote_round.options)
            dots, cap, grades = (
                vote_round.dots_per_voter,
                vote_round.max_per_option,
                vote_round.grades,
            )
            kind = vote_round.options[0].partition(":")[0] if vote_round.options else "cluster"
            target = _(VOTE_TARGET_LABELS["ideas" if kind == "idea" else "clusters"])
        lines = [
            _line(_("Method:"), method_name(method)),
            _line(
                _("Vote on:"),
                _("{target} · options: {count}").format(target=target, count=count),
            ),
            _line(_("Collect:"), mode_name(mode)),
        ]
        if method == "dot":
            lines.append(_line(_("Dots:"), dots_rule(dots, cap)))
        else:
            numbered = " · ".join(f"{n} {one_line(g)}" for n, g in enumerate(grades, start=1))
            lines.append(_line(_("Grades (best first):"), Content(numbered)))
        self.query_one("#vote-settings", Static).update(Content("\n").join(lines))

    def _show_voters(self, vote_round: VoteRound | None) -> None:
        row = self.query_one("#vote-voters")
        row.display = vote_round is not None and vote_round.mode == "tally"
        if not row.display or vote_round is None:
            return
        field = self.query_one("#voters-input", Input)
        if not field.has_focus:
            field.value = str(vote_round.voters)
        field.disabled = bool(vote_round.closed_at)
        self.query_one("#vote-voters-hint", Static).update(
            Content(_("V to change, then Enter.")) if not vote_round.closed_at else Content("")
        )

    def _columns(self, vote_round: VoteRound | None) -> tuple[object, ...]:
        if vote_round is None or vote_round.mode == "ballot":
            return ("plain",)
        if vote_round.method == "dot":
            return ("dot",)
        return ("mj", vote_round.grades)

    def _fill_table(self, s: Session, vote_round: VoteRound | None) -> None:
        table = self.query_one("#vote-table", DataTable)
        row = table.cursor_row
        headers = ["#", _("Option")]
        kind = self._columns(vote_round)[0]
        if kind == "dot":
            headers.append(_("Dots"))
        elif kind == "mj" and vote_round is not None:
            grades = list(vote_round.grades)
            needed = sum(Content(g).cell_length + 2 for g in grades) + 14 + 6
            if self.size.width - 8 - 16 < needed:  # narrow: grades by number, as on ballots
                grades = [str(n) for n in range(1, len(grades) + 1)]
            headers += [*grades, _("Not graded")]
        layout = tuple(headers)
        table.clear(columns=layout != self._layout)
        if layout != self._layout:
            self._layout = layout
            for index, header in enumerate(headers):
                table.add_column(cell(header), key=f"column-{index}")
        options = vote_round.options if vote_round else s.vote_options()
        other = len(str(len(options))) + 2
        other += sum(max(Content(h).cell_length, 3) + 2 for h in headers[2:])
        room = label_room(self.size.width, other)
        for number, key in enumerate(options, start=1):
            cells = [cell(str(number)), cell(fitted_label(option_name(s, key), room))]
            if vote_round is not None and vote_round.mode == "tally":
                tally = vote_round.tallies.get(key)
                if vote_round.method == "dot":
                    cells.append(cell(str(tally[0]) if tally else "–"))
                else:
                    counts = list(tally) if tally else [0] * len(vote_round.grades)
                    cells.extend(cell(str(n)) for n in reversed(counts))
                    missing = voting.mj_missing_grades(counts, vote_round.voters)
                    cells.append(cell(str(missing) if missing else ""))
            table.add_row(*cells, key=key)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def _show_status(self, s: Session, vote_round: VoteRound | None) -> None:
        lines: list[Content] = []
        if vote_round is None:
            if not s.vote_options():
                lines.append(
                    Content.styled(
                        _("Nothing to vote on yet: add ideas, or put ideas into clusters."),
                        "bold",
                    )
                )
            lines.append(
                Content(
                    _(
                        "S: start the vote · M, C, T: switch method, collection, target · "
                        "other settings: Setup (F9)."
                    )
                )
            )
        elif vote_round.mode == "tally":
            lines.extend(self._tally_status(vote_round))
        else:
            lines.extend(self._ballot_status(s, vote_round))
        if vote_round is not None and vote_round.closed_at:
            lines.append(
                Content.styled(_("This vote is closed: O to reopen, F8 for the results."), "bold")
            )
            lines.append(Content(_("N: a new vote (a shortlist, another method) beside it.")))
        self.query_one("#vote-status", Static).update(Content("\n").join(lines))

    def _tally_status(self, vote_round: VoteRound) -> list[Content]:
        lines: list[Content] = []
        if vote_round.voters == 0:
            lines.append(Content.styled(_("Enter the number of voters first (V)."), "bold"))
        entered = sum(1 for o in vote_round.options if o in vote_round.tallies)
        lines.append(
            Content(
                _("Options with a tally: {entered} of {count}.").format(
                    entered=entered, count=len(vote_round.options)
                )
            )
        )
        if vote_round.method == "dot":
            total = sum(t[0] for t in vote_round.tallies.values())
            lines.append(
                Content(
                    plural(
                        get_language(),
                        vote_round.voters,
                        _("Dots entered: {total} · at most {limit} = {count} voter × {dots}."),
                        _("Dots entered: {total} · at most {limit} = {count} voters × {dots}."),
                        total=total,
                        limit=vote_round.voters * vote_round.dots_per_voter,
                        dots=vote_round.dots_per_voter,
                    )
                )
            )
        else:
            missing = missing_grades(vote_round)
            if missing:
                text = _(
                    "Missing grades: {count}; they count as the lowest grade, “{grade}”."
                ).format(count=missing, grade=vote_round.grades[-1])
                lines.append(Content.styled(text, "bold"))
        if not vote_round.closed_at:
            lines.append(Content(_("Enter on an option: type its tally · X: close the vote.")))
        return lines

    def _ballot_status(self, s: Session, vote_round: VoteRound) -> list[Content]:
        cast = s.ballots_of(vote_round.id)
        expected = s.voter_count
        text = (
            _("Ballots cast: {count} of {expected} expected.").format(
                count=len(cast), expected=expected
            )
            if expected
            else _("Ballots cast: {count}.").format(count=len(cast))
        )
        lines = [Content.styled(text, "bold")]
        if not s.anonymous and s.participants:
            voted = set(vote_round.voted)
            waiting = [p.name for p in s.participants if p.id not in voted]
            if waiting:
                lines.append(
                    Content.assemble((_("Not voted yet:") + " ", "bold"), ", ".join(waiting))
                )
        else:
            lines.append(Content(_("Ballots are anonymous.")))
        from .join import vote_lines  # phones (issue 13): ballots received, shared address

        lines.extend(vote_lines(self.atelier, vote_round))
        if not vote_round.closed_at:
            lines.append(
                Content(
                    _("B: hand the computer to a voter for a secret ballot · X: close the vote.")
                )
            )
        return lines

    # ---- before the vote
    def action_start(self) -> None:
        if self.atelier.apply(model.start_vote):
            self.notify(_("The vote has started."))

    def action_switch_method(self) -> None:
        method = "mj" if self.session.vote.method == "dot" else "dot"
        self.atelier.apply(model.configure_vote, method=method)

    def action_switch_mode(self) -> None:
        mode = "ballot" if self.session.vote.mode == "tally" else "tally"
        self.atelier.apply(model.configure_vote, mode=mode)

    def action_switch_target(self) -> None:
        target = "ideas" if self.session.vote.target == "clusters" else "clusters"
        self.atelier.apply(model.configure_vote, target=target)

    def action_new_vote(self) -> None:
        """Another vote beside the closed ones (a shortlist, another method): they stay."""
        if self.atelier.read_only:
            self.notify(_("This session is open read-only: nothing can be changed."))
            return

        def chosen(values: dict[str, object] | None) -> None:
            if values is None:
                return
            options = values["options"]
            if self.atelier.apply(
                model.start_vote,
                options,
                method=values["method"],
                mode=values["mode"],
                source_id=values["source_id"],
            ):
                self.notify(_("A new vote has started; the earlier ones stay in the results."))

        self.app.push_screen(NewVoteDialog(self.session), chosen)

    # ---- paper tally
    def _selected_option(self) -> str | None:
        table = self.query_one("#vote-table", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    @on(DataTable.RowSelected, "#vote-table")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        state = self._state()
        if state == "tally":
            self.action_edit_tally()
        elif state == "ballot":
            self.action_ballot()

    def action_edit_tally(self, refused: list[int] | None = None, key: str | None = None) -> None:
        vote_round = self._round()
        key = key or self._selected_option()
        if vote_round is None or vote_round.mode != "tally" or key is None:
            return
        if vote_round.closed_at:
            self.notify(_("This vote is closed: O to reopen it."))
            return
        if self.atelier.read_only:
            self.notify(_("This session is open read-only: nothing can be changed."))
            return
        title = Content.styled(
            _("Tally for “{option}”").format(option=option_name(self.session, key)), "bold"
        )
        stored = vote_round.tallies.get(key)
        if vote_round.method == "dot":
            fields = [_("Dots")]
            values = refused or [stored[0] if stored else 0]
            summary = self._dot_summary(vote_round)
        else:
            fields = list(vote_round.grades)
            worst_first = list(stored) if stored else [0] * len(fields)
            values = refused or list(reversed(worst_first))
            summary = self._mj_summary(vote_round)

        def entered(numbers: list[int] | None) -> None:
            if numbers is None:
                return
            counts = numbers if vote_round.method == "dot" else list(reversed(numbers))
            if not self.atelier.apply(model.set_tally, vote_round.id, key, counts):
                self.action_edit_tally(refused=numbers, key=key)  # correct it, message shown

        self.app.push_screen(TallyDialog(title, fields, values, summary), entered)

    @staticmethod
    def _dot_summary(vote_round: VoteRound) -> Callable[[list[int]], Content]:
        limit = vote_round.voters * vote_round.max_per_option

        def summary(numbers: list[int]) -> Content:
            return Content(
                plural(
                    get_language(),
                    vote_round.voters,
                    _("Limit for this option: {limit} = {count} voter × {cap}."),
                    _("Limit for this option: {limit} = {count} voters × {cap}."),
                    limit=limit,
                    cap=vote_round.max_per_option,
                )
            )

        return summary

    @staticmethod
    def _mj_summary(vote_round: VoteRound) -> Callable[[list[int]], Content]:
        def summary(numbers: list[int]) -> Content:
            given = sum(numbers)
            missing = max(0, vote_round.voters - given)
            text = _("voters: {voters} · grades given: {given} · not graded: {missing}").format(
                voters=vote_round.voters, given=given, missing=missing
            )
            if given > vote_round.voters:
                return Content.styled(text + " — " + _("more grades than voters!"), "bold $error")
            if missing:
                return Content(
                    text + " — " + _("counted as “{grade}”").format(grade=vote_round.grades[-1])
                )
            return Content(text)

        return summary

    def action_voters(self) -> None:
        field = self.query_one("#voters-input", Input)
        if field.display and not field.disabled:
            field.focus()

    @on(Input.Submitted, "#voters-input")
    def voters_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save_voters(event.value)
        self.query_one("#vote-table", DataTable).focus()

    @on(Input.Blurred, "#voters-input")
    def voters_left(self, event: Input.Blurred) -> None:
        self._save_voters(event.value)

    def _save_voters(self, text: str) -> None:
        vote_round = self._round()
        if vote_round is None or vote_round.closed_at or vote_round.mode != "tally":
            return
        value = text.strip()
        if not value or value == str(vote_round.voters):
            if not value:
                self.query_one("#voters-input", Input).value = str(vote_round.voters)
            return
        if not self.atelier.apply(model.set_voters, vote_round.id, value):
            self.query_one("#voters-input", Input).value = str(vote_round.voters)

    def action_back_to_table(self) -> None:
        self.query_one("#vote-table", DataTable).focus()

    # ---- secret ballot
    def action_ballot(self) -> None:
        from .ballot import start_ballot

        vote_round = self._round()
        if vote_round is None or vote_round.mode != "ballot" or vote_round.closed_at:
            return
        if self.atelier.read_only:
            self.notify(_("This session is open read-only: nothing can be changed."))
            return
        start_ballot(self.atelier, vote_round.id)

    # ---- closing, reopening, cancelling
    def action_close_vote(self) -> None:
        vote_round = self._round()
        if vote_round is None or vote_round.closed_at:
            return

        def answer(yes: bool | None) -> None:
            if yes and self.atelier.apply(model.close_round, vote_round.id):
                self.atelier.goto_phase("results")

        self.app.push_screen(
            ConfirmDialog(
                _("Close the vote?"),
                _("No more tallies or ballots can be entered; the results are shown."),
            ),
            answer,
        )

    def action_reopen(self) -> None:
        vote_round = self._round()
        if vote_round is not None and vote_round.closed_at:
            if self.atelier.apply(model.reopen_round, vote_round.id):
                self.notify(_("The vote is open again."))

    def action_cancel_round(self) -> None:
        vote_round = self._round()
        if vote_round is None:
            return
        detail = (
            _("Its tallies, ballots and any run-off are discarded (ctrl+z to undo).")
            if vote_round.parent_id is None
            else _("This run-off and its ballots are discarded (ctrl+z to undo).")
        )

        def answer(yes: bool | None) -> None:
            if yes and self.atelier.apply(model.delete_round, vote_round.id):
                self.notify(_("Vote round cancelled."))

        title = _("Cancel “{round}”?").format(round=round_title(self.session, vote_round))
        self.app.push_screen(ConfirmDialog(title, detail), answer)
