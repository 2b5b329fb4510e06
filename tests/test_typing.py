"""Fast typing and what each action really does: whole key sequences with no pause."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from atelier.app import AtelierApp, create_app
from atelier.store import SessionFolder
from atelier.widgets.fields import BRACKETED_PASTE_END, BRACKETED_PASTE_START, PasteSafeParser

from uikit import make_session, reload


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def app_on(folder: SessionFolder, session_id: str) -> AtelierApp:
    return create_app(folder.root, "fr", open_session=session_id)


NAMED = {"enter", "tab", "escape", "backspace", "delete", "down", "up", "end", "home"}


def keys_of(*parts: str) -> list[str]:
    """« idée un », "enter" … → key names: named keys as they are, text one key per char."""
    keys: list[str] = []
    for part in parts:
        if part in NAMED or part.startswith("ctrl+") or (part[0] == "f" and part[1:].isdigit()):
            keys.append(part)
        else:
            keys.extend("space" if ch == " " else ch for ch in part)
    return keys


async def burst(pilot: Pilot, *parts: str) -> None:
    """Every key queued at once, as a terminal delivers a fast typist's keys in one read."""
    app = pilot.app
    for key in keys_of(*parts):
        char = " " if key == "space" else (key if len(key) == 1 else None)
        if key == "enter":
            char = "\r"
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)
    for _ in range(5):
        await pilot.pause()


async def test_ideas_typed_without_pause_stay_apart(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await burst(pilot, "idée un", "enter", "idée deux", "enter", "idée trois")
        assert app.unexpected_errors == []
        assert app.screen.query_one("#idea-input").value == "idée trois"
    assert [i.text for i in reload(folder, session_id).ideas] == ["idée un", "idée deux"]



def test_a_paste_with_escape_sequences_arrives_whole_and_in_order():
    parser = PasteSafeParser()
    pasted = "Pause café ensemble le \x1b[31mvendredi\x1b[0m\nà 10 h"
    data = "x" + BRACKETED_PASTE_START + pasted + BRACKETED_PASTE_END + "y"
    tokens = [*parser.feed(data[:20]), *parser.feed(data[20:33]), *parser.feed(data[33:])]
    shown = [t.text if isinstance(t, events.Paste) else t.key for t in tokens]
    assert shown == ["x", "Pause café ensemble le vendredi\nà 10 h", "y"]


async def test_typed_emoji_keeps_its_joiners(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    family = "👩\u200d👩\u200d👧"
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await burst(pilot, "Pour la ", *family, " et le 🏴\U000e0067\U000e0062\U000e007f", "enter")
        assert app.unexpected_errors == []
    assert [i.text for i in reload(folder, session_id).ideas] == [
        f"Pour la {family} et le 🏴\U000e0067\U000e0062\U000e007f"
    ]


async def test_action_form_typed_without_pause(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("actions")
        await pilot.pause()
        await burst(pilot, "n", "Écrire le livret", "enter", "Chloé", "enter", "31/02/2027")
        await burst(pilot, "enter", "ctrl+s")  # Enter on the date goes on to « Linked to »
        # refused: the form stays, the focus on the date, every field as typed
        assert app.focused is not None and app.focused.id == "a-due"
        assert app.screen.query_one("#a-what").value == "Écrire le livret"
        await burst(pilot, *["backspace"] * 10, "28/02/2026")
        await burst(pilot, "ctrl+s", "n", "Deuxième", "enter", "enter", "enter", "ctrl+s")
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert [(a.what, a.owner, a.due) for a in session.actions] == [
        ("Écrire le livret", "Chloé", "2026-02-28"),
        ("Deuxième", "", None),
    ]
