"""Results: the ranking with its ties said out loud (« ex aequo »), the chart, the run-off.

Ties are never broken silently or at random: tied options share a rank, and the
facilitator can hold a run-off among them (a new round, collected on the vote screen).
Counting is done once, by :func:`atelier.summary.round_results`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from atelier import model
from atelier.i18n import N_, _, get_language
from atelier.model import Session, VoteRound
from atelier.summary import RoundResult, final_ranking, round_results
from atelier.widgets.charts import Bar, DotChart, MeritChart, MeritRow, one_line
from atelier.widgets.text import cell

from .base import PhaseScreen
from .decisions import RESET, DecisionsDialog, current_decisions, decision_text
from .dialogs import Choice, ConfirmDialog, PickerDialog
from .vote import (
    dots_rule,
    fitted_label,
    label_room,
    method_name,
    mode_name,
    option_name,
    round_title,
)


def default_round(session: Session) -> VoteRound | None:
    """The round worth showing: the latest closed one, else the latest one."""
    closed = [r for r in session.rounds if r.closed_at]
    if closed:
        return max(closed, key=lambda r: r.id)
    return max(session.rounds, key=lambda r: r.id) if session.rounds else None


def percent(share: float) -> str:
    value = round(share * 100)
    return f"{value}\u00a0%" if get_language() == "fr" else f"{value}%"


def rank_text(rank: int, tied: bool) -> str:
    """The rank as charts show it: « 2= » when shared."""
    return f"{rank}=" if tied else str(rank)


class ResultsScreen(PhaseScreen):
    PHASE = "results"
    CSS_PATH = "vote.tcss"
    BINDINGS = [
        Binding("r", "runoff", N_("Run-off among tied options"), id="results_runoff"),
        Binding("g", "choose_round", N_("Choose the round"), id="results_round"),
        Binding("k", "keep_tie", N_("Leave the tie"), id="results_keep_tie"),
        Binding("d", "decisions", N_("Decisions retained"), id="results_decisions"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.round_id: int | None = None
        self._layout: tuple[object, ...] = ()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="results-body"):
            yield Static(id="results-heading")
            yield Static(id="results-info")
            table: DataTable[object] = DataTable(
                id="ranking", cursor_type="none", zebra_stripes=True
            )
            table.can_focus = False
            yield table
            yield Static(id="results-chart-title")
            yield DotChart(id="dot-chart")
            yield MeritChart(id="merit-chart")
            yield Static(id="results-notes")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#results-body").focus()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.refresh_view()

    # ---- which round
    def shown_round(self) -> VoteRound | None:
        if self.round_id is not None:
            try:
                return self.session.round(self.round_id)
            except model.AtelierError:
                self.round_id = None
        return default_round(self.session)

    def _result(self) -> tuple[VoteRound, RoundResult] | None:
        vote_round = self.shown_round()
        if vote_round is None:
            return None
        return vote_round, round_results(self.session, vote_round)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        try:
            rounds = self.session.rounds
        except model.AtelierError:
            return True
        if action == "choose_round":
            return len(rounds) > 1
        if action in ("runoff", "keep_tie"):
            found = self._result()
            return found is not None and bool(found[1].tied_groups())
        if action == "decisions":
            return bool(rounds)
        return True

    # ---- drawing
    def refresh_view(self) -> None:
        s = self.session
        found = self._result()
        heading = self.query_one("#results-heading", Static)
        table = self.query_one("#ranking", DataTable)
        dot_chart = self.query_one(DotChart)
        merit_chart = self.query_one(MeritChart)
        if found is None:
            heading.update(Content.styled(_("No vote yet: F7 to go back to the vote."), "bold"))
            for widget in (table, dot_chart, merit_chart):
                widget.display = False
            for name in ("#results-info", "#results-chart-title", "#results-notes"):
                self.query_one(name, Static).update(Content(""))
            self.refresh_bindings()
            return
        vote_round, result = found
        table.display = True
        state = _("closed") if vote_round.closed_at else _("open")
        heading.update(
            Content.styled(
                _("Results — {round} ({state})").format(
                    round=round_title(s, vote_round), state=state
                ),
                "bold",
            )
        )
        self._show_info(vote_round, result)
        self._fill_table(s, vote_round, result)
        self._show_chart(s, vote_round, result)
        self._show_notes(s, vote_round, result)
        self.refresh_bindings()

    def _show_info(self, vote_round: VoteRound, result: RoundResult) -> None:
        parts = [method_name(vote_round.method), mode_name(vote_round.mode)]
        if vote_round.mode == "ballot":
            parts.append(_("ballots: {count}").format(count=result.ballots))
        else:
            parts.append(_("voters: {count}").format(count=result.voters))
        if vote_round.method == "dot":
            parts.append(
                _("dots: {rule}").format(
                    rule=dots_rule(vote_round.dots_per_voter, vote_round.max_per_option)
                )
            )
        self.query_one("#results-info", Static).update(Content(" · ".join(parts)))

    def _fill_table(self, s: Session, vote_round: VoteRound, result: RoundResult) -> None:
        table = self.query_one("#ranking", DataTable)
        mj = vote_round.method == "mj"
        headers = [_("Rank"), _("Option")]
        headers += [_("Majority grade"), _("Above / below it")] if mj else [_("Dots")]
        rows: list[list[str]] = []
        for ranked in result.ranked:
            key = result.options[ranked.index]
            rank = f"{ranked.rank} {_('ex aequo')}" if ranked.tied else str(ranked.rank)
            row = [rank, option_name(s, key)]
            if mj:
                row += self._grade_texts(vote_round, result, ranked.index, ranked.majority_grade)
            else:
                row.append(str(ranked.score or 0))
            rows.append(row)
        # the label column gets what the other columns leave (each has 2 cells of padding)
        widths = [
            max([Content(h).cell_length] + [Content(r[i]).cell_length for r in rows]) + 2
            for i, h in enumerate(headers)
            if i != 1
        ]
        room = label_room(self.size.width, sum(widths))
        layout = (mj, room)
        table.clear(columns=layout != self._layout)
        if layout != self._layout:
            self._layout = layout
            for index, header in enumerate(headers):
                table.add_column(cell(header), key=f"column-{index}")
        for row, ranked in zip(rows, result.ranked, strict=True):
            row[1] = fitted_label(row[1], room)
            table.add_row(*(cell(text) for text in row), key=result.options[ranked.index])
        table.styles.height = len(rows) + 1 if rows else 1

    @staticmethod
    def _grade_texts(
        vote_round: VoteRound, result: RoundResult, index: int, grade: int | None
    ) -> list[str]:
        if grade is None:
            return ["–", ""]
        tally = result.tallies[index]
        total = sum(tally) or 1
        below, above = sum(tally[:grade]), sum(tally[grade + 1 :])
        name = vote_round.grades[len(vote_round.grades) - 1 - grade]
        return [one_line(name), f"{percent(above / total)} / {percent(below / total)}"]

    def _show_chart(self, s: Session, vote_round: VoteRound, result: RoundResult) -> None:
        dot_chart = self.query_one(DotChart)
        merit_chart = self.query_one(MeritChart)
        title = self.query_one("#results-chart-title", Static)
        mj = vote_round.method == "mj"
        dot_chart.display = not mj and bool(result.ranked)
        merit_chart.display = mj and bool(result.ranked)
        if not result.ranked:
            title.update(Content(""))
            return
        if mj:
            title.update(Content.styled(_("Merit profiles (best grade on the left)"), "bold"))
            merit_chart.update(
                [
                    MeritRow(
                        option_name(s, result.options[r.index]),
                        result.tallies[r.index],
                        rank_text(r.rank, r.tied),
                    )
                    for r in result.ranked
                ],
                vote_round.grades,
            )
        else:
            title.update(Content.styled(_("Dots per option"), "bold"))
            dot_chart.update(
                [
                    Bar(
                        option_name(s, result.options[r.index]),
                        r.score or 0,
                        rank_text(r.rank, r.tied),
                    )
                    for r in result.ranked
                ]
            )

    def _show_notes(self, s: Session, vote_round: VoteRound, result: RoundResult) -> None:
        notes: list[Content] = []
        if not vote_round.closed_at:
            notes.append(
                Content.styled(
                    _("The vote is still open: this result may change (F7: back to the vote)."),
                    "bold",
                )
            )
        if vote_round.parent_id is not None:
            parent = s.round(vote_round.parent_id) if vote_round.parent_id else None
            if parent is not None:
                notes.append(
                    Content(
                        _("Run-off among options tied in “{round}”.").format(
                            round=round_title(s, parent)
                        )
                    )
                )
        missing = sum(result.missing)
        if vote_round.method == "mj" and missing:
            notes.append(
                Content(
                    _("Missing grades counted as the lowest grade, “{grade}”: {count}.").format(
                        count=missing, grade=one_line(vote_round.grades[-1])
                    )
                )
            )
        groups = result.tied_groups()
        for group in groups:
            rank = next(r.rank for r in result.ranked if result.options[r.index] == group[0])
            names = " · ".join(one_line(option_name(s, key)) for key in group)
            notes.append(
                Content.assemble(
                    (_("Ex aequo at rank {rank}:").format(rank=rank) + " ", "bold"), names
                )
            )
        if groups:
            notes.append(
                Content(
                    _("R: hold a run-off among tied options.")
                    if vote_round.closed_at
                    else _("Close the vote before holding a run-off.")
                )
            )
        runoffs = [r for r in s.rounds if r.parent_id == vote_round.id]
        if runoffs:
            notes.append(Content(_("A run-off was started from this vote: G to see it.")))
        notes += self._final_notes(s, vote_round)
        if len(s.rounds) > 1:
            notes.append(Content(_("G: see another vote (every vote stays in the report).")))
        self.query_one("#results-notes", Static).update(Content("\n").join(notes))

    def _final_notes(self, s: Session, vote_round: VoteRound) -> list[Content]:
        """The final ranking once ties are settled, and the decisions retained."""
        notes: list[Content] = []
        final = final_ranking(s, vote_round) if vote_round.parent_id is None else ()
        if any(how for _k, _p, _t, how in final):
            notes.append(Content.styled(_("Final ranking"), "bold"))
            hows = {
                "runoff": _("tie broken by a run-off"),
                "kept": _("left tied by the group"),
                "pending": _("tie not settled: R for a run-off, K to leave it"),
            }
            for key, place, tied, how in final:
                mark = f"{place}=" if tied else f"{place}."
                detail = f" ({hows[how]})" if how else ""
                notes.append(Content(f"{mark} {one_line(option_name(s, key))}{detail}"))
        decisions = current_decisions(s)
        notes.append(Content.styled(_("Decisions / priorities retained"), "bold"))
        if decisions:
            for number, item in enumerate(decisions, start=1):
                notes.append(Content(f"{number}. {one_line(decision_text(s, item))}"))
        else:
            notes.append(Content(_("None yet.")))
        notes.append(Content(_("D: edit the decisions (by default the winners of the last vote).")))
        return notes

    # ---- actions
    def action_choose_round(self) -> None:
        s = self.session
        choices = [
            Choice(
                str(r.id),
                round_title(s, r),
                _("closed") if r.closed_at else _("open"),
            )
            for r in s.rounds
        ]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.round_id = int(key)
                self.refresh_view()

        self.app.push_screen(PickerDialog(_("Which round?"), choices), chosen)

    def action_keep_tie(self) -> None:
        """The group leaves a tie as it is: the options share their place, said so."""
        found = self._result()
        if found is None:
            return
        vote_round, result = found
        groups = [g for g in result.tied_groups() if not set(g) <= set(vote_round.kept_ties)]
        if not groups:
            self.notify(_("No tie left to settle in this vote."))
            return
        s = self.session

        def keep(group: tuple[str, ...]) -> None:
            if self.atelier.apply(model.keep_tie, vote_round.id, list(group)):
                self.notify(_("The tie stays: these options share their place."))

        choices = [
            Choice(",".join(g), " · ".join(one_line(option_name(s, key)) for key in g))
            for g in groups
        ]

        def picked(key: str | None) -> None:
            if key:
                keep(tuple(key.split(",")))

        self.app.push_screen(PickerDialog(_("Leave which tie as it is?"), choices), picked)

    def action_decisions(self, items: list[tuple[str, str | None]] | None = None) -> None:
        def edited(result: object) -> None:
            if result == RESET:
                self.atelier.apply(model.reset_decisions)
            elif isinstance(result, list) and not self.atelier.apply(model.set_decisions, result):
                self.action_decisions(result)  # refused (message shown): nothing lost

        self.app.push_screen(DecisionsDialog(self.session, items), edited)

    def action_runoff(self) -> None:
        found = self._result()
        if found is None:
            return
        vote_round, result = found
        groups = result.tied_groups()
        if not groups:
            self.notify(_("No tie in this vote: no run-off needed."))
            return
        if not vote_round.closed_at:
            self.notify(_("Close the vote before holding a run-off."))
            return
        s = self.session

        def start(options: tuple[str, ...]) -> None:
            if self.atelier.apply(model.start_runoff, vote_round.id, list(options)):
                self.atelier.goto_phase("vote")

        if len(groups) == 1:
            names = " · ".join(one_line(option_name(s, key)) for key in groups[0])

            def confirmed(yes: bool | None) -> None:
                if yes:
                    start(groups[0])

            self.app.push_screen(
                ConfirmDialog(_("Hold a run-off among these tied options?"), names), confirmed
            )
            return
        choices = []
        for group in groups:
            rank = next(r.rank for r in result.ranked if result.options[r.index] == group[0])
            names = " · ".join(one_line(option_name(s, key)) for key in group)
            choices.append(
                Choice(
                    ",".join(group), _("Rank {rank}: {options}").format(rank=rank, options=names)
                )
            )

        def picked(key: str | None) -> None:
            if key:
                start(tuple(key.split(",")))

        self.app.push_screen(PickerDialog(_("Run-off among which tied options?"), choices), picked)
