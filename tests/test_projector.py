"""Projector mode (F3) and the rules recalled full screen (F2), driven through the app."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Digits, Footer, Input, Static

from atelier import clock, i18n, model
from atelier.app import AtelierApp, create_app
from atelier.model import DEFAULT_CLOSING
from atelier.screens.base import PhaseScreen
from atelier.screens.projector import (
    Board,
    ClusterGrid,
    ProjectorScreen,
    RoomChart,
    RoomTimer,
    RulesRecallScreen,
)
from atelier.store import SessionFolder
from atelier.templates import default_rules
from atelier.widgets.bigtext import BigText
from atelier.widgets.phasebar import PhaseBar
from atelier.widgets.timer import PhaseTimer

AT = datetime(2026, 11, 25, 14, 30, tzinfo=timezone(timedelta(hours=1)))
RULES = [(title["fr"], text["fr"]) for title, text in default_rules()]
HOSTILE = [
    "[bold]x[/]",
    "[/]",
    "[link=x]y",
    "Idée 🎉🚀 partagée",
    "مرحبا بكم في الورشة",
    "\u202eà l'envers",
]
LONG = ("Comment faire mieux ensemble " * 40)[: model.QUESTION_MAX]
# The phases whose facilitator screen the app opens on (vote and results are shown by
# pushing the projector directly, so these tests do not depend on those screens).
FACILITATOR_PHASES = ("setup", "rules", "ideation", "clustering", "actions", "summary")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user config (keymap, language); time stopped; the language restored after."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    previous = i18n.get_language()
    clock.freeze(AT)
    yield
    clock.freeze(None)
    i18n.set_language(previous)


def prepare(
    root: Path,
    phase: str,
    *,
    question: str = "Comment mieux accueillir les usagers ?",
    rules: Sequence[tuple[str, str]] = RULES,
    clusters: Sequence[str] = ("Écoute", "Reconnaissance", "Organisation"),
    ideas: Sequence[tuple[str, int | None]] = (
        ("Dire merci", 0),
        ("Café commun", 0),
        ("Hors sujet", None),
    ),
    actions: Sequence[tuple[str, str, str]] = (),
    **setup: Any,
) -> str:
    """A session on disk at ``phase``; ideas go into the cluster at the given index."""
    folder = SessionFolder(root)
    session_id = folder.create(
        "Atelier accueil", lang="fr", question=question, rules=rules, clusters=clusters
    )
    with folder.open(session_id) as handle:
        if setup:
            handle.apply(model.update_setup, **setup)
        for text, index in ideas:
            handle.apply(model.add_idea, text)
            if index is not None:
                cluster = handle.session.clusters[index].id
                handle.apply(model.move_idea, handle.session.ideas[-1].id, cluster)
        for what, owner, due in actions:
            handle.apply(model.add_action, what, owner=owner, due=due)
        handle.apply(model.set_phase, phase)
    return session_id


def app_for(root: Path, session_id: str) -> AtelierApp:
    return create_app(root, "fr", open_session=session_id)


def text_of(widget: Any) -> str:
    """What a Static or BigText shows, as plain text."""
    rendered: Any = widget.visual if isinstance(widget, Static) else widget.render()
    return str(rendered.plain)


def assert_room_only(screen: Any) -> None:
    """No footer, phase bar, facilitator timer, input or anything focusable."""
    assert not screen.query(Footer)
    assert not screen.query(PhaseBar)
    assert not screen.query(PhaseTimer)
    assert not screen.query(Input)
    assert screen.focus_chain == []


# --------------------------------------------------------------------------- F3 toggles


@pytest.mark.parametrize("phase", FACILITATOR_PHASES)
async def test_f3_shows_the_phase_to_the_room_and_returns_to_the_same_screen(
    tmp_path: Path, phase: str
) -> None:
    app = app_for(tmp_path, prepare(tmp_path, phase))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        facilitator = app.screen
        assert isinstance(facilitator, PhaseScreen) and facilitator.PHASE == phase
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen)
        assert app.screen.phase == phase
        assert_room_only(app.screen)
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen is facilitator
        await pilot.press("f3", "escape")
        await pilot.pause()
        assert app.screen is facilitator
    assert app.unexpected_errors == []


async def test_question_timer_and_ideas_are_shown_large(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "ideation"))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        question = screen.query_one("#room-question", BigText)
        assert question.text == "Comment mieux accueillir les usagers ?"
        assert question.drawn is not None  # block letters at this size
        timer = screen.query_one(RoomTimer)
        assert timer.query_one(Digits).value == "20:00"
        assert text_of(timer.query_one(".room-label", Static)) == "minuteur en pause"
        assert screen.query_one("#room-idea-count Digits", Digits).value == "3"
        assert "idées recueillies" in text_of(screen.query_one("#room-idea-count Static", Static))
        assert timer._ticker is not None and not timer._ticker._active.is_set()  # idle

        await pilot.press("f4")  # the facilitator starts the timer without leaving
        await pilot.pause()
        assert app.session.timing("ideation").running
        assert timer._ticker._active.is_set()
        clock.freeze(AT + timedelta(seconds=65))
        timer.tick()
        assert timer.query_one(Digits).value == "18:55"
        assert text_of(timer.query_one(".room-label", Static)) == "temps restant"

        clock.freeze(AT + timedelta(minutes=21))
        timer.tick()
        assert timer.has_class("-overtime")
        assert text_of(timer.query_one(".room-label", Static)) == "Temps écoulé\u00a0!"
        await pilot.press("f4")
        await pilot.pause()
        assert not app.session.timing("ideation").running
        assert not timer._ticker._active.is_set()
    assert app.unexpected_errors == []


async def test_small_terminal_falls_back_to_bold_wrapped_text(tmp_path: Path) -> None:
    question = "Le contexte financier contraint : comment faire différemment ?"
    app = app_for(tmp_path, prepare(tmp_path, "setup", question=question))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        big = app.screen.query_one("#room-question", BigText)
        assert big.drawn is None
        assert question in " ".join(text_of(big).split())
    assert app.unexpected_errors == []


# --------------------------------------------------------------------------- rules


async def test_f2_recalls_every_rule_from_ideation_and_goes_back(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "ideation"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ideation = app.screen
        await pilot.press("f2")
        await pilot.pause()
        recall = app.screen
        assert isinstance(recall, RulesRecallScreen)
        assert_room_only(recall)
        title = text_of(recall.query_one("#room-rules-title", Static))
        assert title == i18n.translate("The rules of collective intelligence", "fr").upper()
        assert title.startswith("LES RÈGLES DE L")
        board = recall.query_one(Board)
        assert [e.title for e in board.entries][0] == "1. Écouter avec attention"
        assert len(board.entries) == 5
        assert not recall.query_one("#room-rules-adopted").display
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is ideation
        await pilot.press("f2", "escape")
        await pilot.pause()
        assert app.screen is ideation
    assert app.unexpected_errors == []


async def test_rules_recall_shows_the_adoption_time(tmp_path: Path) -> None:
    session_id = prepare(tmp_path, "rules")
    with SessionFolder(tmp_path).open(session_id) as handle:
        handle.apply(model.adopt_rules)
    app = app_for(tmp_path, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        adopted = app.screen.query_one("#room-rules-adopted", Static)
        assert adopted.display
        assert "14:30" in text_of(adopted)
        lines = [line.plain for line in app.screen.query_one(Board).lines(76, 19)]
        assert any("ÉCOUTER AVEC ATTENTION" in line for line in lines)  # plain capitals
    assert app.unexpected_errors == []


async def test_projector_shows_one_rule_at_a_time(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "rules"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()

        def shown() -> tuple[str, str, str]:
            screen = app.screen
            return (
                text_of(screen.query_one("#room-rule-number", Static)),
                screen.query_one("#room-rule", BigText).text,
                text_of(screen.query_one("#room-rule-text", Static)),
            )

        assert shown() == ("Règle 1 sur 5", RULES[0][0], RULES[0][1])
        assert "←" in text_of(app.screen.query_one(".room-hint", Static))
        await pilot.press("right")
        await pilot.pause()
        assert shown()[1] == RULES[1][0]
        await pilot.press("space")
        await pilot.pause()
        assert shown()[:2] == ("Règle 3 sur 5", RULES[2][0])
        await pilot.press("left")
        await pilot.pause()
        assert shown()[1] == RULES[1][0]
        await pilot.press("right", "right", "right", "right", "right")
        await pilot.pause()
        assert shown()[:2] == ("Règle 5 sur 5", RULES[4][0])  # stays on the last
        await pilot.press("left", "left", "left", "left", "left", "left")
        await pilot.pause()
        assert shown()[1] == RULES[0][0]
    assert app.unexpected_errors == []


async def test_rule_keys_do_nothing_outside_the_rules(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "setup"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "right", "space", "left")
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen)
        assert app.screen.rule_index == 0
        assert "←" not in text_of(app.screen.query_one(".room-hint", Static))
    assert app.unexpected_errors == []


# --------------------------------------------------------------------------- other phases


async def test_clusters_are_shown_with_their_counts(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "clustering"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        grid = app.screen.query_one(ClusterGrid)
        assert grid.cards == (
            (2, "Écoute"),
            (0, "Reconnaissance"),
            (0, "Organisation"),
            (1, "Pas encore regroupées"),
        )
        assert [big.text for big in grid.query(BigText)] == ["2", "0", "0", "1"]
        assert not grid.has_class("-compact")
        caption = text_of(app.screen.query_one("#room-clusters-title", Static))
        assert caption == "Idées\u00a0: 3 · Groupes\u00a0: 3"
    assert app.unexpected_errors == []


async def test_many_clusters_switch_to_one_line_each(tmp_path: Path) -> None:
    labels = [f"Groupe {n}" for n in range(1, 16)]
    app = app_for(tmp_path, prepare(tmp_path, "clustering", clusters=labels, ideas=()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one(ClusterGrid).has_class("-compact")
    assert app.unexpected_errors == []


def vote(root: Path, session_id: str, *, close: bool, mode: str = "tally") -> None:
    with SessionFolder(root).open(session_id) as handle:
        handle.apply(model.update_setup, anonymous=True, participant_count=6)
        handle.apply(model.configure_vote, method="dot", mode=mode, dots_per_voter=3)
        handle.apply(model.start_vote)
        main = handle.session.main_round
        assert main is not None
        if mode == "tally":
            for option, dots in zip(main.options, (4, 9, 2), strict=False):
                handle.apply(model.set_tally, main.id, option, [dots])
        else:
            handle.apply(model.cast_ballot, main.id, {main.options[0]: 2, main.options[1]: 1})
        if close:
            handle.apply(model.close_round, main.id)


async def test_results_are_a_large_chart_best_first(tmp_path: Path) -> None:
    clusters = ("Écoute", "[bold]x[/]", "Organisation")
    ideas = (("a", 0), ("b", 1), ("c", 2))
    session_id = prepare(tmp_path, "actions", clusters=clusters, ideas=ideas)
    vote(tmp_path, session_id, close=True)
    app = app_for(tmp_path, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ProjectorScreen("results"))
        await pilot.pause()
        chart = app.screen.query_one(RoomChart)
        lines = [line.plain for line in chart.lines(76, 20)]
        heads = [line for line in lines if line.strip()[:1].isdigit()]
        assert [h.split()[1] for h in heads] == ["[bold]x[/]", "Écoute", "Organisation"]
        assert heads[0].rstrip().endswith("9")
        assert "█" in lines[1]
        assert_room_only(app.screen)
    assert app.unexpected_errors == []


async def test_majority_judgment_results_show_profiles_and_legend(tmp_path: Path) -> None:
    session_id = prepare(tmp_path, "actions", ideas=(("a", 0), ("b", 1)), clusters=("Un", "Deux"))
    with SessionFolder(tmp_path).open(session_id) as handle:
        handle.apply(model.update_setup, anonymous=True, participant_count=4)
        handle.apply(model.configure_vote, method="mj", mode="tally")
        handle.apply(model.start_vote)
        main = handle.session.main_round
        assert main is not None
        scale = len(main.grades)
        best = [0] * (scale - 1) + [4]  # worst → best
        worst = [4] + [0] * (scale - 1)
        handle.apply(model.set_tally, main.id, main.options[0], worst)
        handle.apply(model.set_tally, main.id, main.options[1], best)
        handle.apply(model.close_round, main.id)
        grades = main.grades
    app = app_for(tmp_path, session_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.push_screen(ProjectorScreen("results"))
        await pilot.pause()
        lines = [line.plain for line in app.screen.query_one(RoomChart).lines(96, 24)]
        heads = [line for line in lines if line.strip()[:1].isdigit()]
        assert heads[0].split()[1] == "Deux" and heads[0].rstrip().endswith(grades[0])
        assert heads[1].split()[1] == "Un" and heads[1].rstrip().endswith(grades[-1])
        legend = " ".join(lines[-3:])
        assert grades[0] in legend and grades[-1] in legend and "┃" in legend
    assert app.unexpected_errors == []


async def test_open_vote_shows_the_ballots_so_far(tmp_path: Path) -> None:
    session_id = prepare(tmp_path, "actions", ideas=(("a", 0), ("b", 1)))
    vote(tmp_path, session_id, close=False, mode="ballot")
    app = app_for(tmp_path, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ProjectorScreen("vote"))
        await pilot.pause()
        assert app.screen.query_one("#room-vote-open", BigText).text == "Vote en cours"
        assert app.screen.query_one("#room-ballots Digits", Digits).value == "1"
        assert "bulletin déposé" in text_of(app.screen.query_one("#room-ballots Static", Static))
        assert app.screen.query(RoomTimer)
    assert app.unexpected_errors == []


async def test_action_plan_is_listed(tmp_path: Path) -> None:
    actions = [("Café mensuel entre services", "Awa", "2026-12-15"), ("[/] charte", "", "")]
    app = app_for(tmp_path, prepare(tmp_path, "actions", actions=actions))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        board = app.screen.query_one("#room-actions", Board)
        assert [(e.title, e.detail) for e in board.entries] == [
            ("1. Café mensuel entre services", "Awa · 15/12/2026"),
            ("2. [/] charte", ""),
        ]
        text = "\n".join(line.plain for line in board.lines(76, 20))
        assert "[/] charte" in text  # not drawable: plain, literal
    assert app.unexpected_errors == []


@pytest.mark.parametrize(
    ("closing", "expected"),
    [
        (None, DEFAULT_CLOSING["fr"]),
        ("Merci à toutes et à tous !", "Merci à toutes et à tous !"),
        ("", DEFAULT_CLOSING["fr"]),
    ],
)
async def test_closing_screen_shows_the_closing_message(
    tmp_path: Path, closing: str | None, expected: str
) -> None:
    setup: dict[str, Any] = {} if closing is None else {"closing_message": closing}
    app = app_for(tmp_path, prepare(tmp_path, "summary", **setup))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        big = app.screen.query_one("#room-closing", BigText)
        assert big.text == expected
        assert big.drawn is not None
        signature = text_of(app.screen.query_one("#room-signature", Static))
        assert signature == "Atelier accueil — 25/11/2026"
    assert app.unexpected_errors == []


async def test_room_follows_undo_while_projected(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "ideation"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("ctrl+z")  # undoes the last idea's move… or the idea
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen)
        shown = app.screen.query_one("#room-idea-count Digits", Digits).value
        assert shown == str(len(app.session.ideas))
    assert app.unexpected_errors == []


# --------------------------------------------------------------------------- hostile text


async def test_hostile_texts_are_shown_literally(tmp_path: Path) -> None:
    """Markup-like, emoji, right-to-left and bidi-override texts everywhere the room sees."""
    combined = " ".join(HOSTILE)
    session_id = prepare(
        tmp_path,
        "setup",
        question=combined,
        rules=[(text, text) for text in HOSTILE],
        clusters=HOSTILE,
        ideas=[("idée", n) for n in range(len(HOSTILE))],
        actions=[(text, text[:40], "") for text in HOSTILE],
        closing_message=combined,
    )
    app = app_for(tmp_path, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        shown = " ".join(text_of(app.screen.query_one("#room-question", BigText)).split())
        assert shown.startswith("[bold]x[/] [/] [link=x]y Idée 🎉🚀 partagée مرحبا")
        for phase in ("rules", "clustering", "actions", "summary"):
            app.push_screen(ProjectorScreen(phase))
            await pilot.pause()
            assert_room_only(app.screen)
        screen = app.screen
        assert "[bold]x[/]" in " ".join(text_of(screen.query_one("#room-closing", BigText)).split())
        await pilot.press("escape", "escape")
        await pilot.pause()
        cards = app.screen.query_one(ClusterGrid).query(".room-card-label")
        assert [text_of(card) for card in cards][:3] == HOSTILE[:3]
        await pilot.press("escape", "right", "right")
        await pilot.pause()
        assert app.screen.query_one("#room-rule", BigText).text == "[link=x]y"
        assert text_of(app.screen.query_one("#room-rule-text", Static)) == "[link=x]y"
        await pilot.press("f2")
        await pilot.pause()
        lines = app.screen.query_one(Board).lines(76, 200)
        assert any("[/]" in line.plain for line in lines)
    assert app.unexpected_errors == []


async def test_a_thousand_character_question_is_shown_whole(tmp_path: Path) -> None:
    app = app_for(tmp_path, prepare(tmp_path, "ideation", question=LONG))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        shown = " ".join(text_of(app.screen.query_one("#room-question", BigText)).split())
        assert shown == LONG.strip()  # 14 lines of bold text at 80×24
        assert app.screen.query_one(RoomTimer).query_one(Digits).value == "20:00"
    assert app.unexpected_errors == []


async def test_read_only_projector_cannot_start_the_timer(tmp_path: Path) -> None:
    session_id = prepare(tmp_path, "ideation")
    app = create_app(tmp_path, "fr", open_session=session_id, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "f4")
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen)
        assert not app.session.timing("ideation").running
    assert app.unexpected_errors == []
