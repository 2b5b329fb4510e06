"""Vote, secret ballot and results screens, driven by key presses through the real app.

Most tests run at 80×24, the smallest terminal the screens must serve (and the fastest to
draw); the majority-judgment tally runs at 120×40.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Static

from atelier import model
from atelier.app import create_app
from atelier.screens.ballot import BallotScreen, PassScreen
from atelier.screens.results import ResultsScreen
from atelier.screens.vote import TallyDialog, VoteScreen
from atelier.store import SessionFolder
from atelier.widgets.charts import (
    Bar,
    DotChart,
    MeritChart,
    MeritRow,
    bar_cells,
    dot_chart,
    grade_glyph,
    merit_bar,
    merit_chart,
)

HOSTILE = ["[bold]x[/]", "[link=x]y", "Cafés ☕🎉 partagés", "مرحبا بالعالم", "[/]"]


def make_session(
    root: Path,
    labels: list[str],
    *,
    participants: list[str] = (),  # type: ignore[assignment]
    anonymous_count: int = 0,
    vote: dict[str, Any] | None = None,
    steps: list[tuple[Any, ...]] = (),  # type: ignore[assignment]
) -> str:
    """A session in the vote phase: one cluster per label, each holding one idea."""
    folder = SessionFolder(root)
    session_id = folder.create("Atelier vote", lang="fr")
    with folder.open(session_id) as handle:
        for name in participants:
            handle.apply(model.add_participant, name)
        if anonymous_count:
            handle.apply(model.update_setup, anonymous=True, participant_count=anonymous_count)
        for number, label in enumerate(labels, start=1):
            handle.apply(model.add_cluster, label)
            handle.apply(model.add_idea, f"idée {number}")
            idea_id = handle.session.ideas[-1].id
            handle.apply(model.move_idea, idea_id, handle.session.clusters[-1].id)
        if vote:
            handle.apply(model.configure_vote, **vote)
        for operation, *args in steps:
            handle.apply(operation, *args)
        handle.apply(model.set_phase, "vote")
    return session_id


def load(root: Path, session_id: str) -> model.Session:
    return SessionFolder(root).load(session_id)


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_text(pilot: Any, text: str) -> None:
    for character in text:
        await pilot.press(character)


async def test_dot_tally_with_refused_total(tmp_path: Path) -> None:
    session_id = make_session(
        tmp_path,
        ["Accueil", "Horaires", "Locaux"],
        anonymous_count=4,
        vote={"method": "dot", "mode": "tally", "dots_per_voter": 3, "max_per_option": 2},
    )
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, VoteScreen)
        await pilot.press("s")
        table = app.screen.query_one("#vote-table", DataTable)
        assert table.row_count == 3
        # first option: 5 dots
        await pilot.press("enter")
        assert isinstance(app.screen, TallyDialog)
        field = app.screen.query_one("#tally-0", Input)
        field.value = "5"
        await pilot.press("enter")
        assert isinstance(app.screen, VoteScreen)
        # second option: 9 dots is above 4 voters × 2 → refused, the editor comes back
        await pilot.press("down", "enter")
        app.screen.query_one("#tally-0", Input).value = "9"
        await pilot.press("enter")
        assert any("dépasse la limite de 8" in m for m in messages(app))
        assert isinstance(app.screen, TallyDialog)
        assert app.screen.query_one("#tally-0", Input).value == "9"
        await pilot.press("escape")
        assert "Gommettes saisies\u00a0: 5 ·" in text_of(app, "#vote-status")
    assert app.unexpected_errors == []
    session = load(tmp_path, session_id)
    vote_round = session.rounds[0]
    assert vote_round.tallies == {vote_round.options[0]: (5,)}


def ballot_rows(app: Any) -> list[str]:
    options = app.screen.query_one("#ballot-options", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_mj_tally_with_missing_grades(tmp_path: Path) -> None:
    session_id = make_session(
        tmp_path,
        ["Accueil", "Horaires"],
        anonymous_count=5,
        vote={"method": "mj", "mode": "tally"},
    )
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, TallyDialog)
        assert len(dialog.fields) == 7 and dialog.fields[0] == "Excellent"
        # Excellent 2, Très bien 1, nothing else: 2 of the 5 voters gave no grade
        await pilot.press("2", "enter", "1", "enter")
        assert "sans mention\u00a0: 2" in text_of(app, "#tally-summary")
        await pilot.press(*["enter"] * 5)
        assert isinstance(app.screen, VoteScreen)
        status = text_of(app, "#vote-status")
        # 2 missing here and 5 for the option without a tally
        assert "Mentions manquantes\u00a0: 7\u00a0;" in status
        assert "«\u00a0À rejeter\u00a0»" in status
        table = app.screen.query_one("#vote-table", DataTable)
        assert [c.plain for c in table.get_row_at(0)][-1] == "2"
        await pilot.press("x", "enter")
        assert isinstance(app.screen, ResultsScreen)
        notes = text_of(app, "#results-notes")
        assert "Mentions manquantes comptées comme la plus basse" in notes
        assert ": 7." in notes
        chart = app.screen.query_one(MeritChart)
        assert chart.display and "Excellent" in str(chart.render())
    assert app.unexpected_errors == []
    vote_round = load(tmp_path, session_id).rounds[0]
    assert vote_round.tallies == {vote_round.options[0]: (0, 0, 0, 0, 0, 1, 2)}
    assert vote_round.closed_at


async def test_secret_dot_ballots_cap_cancel_and_neutral_screen(tmp_path: Path) -> None:
    labels = ["Accueil", "Horaires", "Locaux"]
    session_id = make_session(
        tmp_path,
        labels,
        anonymous_count=3,
        vote={"method": "dot", "mode": "ballot", "dots_per_voter": 3, "max_per_option": 2},
    )
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "b")
        assert isinstance(app.screen, BallotScreen)
        assert not app.use_command_palette
        # voter 1: the cap stops a third dot on one option, the budget a fourth dot
        await pilot.press("right", "right", "right")
        assert "maximum de gommettes permis (2)" in text_of(app, "#ballot-status")
        await pilot.press("down", "plus", "down", "right")
        assert "Plus de gommette" in text_of(app, "#ballot-status")
        assert "Gommettes restantes\u00a0: 0 sur 3" in text_of(app, "#ballot-counter")
        await pilot.press("enter")
        await pilot.press("enter")
        # the neutral screen shows nothing of the ballot, and the facilitator keys are off
        assert isinstance(app.screen, PassScreen)
        assert not app.use_command_palette
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Bulletin enregistré" in shown
        assert not any(label in shown for label in labels)
        await pilot.press("ctrl+z", "f8")
        assert isinstance(app.screen, PassScreen)
        assert len(app.session.ballots) == 1
        # voter 2 starts from a blank ballot
        await pilot.press("enter")
        assert isinstance(app.screen, BallotScreen)
        assert all(row.startswith("○○") for row in ballot_rows(app))
        assert "Gommettes restantes\u00a0: 3 sur 3" in text_of(app, "#ballot-counter")
        await pilot.press("down", "right", "right", "enter")
        await pilot.press("escape")  # back to the ballot from the review
        assert isinstance(app.screen, BallotScreen)
        await pilot.press("enter", "enter")
        # voter 3 changes their mind: cancelled, nothing saved
        await pilot.press("enter", "right", "escape")
        await pilot.press("enter")
        assert isinstance(app.screen, VoteScreen)
        assert len(app.session.ballots) == 2
        assert app.use_command_palette
        # voter 3 again, for real
        await pilot.press("b", "down", "down", "right", "enter", "enter")
        await pilot.press("escape")
        assert isinstance(app.screen, VoteScreen)
        assert "Bulletins déposés\u00a0: 3 sur 3 attendus." in text_of(app, "#vote-status")
    assert app.unexpected_errors == []
    session = load(tmp_path, session_id)
    keys = session.rounds[0].options
    assert list(session.ballots) == [
        {keys[0]: 2, keys[1]: 1},
        {keys[1]: 2},
        {keys[2]: 1},
    ]
    assert all(r.voted == () for r in session.rounds)


async def test_named_session_picks_voters_who_have_not_voted(tmp_path: Path) -> None:
    session_id = make_session(
        tmp_path,
        ["Accueil", "Horaires"],
        participants=["Awa", "Bruno"],
        vote={"method": "dot", "mode": "ballot", "dots_per_voter": 1, "max_per_option": 1},
    )
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "b")
        picker = app.screen.query_one("#picker-list", OptionList)
        assert picker.option_count == 2
        await pilot.press("enter")  # Awa
        assert "Awa" in text_of(app, "#ballot-heading")
        await pilot.press("right", "enter", "enter")
        await pilot.press("enter")  # next voter: only Bruno is left
        picker = app.screen.query_one("#picker-list", OptionList)
        assert picker.option_count == 1
        assert "Bruno" in str(picker.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.press("down", "right", "enter", "enter")
        await pilot.press("enter")  # everyone has voted: back to the facilitator
        assert isinstance(app.screen, VoteScreen)
        assert "Toutes les personnes de la liste ont voté." in messages(app)
    assert app.unexpected_errors == []
    session = load(tmp_path, session_id)
    assert session.rounds[0].voted == (1, 2)


async def test_results_ex_aequo_and_runoff_with_hostile_labels(tmp_path: Path) -> None:
    labels = ["[bold]x[/]", "[link=x]y", "Café ☕ مرحبا"]

    def steps() -> list[tuple[Any, ...]]:
        return [
            (model.start_vote,),
            (model.set_tally, 1, "cluster:1", [4]),
            (model.set_tally, 1, "cluster:2", [4]),
            (model.set_tally, 1, "cluster:3", [1]),
            (model.close_round, 1),
            (model.set_phase, "results"),
        ]

    session_id = make_session(
        tmp_path,
        labels,
        anonymous_count=4,
        vote={"method": "dot", "mode": "tally", "dots_per_voter": 3, "max_per_option": 2},
        steps=steps(),
    )
    with SessionFolder(tmp_path).open(session_id) as handle:
        handle.apply(model.set_phase, "results")
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        table = app.screen.query_one("#ranking", DataTable)
        rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["1 ex aequo", "[bold]x[/]", "4"],
            ["1 ex aequo", "[link=x]y", "4"],
            ["3", "Café ☕ مرحبا", "1"],
        ]
        chart = str(app.screen.query_one(DotChart).render())
        assert "[bold]x[/]" in chart and "[link=x]y" in chart
        assert "Ex aequo au rang 1\u00a0:" in text_of(app, "#results-notes")
        await pilot.press("r")
        await pilot.press("enter")
        assert isinstance(app.screen, VoteScreen)
        assert "Vote de départage 1 — ouvert" in text_of(app, "#vote-heading")
        table = app.screen.query_one("#vote-table", DataTable)
        assert [table.get_row_at(i)[1].plain for i in range(2)] == labels[:2]
        await pilot.press("enter")
        assert "[bold]x[/]" in str(app.screen.query_one(".title").render())
        await pilot.press("3", "enter", "down", "enter", "1", "enter")
        await pilot.press("x", "enter")
        assert isinstance(app.screen, ResultsScreen)
        assert "Vote de départage 1" in text_of(app, "#results-heading")
        table = app.screen.query_one("#ranking", DataTable)
        assert [c.plain for c in table.get_row_at(0)] == ["1", "[bold]x[/]", "3"]
        await pilot.press("g")
        await pilot.press("enter")  # the main vote
        assert "Vote principal" in text_of(app, "#results-heading")
        assert "G pour le voir" in text_of(app, "#results-notes")
    assert app.unexpected_errors == []
    session = load(tmp_path, session_id)
    runoff = session.rounds[1]
    assert runoff.parent_id == 1 and runoff.options == ("cluster:1", "cluster:2")
    assert runoff.tallies == {"cluster:1": (3,), "cluster:2": (1,)}
    assert runoff.closed_at


async def test_mj_secret_ballot_with_hostile_labels(tmp_path: Path) -> None:
    session_id = make_session(
        tmp_path, HOSTILE, anonymous_count=2, vote={"method": "mj", "mode": "ballot"}
    )
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#vote-table", DataTable)
        assert [table.get_row_at(i)[1].plain for i in range(table.row_count)] == HOSTILE
        await pilot.press("s", "b")
        rows = ballot_rows(app)
        assert all(row.endswith(label) for row, label in zip(rows, HOSTILE, strict=True))
        assert all(row.startswith("sans mention") for row in rows)
        assert "«\u00a0À rejeter\u00a0»" in text_of(app, "#ballot-help")
        # 1 = Excellent on the first option; → from "not graded" gives the lowest grade
        await pilot.press("1", "down", "right", "right")
        rows = ballot_rows(app)
        assert rows[0].startswith("Excellent") and rows[1].startswith("Insuffisant")
        await pilot.press("enter")
        review = str(app.screen.query_one("#review-choices Static").render())
        assert "[link=x]y" in review and "sans mention → À rejeter" in review
        await pilot.press("enter")
        await pilot.press("escape", "x", "enter")
        assert isinstance(app.screen, ResultsScreen)
        chart = str(app.screen.query_one(MeritChart).render())
        assert "[bold]x[/]" in chart and "[/]" in chart and "médiane" in chart
        table = app.screen.query_one("#ranking", DataTable)
        assert [c.plain for c in table.get_row_at(0)][1:3] == ["[bold]x[/]", "Excellent"]
    assert app.unexpected_errors == []
    session = load(tmp_path, session_id)
    assert session.ballots[0] == {"cluster:1": 6, "cluster:2": 1}


def test_dot_chart_scales_bars_and_keeps_labels_literal() -> None:
    assert bar_cells(4, 4, 10) == "█" * 10
    assert bar_cells(1, 4, 10) == "██▌"
    assert bar_cells(0, 4, 10) == ""
    assert bar_cells(1, 1000, 10) == "▏"  # a dot is never invisible
    chart = dot_chart([Bar("[bold]x[/]", 4, "1="), Bar("Café ☕ partagé entre collègues", 2)], 40)
    lines = chart.plain.split("\n")
    assert lines[0].startswith("1= [bold]x[/]") and lines[0].endswith(" 4")
    assert "…" in lines[1]  # the long label is cut to fit
    assert all(Content(line).cell_length == 40 for line in lines)


def test_merit_profile_marks_the_median_and_reads_without_colour() -> None:
    scale = 7
    glyphs = [grade_glyph(i, scale) for i in range(scale)]
    assert len(set(glyphs)) == scale and glyphs[-1] == "×"
    # 4 voters, worst first: 1 « À rejeter », 3 « Excellent »
    bar = merit_bar((1, 0, 0, 0, 0, 0, 3), 9).plain
    assert bar == "████┃██××"
    grades = (
        "Excellent",
        "Très bien",
        "Bien",
        "Assez bien",
        "Passable",
        "Insuffisant",
        "À rejeter",
    )
    chart = merit_chart([MeritRow("[link=x]y", (1, 0, 0, 0, 0, 0, 3), "1")], grades, 60).plain
    assert chart.startswith("1 [link=x]y") and "Excellent" in chart.split("\n")[0]
    assert "×× À rejeter" in chart and "┃ median" in chart  # the legend (English by default)
