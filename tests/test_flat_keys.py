"""Keys whose cost must not grow with the session, through the app: what the incremental
structures and the lighter repaints behind them must keep doing for the facilitator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from atelier.app import create_app
from atelier.screens.ideation import IdeationScreen
from atelier.store import SessionFolder
from atelier.widgets.ideas_view import IdeasView

from uikit import make_session, type_text


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config, templates or logs from the machine running the tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


async def ideation(folder: SessionFolder, pilot: Any) -> IdeationScreen:
    pilot.app.goto_phase("ideation")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, IdeationScreen)
    for _ in range(100):  # the « close to » index is built in a thread
        if screen.index is not None:
            break
        await pilot.pause(0.02)
    return screen


async def test_an_idea_restored_by_undo_is_pointed_out_as_close(
    folder: SessionFolder, frozen_clock: object
) -> None:
    """The « close to #12 » index follows every change of the session, undo included: an
    idea deleted then restored with ctrl+z is found again for a near-duplicate."""
    session_id = make_session(folder)
    app = create_app(folder.root, "en", open_session=session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ideation(folder, pilot)
        await type_text(pilot, "Remercier les collègues après un dossier difficile")
        await pilot.press("enter")
        await type_text(pilot, "Des plantes vertes")
        await pilot.press("enter", "down", "up", "delete")
        await pilot.pause()
        assert [i.id for i in app.session.ideas] == [2]
        await pilot.press("ctrl+z", "escape")
        await pilot.pause()
        assert [i.id for i in app.session.ideas] == [1, 2]
        await type_text(pilot, "Remercier les collègues apres un dossier difficile")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.similar_to == (3, 1)
        hint = screen.query_one("#capture-hint").render()
        assert "Close to #1" in str(getattr(hint, "plain", hint))
        counts = screen.tally.authors
        assert counts == app.session.author_counts() and sum(counts.values()) == 3
        assert screen.query_one(IdeasView).selected_id == 3
        assert app.unexpected_errors == []  # type: ignore[attr-defined]


async def test_typing_in_the_capture_field_does_not_lay_the_screen_out(
    folder: SessionFolder, frozen_clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A character typed repaints the field, not the whole screen (a layout per key), and
    a text longer than the field still scrolls with the cursor."""
    layouts: list[bool] = []
    original = Screen._refresh_layout

    def counted(self: Screen, *args: Any, **kwargs: Any) -> None:  # type: ignore[type-arg]
        layouts.append(True)
        original(self, *args, **kwargs)

    session_id = make_session(folder)
    app = create_app(folder.root, "en", open_session=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await ideation(folder, pilot)
        field = app.screen.query_one("#idea-input", Input)
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await type_text(pilot, "Des pauses ensemble " * 6)
        await pilot.pause()
        assert layouts == []
        assert field.scroll_x == field.max_scroll_x > 0  # the end of the text, cursor shown
        await pilot.press("home")
        assert field.scroll_x == 0
        await pilot.press("enter")
        await pilot.pause()
        assert field.value == "" and field.scroll_x == 0 and layouts == []
        assert app.session.ideas[-1].text == ("Des pauses ensemble " * 6).strip()
        await pilot.press("ctrl+t")  # the participation panel, hidden when narrow, is current
        await pilot.pause()
        panel = app.screen.query_one("#participation")
        assert panel.region.height > 3 and "1 no author" in str(panel.render())
