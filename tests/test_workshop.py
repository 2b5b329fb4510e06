"""A complete workshop by key presses alone, in French and in English, then a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.app import create_app
from atelier.screens.actions import ActionsScreen
from atelier.screens.clustering import ClusteringScreen
from atelier.screens.ideation import IdeationScreen
from atelier.screens.results import ResultsScreen
from atelier.screens.rules import RulesScreen
from atelier.screens.setup import SetupScreen
from atelier.screens.summary import SummaryScreen
from atelier.screens.vote import VoteScreen
from atelier.store import SessionFolder

from uikit import screen_text, type_text

WORDS = {
    "fr": {
        "title": "Atelier accueil",
        "question": "Comment mieux accueillir les usagers ?",
        "ideas": ["Un sourire à l'accueil", "Des horaires clairs", "Former aux conflits"],
        "clusters": ["Accueil", "Formation"],
        "rules_heading": "ÉCOUTER AVEC ATTENTION",
        "ex_aequo": "ex aequo",
        "summary": "Plan d’action",
    },
    "en": {
        "title": "Welcome workshop",
        "question": "How can we welcome the public better?",
        "ideas": ["A smile at the desk", "Clear opening hours", "Conflict training"],
        "clusters": ["Welcome", "Training"],
        "rules_heading": "LISTEN WITH ATTENTION",
        "ex_aequo": "tie",
        "summary": "Action plan",
    },
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def press_until(pilot, condition, key: str = "", tries: int = 40) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        if key:
            await pilot.press(key)
        await pilot.pause(0.05)
    assert condition()


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_a_whole_workshop_by_keys(lang: str, folder: SessionFolder, frozen_clock) -> None:
    words = WORDS[lang]
    app = create_app(folder.root, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Home: new session from the blank template
        await pilot.press("n", "enter")
        await pilot.pause()
        await type_text(pilot, words["title"])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        # Setup: question, facilitator, participants
        await type_text(pilot, words["question"])
        await pilot.press("enter")  # saved, focus moves to the facilitator
        await type_text(pilot, "Sonia")
        await pilot.press("enter")
        app.screen.query_one("#p-new").focus()
        for name in ("Awa", "Bruno", "Chloé"):
            await type_text(pilot, name)
            await pilot.press("enter")
        await pilot.pause()
        # Rules: adopt them
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen)
        assert words["rules_heading"] in screen_text(pilot)
        await pilot.press("a")
        # Ideation: with and without authors, timer started
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, IdeationScreen)
        await pilot.press("f4")
        first, second, third = words["ideas"]
        await type_text(pilot, "@awa " + first)
        await pilot.press("enter")
        await type_text(pilot, second)  # still Awa: the author is sticky
        await pilot.press("enter", "ctrl+n")
        await type_text(pilot, "chl")  # filter the participants, Enter picks Chloé
        await pilot.press("enter")
        await type_text(pilot, third)
        await pilot.press("enter")
        await pilot.pause()
        # Clustering: two clusters, ideas moved by digits
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ClusteringScreen)
        for label in words["clusters"]:
            await pilot.press("n")
            await type_text(pilot, label)
            await pilot.press("enter")
            await pilot.pause()
        await press_until(pilot, lambda: app.screen.selected_idea() is not None)
        await pilot.press("1", "1", "2")
        await pilot.pause()
        assert [i.cluster_id for i in app.session.ideas] == [1, 1, 2]
        # Vote: paper dot tally, 3 voters, a tie
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, VoteScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("v")
        await pilot.press("backspace", "3", "enter")
        await pilot.pause()
        main = app.session.main_round
        assert main is not None and main.voters == 3
        for dots in ("1", "1"):  # 1 dot per voter with two options: 3 at most in all
            await pilot.press("enter")
            await pilot.press("backspace", dots, "enter")
            await pilot.pause()
            await pilot.press("down")
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        # Results: the tie is explicit
        assert isinstance(app.screen, ResultsScreen)
        assert words["ex_aequo"] in screen_text(pilot)
        # Actions
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("n")
        await type_text(pilot, "Livret")
        await pilot.press("enter")
        await type_text(pilot, "Awa")
        await pilot.press("enter")
        await type_text(pilot, "25/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Summary
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert words["summary"] in screen_text(pilot)
        assert app.unexpected_errors == []
        session_id = app.session.id

    # A new app on the same folder finds everything
    again = create_app(folder.root, lang, open_session=session_id)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = again.session
        assert isinstance(again.screen, SummaryScreen)
        assert s.title == words["title"] and s.question == words["question"]
        assert s.facilitator == "Sonia" and s.lang == lang
        assert [p.name for p in s.participants] == ["Awa", "Bruno", "Chloé"]
        assert s.rules_adopted_at == "2026-11-25T14:30:00+01:00"
        assert [(i.text, i.author_id) for i in s.ideas] == [
            (words["ideas"][0], 1),
            (words["ideas"][1], 1),
            (words["ideas"][2], 3),
        ]
        assert [c.label for c in s.clusters] == words["clusters"]
        assert s.main_round is not None and s.main_round.closed_at
        assert s.main_round.tallies == {"cluster:1": (1,), "cluster:2": (1,)}
        assert [(a.what, a.owner, a.due) for a in s.actions] == [("Livret", "Awa", "2026-11-25")]
        assert s.timing("ideation").started_at == "2026-11-25T14:30:00+01:00"
        assert again.unexpected_errors == []
