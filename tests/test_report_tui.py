"""The report in the TUI (issue 14 items 3, 5, 6), driven by key presses and checked on disk:
F10 parks a point from any phase, the summary screen shows the Markdown report with hostile
text shown as typed, the export dialog makes an anonymous report, P prints paper, and the
setup screen takes the header fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Markdown

from atelier import model
from atelier.app import AtelierApp, create_app
from atelier.screens.notes import NoteDialog
from atelier.screens.summary import SummaryScreen
from atelier.store import SessionFolder

from uikit import HOSTILE, make_session, reload, type_text

SIZE = (120, 40)
MARKDOWN_LIKE = ["# pas un titre", "| a | b |", "<b>gras</b>", "- pas une liste", "*x* _y_"]


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def app_on(folder: SessionFolder, session_id: str) -> AtelierApp:
    return create_app(folder.root, "fr", open_session=session_id)


def report_text(app: AtelierApp) -> str:
    """What the Markdown widget shows, block by block, as plain text."""
    view = app.screen.query_one("#overview", Markdown)
    parts = []
    for block in view.query("*"):
        rendered = block.render()
        parts.append(str(getattr(rendered, "plain", rendered)))
    return "\n".join(parts)


async def test_f10_parks_a_point_from_any_phase_and_undo_removes_it(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        # Typed fast, straight after the key: every character lands in the dialog.
        await pilot.press("f10", *"Parking trop petit", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
        assert [(n.text, n.kind, n.phase) for n in reload(folder, session_id).notes] == [
            ("Parking trop petit", "parking", "ideation")
        ]
        app.goto_phase("vote")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "[/] Enfin !")
        await pilot.press("tab", "down", "down", "enter")  # the kind: a verbatim quote
        app.screen.query_one("#note-text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        quote = reload(folder, session_id).notes[-1]
        assert (quote.text, quote.kind, quote.phase) == ("[/] Enfin !", "quote", "vote")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.unexpected_errors == []
    notes = reload(folder, session_id).notes
    assert [(n.text, n.kind) for n in notes] == [("Parking trop petit", "parking")]


async def test_f10_with_nothing_typed_keeps_nothing(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10", "enter", "f10", "escape")
        await pilot.pause()
        assert app.unexpected_errors == []
    assert reload(folder, session_id).notes == ()


async def test_summary_shows_the_report_with_hostile_text_as_typed(folder, frozen_clock):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        for text in (*HOSTILE, *MARKDOWN_LIKE):
            handle.apply(model.add_idea, text)
        handle.apply(model.add_note, "[bold]parking[/bold] | # <i>")
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("summary")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        shown = report_text(app)
        assert "====" not in shown and "Idées par regroupement" in shown
        for text in (*HOSTILE, *MARKDOWN_LIKE):
            expected = model.clean_text(text, "x", max_len=1000)
            assert expected in shown, expected
        assert "[bold]parking[/bold] | # <i>" in shown
        assert "Parking\u00a0: points hors sujet mis de côté" in shown  # no-break space kept
        await pilot.press("down", "pagedown", "end")  # the keys scroll the report
        await pilot.pause()
        assert app.unexpected_errors == []


async def test_export_dialog_writes_an_anonymous_report(folder, frozen_clock):
    session_id = make_session(folder, people=("Awa Diallo", "Bruno Lefèvre"))
    with folder.open(session_id) as handle:
        handle.apply(model.add_idea, "Une idée", 1)
        handle.apply(model.add_action, "Agir", "Bruno Lefèvre")
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("summary")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#anonymous", Checkbox).focus()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert app.unexpected_errors == []
    written = sorted((folder.root / "exports").iterdir())
    assert [p.suffix for p in written] == [".html", ".md", ".odt"]
    assert all("-anonyme" in p.name for p in written)
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "Awa" not in markdown and "Bruno" not in markdown and "Agir" in markdown


async def test_p_prints_cards_and_ballots_from_the_summary(folder, frozen_clock):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        for text in ("Vélos", "Trams"):
            handle.apply(model.add_idea, text)
        handle.apply(model.configure_vote, target="ideas")
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("summary")
        await pilot.pause()
        await pilot.press("p", *"fiches", "enter")
        await pilot.pause()
        await pilot.press("enter")  # close the message saying where
        await pilot.press("p", *"bulletins", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.unexpected_errors == []
    names = sorted(p.name for p in (folder.root / "exports").iterdir())
    assert len(names) == 2
    assert names[0].endswith("-bulletins.odt") and names[1].endswith("-fiches.odt")


async def test_setup_takes_hours_place_and_next_meeting(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for field, text in (
            ("#f-start", "9h30"),
            ("#f-end", "12"),
            ("#f-place", "Salle du conseil"),
            ("#f-next", "Bilan en janvier"),
        ):
            app.screen.query_one(field, Input).focus()
            await type_text(pilot, text)
            await pilot.press("enter")
        app.screen.query_one("#f-end", Input).focus()
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "midi")  # refused: explained, kept in the field
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#f-end", Input).has_class("-invalid")
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert (session.start_time, session.end_time) == ("09:30", "12:00")
    assert (session.place, session.next_meeting) == ("Salle du conseil", "Bilan en janvier")


async def test_the_palette_prints_ballots_from_the_vote_phase(folder, frozen_clock):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        for text in ("Vélos", "Trams"):
            handle.apply(model.add_idea, text)
        handle.apply(model.configure_vote, target="ideas")
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("vote")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Imprimer bulletins")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"bulletins", "enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    (written,) = (folder.root / "exports").iterdir()
    assert written.name.endswith("-bulletins.odt")


async def test_n_on_the_summary_edits_and_deletes_a_note(folder, frozen_clock):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        handle.apply(model.add_note, "Parking à revoir")
        handle.apply(model.add_note, "Une note", "note")
    app = app_on(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        app.goto_phase("summary")
        await pilot.pause()
        await pilot.press("n", "enter")  # the first note
        await pilot.pause()
        await pilot.press("end")
        await type_text(pilot, " vite")
        await pilot.press("enter")
        await pilot.pause()
        assert "Parking à revoir vite" in report_text(app)
        await pilot.press("n", "down", "enter")
        await pilot.pause()
        await pilot.press(*["backspace"] * 20, "enter")
        await pilot.pause()
        assert app.unexpected_errors == []
    notes = reload(folder, session_id).notes
    assert [(n.text, n.kind) for n in notes] == [("Parking à revoir vite", "parking")]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_parking_dialog_snapshot(snap_compare, folder, frozen_clock, size):
    """The F10 form over the ideation screen: the point typed, the kinds, the keys."""
    session_id = make_session(folder)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.goto_phase("ideation")
        await pilot.pause()
        await pilot.press("f10", *"Le parking est trop petit")
        await pilot.pause()

    app = app_on(folder, session_id)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
