"""Several votes side by side, final rankings with settled ties, decisions (issue 14, 1–2)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from atelier import codec, export, model
from atelier.app import create_app
from atelier.errors import AtelierError
from atelier.model import Session
from atelier.screens.actions import link_choices
from atelier.screens.decisions import DecisionsDialog
from atelier.screens.results import ResultsScreen
from atelier.screens.vote import NewVoteDialog, VoteScreen
from atelier.store import SessionFolder
from atelier.summary import build_summary, final_ranking, overall_ranking, shortlist


def four_clusters() -> model.Session:
    s = model.new_session("s", "Atelier", lang="en", clusters=["A", "B", "C", "D"])
    for number in range(1, 5):
        s = model.add_idea(s, f"idea {number}")
        s = model.move_idea(s, number, number)
    return model.update_setup(s, anonymous=True, participant_count=4)


def dot_vote(s: model.Session, dots: dict[str, int], **kwargs: object) -> model.Session:
    s = model.start_vote(s, **kwargs)  # type: ignore[arg-type]
    vote_round = s.rounds[-1]
    s = model.set_voters(s, vote_round.id, 4)
    for key, count in dots.items():
        s = model.set_tally(s, vote_round.id, key, [count])
    return model.close_round(s, vote_round.id)


def test_a_run_off_is_carried_into_the_final_ranking() -> None:
    s = model.configure_vote(four_clusters(), dots_per_voter=3, max_per_option=3)
    s = dot_vote(s, {"cluster:1": 4, "cluster:2": 4, "cluster:3": 2, "cluster:4": 2})
    main = s.round(1)
    assert [p[3] for p in final_ranking(s, main)] == ["pending"] * 4
    s = model.start_runoff(s, 1, ["cluster:1", "cluster:2"])
    s = model.set_voters(s, 2, 4)
    s = model.set_tally(s, 2, "cluster:2", [3])
    s = model.set_tally(s, 2, "cluster:1", [1])
    s = model.close_round(s, 2)
    s = model.keep_tie(s, 1, ["cluster:3", "cluster:4"])
    assert final_ranking(s, s.round(1)) == (
        ("cluster:2", 1, False, "runoff"),
        ("cluster:1", 2, False, "runoff"),
        ("cluster:3", 3, True, "kept"),
        ("cluster:4", 3, True, "kept"),
    )
    csv = export.render(s, "csv").decode()
    assert "1;" not in csv and ",2,tie broken by a run-off" in csv  # English: commas
    assert [label for label, _key in link_choices(s)][:4] == ["1. B", "2. A", "3= C", "3= D"]
    summary = build_summary(s)
    assert [d.text for d in summary.decisions.items] == ["B"] and summary.decisions.default


def test_votes_side_by_side_shortlist_then_majority_judgment() -> None:
    s = model.configure_vote(four_clusters(), dots_per_voter=3, max_per_option=3)
    s = dot_vote(s, {"cluster:1": 5, "cluster:2": 4, "cluster:3": 3, "cluster:4": 0})
    top = shortlist(s, 1, 3)
    assert top == ("cluster:1", "cluster:2", "cluster:3")
    s = model.start_vote(s, top, method="mj", mode="tally", source_id=1)
    with pytest.raises(AtelierError, match="Close the current vote"):
        model.start_vote(s)
    s = model.set_voters(s, 2, 2)
    s = model.set_tally(s, 2, "cluster:3", [0, 0, 0, 0, 0, 0, 2])
    s = model.close_round(s, 2)
    assert [r.id for r in s.votes] == [1, 2] and s.round(1).closed_at  # both kept
    places = overall_ranking(s)
    assert places["cluster:3"][0] == 1 and places["cluster:4"][0] == 4
    summary = build_summary(s)
    assert [r.title for r in summary.rounds] == ["Vote 1", "Vote 2"]
    assert summary.rounds[1].source == "Vote 1" and summary.rounds[1].method == "mj"
    assert [d.text for d in summary.decisions.items] == ["C"]


def checked(session: Session) -> Session:
    """The session as atelier reads it back from a file or an import (every check)."""
    return codec.from_document(codec.to_document(session), session.id)


def test_dissolving_after_a_closed_vote_keeps_the_result_readable() -> None:
    s = dot_vote(four_clusters(), {"cluster:1": 1})
    assert s.closed_votes_on("cluster:1") == (s.round(1),)
    s = model.dissolve_cluster(s, 1)
    s = model.merge_clusters(s, 2, 3)
    summary = build_summary(s)
    labels = [o.label for o in summary.rounds[0].options]
    assert "A" in labels and "B" in labels and "(removed option)" not in labels
    assert "(option supprimée)" not in export.render(s, "md").decode()
    assert checked(s) is not None  # a closed vote may name a gone cluster


def test_decisions_are_editable_and_reach_the_report() -> None:
    s = dot_vote(four_clusters(), {"cluster:1": 1})
    s = model.add_action(s, "Call the mayor", "Awa", link="cluster:2")
    s = model.set_decisions(s, [("", "cluster:2"), ("Meet again in March", None)])
    assert [(d.text, d.link, d.order) for d in s.decisions] == [
        ("B", "cluster:2", 1),
        ("Meet again in March", None, 2),
    ]
    decisions = build_summary(s).decisions
    assert not decisions.default
    assert [a.what for a in decisions.items[0].actions] == ["Call the mayor"]
    markdown = export.render(s, "md").decode()
    assert markdown.index("Decisions / priorities retained") < markdown.index("In brief")
    assert "Meet again in March" in markdown
    with pytest.raises(AtelierError):
        model.set_decisions(s, [("", None)])
    s = model.reset_decisions(s)
    assert s.decisions == () and [d.text for d in build_summary(s).decisions.items] == ["A"]


def make(root: Path) -> str:
    folder = SessionFolder(root)
    session_id = folder.create("Atelier vote", lang="en")
    with folder.open(session_id) as handle:
        handle.apply(model.update_setup, anonymous=True, participant_count=3)
        for label in ("Reception", "Hours", "Rooms"):
            handle.apply(model.add_cluster, label)
            handle.apply(model.add_idea, f"idea {label}")
            handle.apply(
                model.move_idea, handle.session.ideas[-1].id, handle.session.clusters[-1].id
            )
        handle.apply(model.start_vote)
        handle.apply(model.set_tally, 1, "cluster:1", [2])
        handle.apply(model.set_tally, 1, "cluster:2", [1])
        handle.apply(model.close_round, 1)
        handle.apply(model.set_phase, "vote")
    return session_id


async def test_new_vote_on_a_shortlist_and_switching_rounds_by_keys(tmp_path: Path) -> None:
    session_id = make(tmp_path)
    app = create_app(tmp_path, "en", open_session=session_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, VoteScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NewVoteDialog)
        # method: majority judgment; options: the first places of the closed vote, 2 of them
        await pilot.press("enter", "down", "enter", "tab", "tab", "tab", "backspace", "2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, VoteScreen), app.screen
        session = SessionFolder(tmp_path).load(session_id)
        assert [r.id for r in session.votes] == [1, 2]
        assert session.round(2).method == "mj" and session.round(2).source_id == 1
        assert session.round(2).options == ("cluster:1", "cluster:2")
        assert session.round(1).closed_at  # the first vote stays
        await pilot.press("x", "enter")  # close the new vote: the results show it
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.shown_round().id == 2  # type: ignore[union-attr]
        await pilot.press("g", "enter")  # the first choice: Vote 1, still there
        await pilot.pause()
        assert app.screen.shown_round().id == 1  # type: ignore[union-attr]
        await pilot.press("d")
        assert isinstance(app.screen, DecisionsDialog)
        await pilot.press("t")
        await pilot.press(*"Meet again", "enter", "s")
        await pilot.pause()
    assert app.unexpected_errors == []
    session = SessionFolder(tmp_path).load(session_id)
    assert session.decisions_set and session.decisions[-1].text == "Meet again"


async def test_dissolving_a_voted_cluster_warns_first_by_keys(tmp_path: Path) -> None:
    from textual.widgets import Label

    from atelier.screens.clustering import ClusteringScreen
    from atelier.screens.dialogs import ConfirmDialog

    session_id = make(tmp_path)
    app = create_app(tmp_path, "en", open_session=session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_phase("clustering")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ClusteringScreen)
        await pilot.press("right", "d")  # the first cluster's column: « Reception »
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        said = " ".join(str(label.render()) for label in app.screen.query(Label))
        assert "A closed vote counted it (Main vote)" in said and "“Reception”" in said
        await pilot.press("escape")  # nothing happens
        await pilot.pause()
        assert [c.label for c in app.session.clusters] == ["Reception", "Hours", "Rooms"]
        await pilot.press("d", "enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = SessionFolder(tmp_path).load(session_id)
    assert [c.label for c in session.clusters] == ["Hours", "Rooms"]
    assert "Reception" in [o.label for o in build_summary(session).rounds[0].options]


async def test_a_tie_left_as_it_is_by_keys(tmp_path: Path) -> None:
    session_id = make(tmp_path)
    with SessionFolder(tmp_path).open(session_id) as handle:
        handle.apply(model.reopen_round, 1)
        handle.apply(model.set_tally, 1, "cluster:1", [1])
        handle.apply(model.set_tally, 1, "cluster:2", [1])  # 1 – 1: tied first
        handle.apply(model.close_round, 1)
        handle.apply(model.set_phase, "results")
    app = create_app(tmp_path, "en", open_session=session_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        notes = str(app.screen.query_one("#results-notes").render())
        assert "tie not settled" in notes
        await pilot.press("k", "enter")
        await pilot.pause()
        notes = str(app.screen.query_one("#results-notes").render())
        assert "1= Reception (left tied by the group)" in notes
        assert app.unexpected_errors == []
    session = SessionFolder(tmp_path).load(session_id)
    assert session.round(1).kept_ties == ("cluster:1", "cluster:2")
    assert [label for label, _key in link_choices(session)][:2] == ["1= Reception", "1= Hours"]


async def test_hostile_labels_in_final_ranking_and_decisions(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path)
    session_id = folder.create("Hostile", lang="fr")
    with folder.open(session_id) as handle:
        handle.apply(model.update_setup, anonymous=True, participant_count=2)
        for label in ("[/]", "[bold]x[/b", "Cafés ☕🎉"):
            handle.apply(model.add_cluster, label)
            handle.apply(model.add_idea, f"idée {label}")
            handle.apply(
                model.move_idea, handle.session.ideas[-1].id, handle.session.clusters[-1].id
            )
        handle.apply(model.start_vote)
        handle.apply(model.close_round, 1)  # nobody voted: three tied
        handle.apply(model.set_phase, "results")
    app = create_app(tmp_path, "fr", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k", "enter", "d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionsDialog)
        await pilot.press("a", "enter", "s")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = folder.load(session_id)
    assert [d.text for d in session.decisions][-1] in ("[/]", "[bold]x[/b", "Cafés ☕🎉")
    assert "<li>[/]" in export.render(session, "html").decode()  # text, never markup


async def test_a_refused_decision_list_comes_back_to_be_corrected(tmp_path: Path) -> None:
    session_id = make(tmp_path)
    with SessionFolder(tmp_path).open(session_id) as handle:
        handle.apply(model.set_phase, "results")
    app = create_app(tmp_path, "en", open_session=session_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d", "t", *"x" * 1001, "enter", "s")  # too long: refused
        await pilot.pause()
        assert isinstance(app.screen, DecisionsDialog)
        assert len(app.screen.items) == 2 and len(app.screen.items[1][0]) == 1001
        await pilot.press("down", "x", "s")  # remove it, save the winner alone
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.unexpected_errors == []
    session = SessionFolder(tmp_path).load(session_id)
    assert [(d.text, d.link) for d in session.decisions] == [("Reception", "cluster:1")]


def test_imported_decisions_and_ballots_are_checked() -> None:
    s = dot_vote(four_clusters(), {"cluster:1": 1})
    s = model.set_decisions(s, [("Free text", None), ("", "cluster:1")])
    assert checked(s).decisions == s.decisions
    bad_link = replace(s, decisions=(replace(s.decisions[0], link="town:hall"),))
    with pytest.raises(AtelierError, match="decisions #1: link: unknown value"):
        checked(bad_link)
    box = replace(s.round(1), mode="ballot", ballots=({"cluster:1": 9},))
    with pytest.raises(AtelierError):  # 9 dots on one option: over the cap
        checked(replace(s, rounds=(box,)))
    unsorted = replace(s.round(1), ballots=({"cluster:2": 1}, {"cluster:1": 1}), voted=())
    read = checked(replace(s, rounds=(unsorted,)))
    assert read.round(1).ballots == ({"cluster:1": 1}, {"cluster:2": 1})  # canonical again
