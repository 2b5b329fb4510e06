"""Pilot tests of the facilitator's screens, driven by key presses, checked on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from atelier import atomicio, model
from atelier.app import AtelierApp, create_app
from atelier.screens.clustering import ClusteringScreen
from atelier.screens.dialogs import ConfirmDialog
from atelier.screens.help import HelpScreen
from atelier.screens.home import HomeScreen
from atelier.screens.ideation import IdeationScreen, split_author
from atelier.screens.rules import RulesScreen
from atelier.screens.setup import SetupScreen
from atelier.store import SessionFolder

from uikit import HOSTILE, make_session, paste, reload, screen_text, type_text

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config, templates or logs from the machine running the tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def app_on(folder: SessionFolder, session_id: str | None = None, lang: str = "fr") -> AtelierApp:
    return create_app(folder.root, lang, open_session=session_id)


async def test_home_lists_sessions_and_creates_one_from_a_template(folder, frozen_clock):
    make_session(folder, "Réunion de service")
    app = app_on(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Réunion de service" in screen_text(pilot)
        await pilot.press("n")
        await type_text(pilot, "revue")  # filter the templates
        await pilot.press("enter")
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.value == "Revue des procédures"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert [c.label for c in app.session.clusters][:2] == [
            "Finances et commande publique",
            "Ressources humaines",
        ]
        assert app.unexpected_errors == []
    titles = sorted(info.title for info in folder.scan().sessions)
    assert titles == ["Revue des procédures", "Réunion de service"]


async def test_home_duplicates_and_trashes_without_destroying(folder, frozen_clock):
    session_id = make_session(folder, "À dupliquer")
    app = app_on(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert len(folder.scan().sessions) == 2
        await pilot.press("delete")
        await pilot.press("enter")
        await pilot.pause()
        assert len(folder.scan().sessions) == 1
        assert app.unexpected_errors == []
    trashed = list((folder.root / "trash").glob("*.json"))
    assert len(trashed) == 1
    assert session_id in [p.stem for p in folder.root.glob("*.json")] or trashed


async def test_setup_fields_are_saved_on_enter(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#f-facilitator", Input).focus()
        await type_text(pilot, "Sonia")
        await pilot.press("enter")
        app.screen.query_one("#f-date", Input).focus()
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "25/11/2026")
        await pilot.press("enter")
        app.screen.query_one("#m-ideation", Input).focus()
        await pilot.press("backspace", "backspace", "3", "0", "enter")
        app.screen.query_one("#p-new", Input).focus()
        await type_text(pilot, "Djamel")
        await pilot.press("enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert session.facilitator == "Sonia"
    assert session.date == "2026-11-25"
    assert session.timing("ideation").planned_minutes == 30
    assert [p.name for p in session.participants][-1] == "Djamel"


async def test_setup_refuses_a_bad_date_and_keeps_the_field(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#f-date", Input)
        field.focus()
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "31/02/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert field.has_class("-invalid")
        assert field.value == "31/02/2026"
        assert app.unexpected_errors == []
    assert reload(folder, session_id).date == "2026-11-25"


async def test_rules_adopt_add_reorder_and_recall(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen)
        assert "ÉCOUTER AVEC ATTENTION" in screen_text(pilot)
        await pilot.press("a")
        await pilot.press("n")
        await type_text(pilot, "Couper son téléphone")
        await pilot.press("enter")
        await type_text(pilot, "Pour être là")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("end", "less_than_sign")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert session.rules_adopted_at == "2026-11-25T14:30:00+01:00"
    assert [r.title for r in session.rules][4:] == ["Couper son téléphone", "Respecter le cadre"]


async def test_ideation_captures_at_speaking_speed(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        assert isinstance(app.screen, IdeationScreen)
        for text in ("Un café le lundi", "@awa Dire bonjour", "Des pauses ensemble"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#idea-input", Input).value == ""
        # the author stays selected for the next idea; ctrl+n changes it
        await pilot.press("ctrl+n")
        await type_text(pilot, "sans")
        await pilot.press("enter")
        await type_text(pilot, "Idée sans auteur")
        await pilot.press("enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    awa = session.participants[0].id
    assert [(i.text, i.author_id) for i in session.ideas] == [
        ("Un café le lundi", None),
        ("Dire bonjour", awa),
        ("Des pauses ensemble", awa),
        ("Idée sans auteur", None),
    ]


async def test_ideation_edit_delete_undo_and_merge(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await type_text(pilot, "Remercier les collègues après un dossier difficile")
        await pilot.press("enter")
        await type_text(pilot, "Une idee a corriger")
        await pilot.press("enter", "ctrl+r", "end")
        await type_text(pilot, " vite")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.ideas[-1].text == "Une idee a corriger vite"
        await pilot.press("down", "delete")  # from the list
        await pilot.pause()
        assert len(app.session.ideas) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(app.session.ideas) == 2
        await pilot.press("escape")
        await type_text(pilot, "Remercier les collègues apres un dossier difficile")
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(20):  # the similarity index is built in a thread
            if "#1" in screen_text(pilot):
                break
            await pilot.pause(0.05)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert [i.id for i in session.ideas] == [1, 2]
    assert session.ideas[0].merged == ("Remercier les collègues apres un dossier difficile",)


async def test_ideation_hostile_texts_are_shown_literally(folder, frozen_clock):
    session_id = make_session(folder, people=("[b]Awa[/b]",))
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        for text in HOSTILE:
            await paste(pilot, text)
            await pilot.press("enter")
        await paste(pilot, "x" * 5000)
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(pilot)
        assert "[bold]gras[/bold]" in shown and "[/]" in shown
        assert "[link=https://x.example]lien[/link]" in shown
        assert "مرحبا بالجميع" in shown
        assert app.unexpected_errors == []
    stored = [i.text for i in reload(folder, session_id).ideas]
    assert stored[0] == "[bold]gras[/bold]"
    assert stored[3] == "rouge"  # ANSI escape sequences removed, the text kept
    assert len(stored) == len(HOSTILE)  # the 1,000+ character paste was refused


async def test_a_pasted_list_becomes_one_idea_per_line(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await paste(pilot, "Première idée\n\n@bruno Deuxième idée\r\nTroisième\x1b[1m idée")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert [(i.text, i.author_id) for i in session.ideas] == [
        ("Première idée", None),
        ("Deuxième idée", 2),
        ("Troisième idée", None),
    ]


async def test_pasted_lines_in_a_field_are_joined_not_dropped(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#f-question", Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await paste(pilot, "Comment mieux\naccueillir\x07 les usagers ?")
        await pilot.press("enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    assert reload(folder, session_id).question == "Comment mieux accueillir les usagers ?"


def test_split_author_matches_one_participant(folder, frozen_clock):
    session = model.new_session("x", "T")
    session = model.add_participant(session, "Élise Martin")
    session = model.add_participant(session, "Eric")
    assert split_author(session, "@elise Idée")[0] == session.participants[0].id
    assert split_author(session, "@e Idée") == (None, "@e Idée")  # ambiguous
    assert split_author(session, "@zoé Idée") == (None, "@zoé Idée")


async def test_clustering_board_by_digits_and_picker(folder, frozen_clock):
    session_id = make_session(folder, template="blank")
    with folder.open(session_id) as handle:
        for text in ("Accueil des nouveaux", "Livret d'accueil", "Pause café"):
            handle.apply(model.add_idea, text)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("clustering")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ClusteringScreen)
        await pilot.press("n")
        await type_text(pilot, "Accueil")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("1")  # the highlighted (first) idea to cluster 1
        await pilot.pause()
        await pilot.press("m")
        await type_text(pilot, "acc")
        await pilot.press("enter")  # second idea to « Accueil » through the picker
        await pilot.pause()
        await pilot.press("right", "r")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "Bien accueillir")
        await pilot.press("enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert session.clusters[0].label == "Bien accueillir"
    assert [i.cluster_id for i in session.ideas] == [1, 1, None]


async def test_clustering_suggestions_are_accepted_one_by_one(folder, frozen_clock):
    session_id = make_session(folder, template="blank")
    texts = [
        "Remercier les agents d'accueil",
        "Remercier les collègues plus souvent",
        "Former les agents d'accueil aux conflits",
        "Former les encadrants à la gestion des conflits",
    ]
    with folder.open(session_id) as handle:
        for text in texts:
            handle.apply(model.add_idea, text)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("clustering")
        await pilot.pause()
        await pilot.press("s")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.screen.proposals:  # type: ignore[attr-defined]
                break
        proposals = list(app.screen.proposals)  # type: ignore[attr-defined]
        assert proposals, "the suggestions were computed"
        await pilot.press("a")
        await pilot.pause()
        assert len(app.session.clusters) == 1
        assert len(app.screen.proposals) == len(proposals) - 1  # type: ignore[attr-defined]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.clusters == ()
        assert app.unexpected_errors == []


async def test_actions_plan_with_french_date(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("actions")
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Écrire le livret")
        await pilot.press("enter")
        await type_text(pilot, "Chloé")
        await pilot.press("enter")
        await type_text(pilot, "25/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")
        await type_text(pilot, "Date fausse")
        await pilot.press("enter", "enter")
        await type_text(pilot, "32/13/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # refused: the form stays with what was typed, the focus on the date
        assert app.screen.query_one("#a-what", Input).value == "Date fausse"
        assert app.focused is app.screen.query_one("#a-due", Input)
        await pilot.press("escape")
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert [(a.what, a.owner, a.due) for a in session.actions] == [
        ("Écrire le livret", "Chloé", "2026-11-25")
    ]


async def test_summary_exports_the_report(folder, frozen_clock, tmp_path):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("summary")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.unexpected_errors == []
    written = sorted(p.suffix for p in (folder.root / "exports").iterdir())
    assert written == [".html", ".md", ".odt"]


async def test_timer_start_add_reset_and_bell(folder, frozen_clock, monkeypatch):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    rings: list[bool] = []
    monkeypatch.setattr(AtelierApp, "bell", lambda self: rings.append(True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "f5")
        await pilot.pause()
        timing = app.session.timing("setup")
        assert timing.running and timing.extra_seconds == 60
        frozen_clock.advance(6 * 60 + 1)  # 5 planned minutes + 1 added, then one second
        app.screen.query_one("#timer").tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert rings == [True]
        assert app.screen.query_one("#timer").has_class("-overtime")
        await pilot.press("f6", "f4")
        await pilot.pause()
        assert app.unexpected_errors == []
    timing = reload(folder, session_id).timing("setup")
    assert not timing.running and timing.spent_seconds == 6 * 60 + 1


async def test_phase_bar_moves_back_and_forth_without_loss(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f8", "f8", "f8", "f7", "f7", "f7"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("f9", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, IdeationScreen)
        assert app.unexpected_errors == []
    assert reload(folder, session_id).phase == "ideation"


async def test_help_and_palette_list_the_keys(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        assert "Auteur" in text and "Phase suivante" in text and "Annuler" in text
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any(title.startswith("Auteur (") for title in commands)
        assert app.unexpected_errors == []


async def test_second_instance_offers_read_only(folder, frozen_clock):
    session_id = make_session(folder)
    holder = folder.open(session_id)
    try:
        app = app_on(folder, session_id)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # yes, open it read-only
            await pilot.pause()
            assert app.read_only
            app.goto_phase("ideation")
            await pilot.pause()
            await type_text(pilot, "Rien")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.ideas == ()
            assert app.unexpected_errors == []
    finally:
        holder.close()


async def test_failed_save_is_marked_and_retried(folder, frozen_clock, monkeypatch):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    real_write, real_append = atomicio.atomic_write, atomicio.append_line

    def disk_full(path, data):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        monkeypatch.setattr("atelier.store.journal.atomic_write", disk_full)
        monkeypatch.setattr("atelier.store.journal.append_line", disk_full)
        await type_text(pilot, "Ne pas perdre")
        await pilot.press("enter")
        await pilot.pause()
        assert app.unsaved
        assert "NON ENREGISTRÉ" in screen_text(pilot)
        assert app.session.ideas[-1].text == "Ne pas perdre"
        assert reload(folder, session_id).ideas == ()
        await pilot.press("ctrl+q")  # leaving now would lose it: atelier asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        monkeypatch.setattr("atelier.store.journal.atomic_write", real_write)
        monkeypatch.setattr("atelier.store.journal.append_line", real_append)
        app.retry_save()
        await pilot.pause()
        assert not app.unsaved
        assert app.unexpected_errors == []
    assert [i.text for i in reload(folder, session_id).ideas] == ["Ne pas perdre"]
