"""Fast typing and what each action really does: whole key sequences with no pause."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import tomllib
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable

from atelier import model
from atelier.app import AtelierApp, create_app
from atelier.config import load_config, save_theme
from atelier.export.markdown import render_report
from atelier.screens.actions import ActionsScreen
from atelier.screens.ideation import IdeationScreen
from atelier.screens.results import ResultsScreen
from atelier.store import SessionFolder
from atelier.summary import build_summary, format_duration, summary_report
from atelier.widgets.fields import BRACKETED_PASTE_END, BRACKETED_PASTE_START, PasteSafeParser
from atelier.widgets.ideas_view import IdeasView

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


async def test_f9_then_a_digit_goes_to_that_phase(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "f9", "6")
        assert isinstance(app.screen, ResultsScreen)
        await burst(pilot, "f9", "3", "Une idée tout de suite", "enter")
        assert isinstance(app.screen, IdeationScreen)
        assert app.unexpected_errors == []
    assert [i.text for i in reload(folder, session_id).ideas] == ["Une idée tout de suite"]


async def test_the_theme_chosen_is_kept_with_every_other_setting(folder, frozen_clock, tmp_path):
    config = tmp_path / "config" / "atelier" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('# mes réglages\nlang = "fr"\n\n[keymap]\nnext_phase = "f12"\n')
    app = create_app(folder.root, "fr")
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-light"
    assert tomllib.loads(config.read_text()) == {
        "lang": "fr",
        "theme": "light",
        "keymap": {"next_phase": "f12"},
    }
    assert config.read_text().startswith("# mes réglages\n")
    again = create_app(folder.root, "fr")
    assert again.theme == "textual-light"
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        again.action_toggle_theme()
    assert tomllib.loads(config.read_text())["theme"] == "dark"


def test_a_config_file_that_cannot_be_read_is_never_replaced(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("lang = [broken\n")
    assert save_theme("light", config) is not None
    assert config.read_text() == "lang = [broken\n"
    fresh = tmp_path / "new" / "config.toml"
    assert save_theme("light", fresh) is None
    assert load_config(fresh).theme == "light"


async def test_an_unknown_name_is_never_credited_to_someone_else(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        # capture is never blocked: the next idea is typed at once
        await burst(pilot, "@awa Dire bonjour", "enter", "@Zoé une idée", "enter")
        assert "ctrl+n" in str(app.screen.query_one("#capture-hint").render())
        await burst(pilot, "suite", "enter")
        # ctrl+n offers to add Zoé first: she is added and her idea credited
        await burst(pilot, "@Yann Idée de Yann", "enter", "ctrl+n", "enter", "encore", "enter")
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    names = {p.id: p.name for p in session.participants}
    assert [(i.text, names.get(i.author_id)) for i in session.ideas] == [
        ("Dire bonjour", "Awa"),
        ("une idée", None),  # kept without author, not credited to Awa
        ("suite", None),
        ("Idée de Yann", "Yann"),  # added as a participant, credited
        ("encore", "Yann"),
    ]


async def test_a_merged_idea_keeps_every_author(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await burst(pilot, "@awa Remercier les collègues après un dossier difficile", "enter")
        await burst(pilot, "@bruno Remercier les collègues apres un dossier difficile", "enter")
        for _ in range(40):  # the similarity index is built in a thread
            if app.screen.similar_to is not None:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.05)
        await burst(pilot, "ctrl+f")
        panel = str(app.screen.query_one("#participation").render())
        assert "1 Awa" in panel and "1 Bruno" in panel
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    assert session.author_counts()[2] == 1  # Bruno
    (idea,) = session.ideas
    assert session.author_name(idea) == "Awa, Bruno"
    markdown = render_report(summary_report(build_summary(session))).decode()
    assert "Awa, Bruno" in markdown


async def test_undo_shows_what_it_changed_in_its_phase(folder, frozen_clock):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        for number in range(1, 31):
            handle.apply(model.add_action, f"Action {number}")
        handle.apply(model.delete_action, 7)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await burst(pilot, "ctrl+z")  # the deletion of action 7, made in another phase
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 6 and app.session.actions[6].id == 7
        await burst(pilot, "ctrl+y")  # deleted again: still on the action plan
        assert isinstance(app.screen, ActionsScreen)
        assert 7 not in {a.id for a in app.session.actions}
        assert app.unexpected_errors == []


async def test_hints_do_not_go_stale_after_undo(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("ideation")
        await pilot.pause()
        await burst(pilot, "Remercier les collègues après un dossier difficile", "enter")
        await burst(pilot, "Remercier les collègues apres un dossier difficile", "enter")
        for _ in range(40):  # the similarity index is built in a thread
            if app.screen.similar_to is not None:  # type: ignore[attr-defined]
                break
            await pilot.pause(0.05)
        await burst(pilot, "ctrl+f")
        hint = app.screen.query_one("#capture-hint")
        assert "#1" in str(hint.render())
        await burst(pilot, "ctrl+z")
        assert str(hint.render()).strip() == ""
        ideas = app.screen.query_one(IdeasView)
        assert ideas.selected_id == 2
        await burst(pilot, "down", "up", "delete")
        assert "#1" in str(hint.render())
        await burst(pilot, "ctrl+z")
        assert str(hint.render()).strip() == "" and ideas.selected_id == 1
        assert app.unexpected_errors == []
    assert [i.id for i in reload(folder, session_id).ideas] == [1, 2]


async def test_time_spent_counts_from_entering_to_leaving_a_phase(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        frozen_clock.advance(120)  # 2 minutes on the setup, timer never started
        await burst(pilot, "f8")
        frozen_clock.advance(60)
        await burst(pilot, "f8")  # ideation: F4 is never pressed
        frozen_clock.advance(25 * 60)
        await burst(pilot, "f7")  # back to the rules for a minute
        frozen_clock.advance(60)
        await burst(pilot, "f9", "3")
        frozen_clock.advance(5 * 60)
        assert app.unexpected_errors == []
    # leaving the app stops the clock: the time while it is closed does not count
    frozen_clock.advance(3600)
    session = reload(folder, session_id)
    assert [int(session.timing(p).spent()) for p in ("setup", "rules", "ideation")] == [
        120,
        120,
        30 * 60,
    ]
    summary = build_summary(session)
    ideation = next(p for p in summary.phases if p.key == "ideation")
    assert ideation.spent == format_duration(30 * 60) and ideation.timed


async def test_a_timer_reset_can_be_undone(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "f4", "f5")
        frozen_clock.advance(90)
        await burst(pilot, "f6")
        assert app.session.timing("setup").remaining() == 5 * 60
        frozen_clock.advance(30)
        await burst(pilot, "ctrl+z")
        timing = app.session.timing("setup")
        assert timing.running and timing.remaining() == 6 * 60 - 120
        await burst(pilot, "f4")
        assert app.unexpected_errors == []
    timing = reload(folder, session_id).timing("setup")
    assert not timing.running and timing.timer_run() == 120 and timing.elapsed() == 120


def run_in_pty(args: list[str], env: dict[str, str], typed: list[bytes]) -> bytes:
    """Run atelier in a pseudo-terminal of 80×24; once its screen is drawn, write each
    chunk of ``typed`` at once (no delay between keys), then quit with ctrl+q."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real app, as a facilitator starts it
        os.execvpe(sys.executable, [sys.executable, "-m", "atelier", *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = b""
    deadline = time.monotonic() + 30

    def read_until(marker: bytes, quiet: float = 0.5) -> None:
        nonlocal output
        seen_at = None
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                output += chunk
            if seen_at is None and marker in output:
                seen_at = time.monotonic()
            if seen_at is not None and time.monotonic() - seen_at > quiet:
                return

    try:
        read_until("Entrée".encode())
        for chunk in typed:
            os.write(fd, chunk)
            read_until(b"", quiet=0.3)
        os.write(fd, b"\x11")  # ctrl+q
        read_until(b"\x00never", quiet=0)
    finally:
        for _ in range(100):
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return output


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_fast_typing_in_a_real_terminal(folder, tmp_path):
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        handle.apply(model.set_phase, "ideation")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    env.pop("NO_COLOR", None)
    family = "👩\u200d👩\u200d👧"
    lines = [f"ligne {n} du tableau" for n in range(1, 9)]
    typed = [
        # two ideas typed with no pause at all, the second Enter right after the first
        "idée un\ridée deux\r".encode(),
        # an 8-line paste in a terminal without bracketed paste: Enter after each line
        "".join(line + "\r" for line in lines).encode(),
        # a bracketed paste carrying colour codes, then an emoji typed with its joiners
        b"\x1b[200~Pause caf\xc3\xa9 ensemble le \x1b[31mvendredi\x1b[0m\x1b[201~\r",
        f"Pour la {family}\r".encode(),
        # an unknown @name opens a question; Escape (no author) and the next idea at once
        "@Zoé de Zoé\r\x1bAprès Échap\r".encode(),
    ]
    run_in_pty(["--dir", str(folder.root), "--lang", "fr", "open", session_id], env, typed)
    texts = [i.text for i in reload(folder, session_id).ideas]
    assert texts == [
        "idée un",
        "idée deux",
        *lines,
        "Pause café ensemble le vendredi",
        f"Pour la {family}",
        "de Zoé",
        "Après Échap",
    ]
    assert {i.author_id for i in reload(folder, session_id).ideas} == {None}


async def test_every_dialog_takes_keys_typed_without_pause(folder, frozen_clock):
    session_id = make_session(folder)
    app = app_on(folder, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto_phase("rules")
        await pilot.pause()
        # two prompts in a row (title, then explanation), then the next rule at once
        await burst(pilot, "n", "Couper son téléphone", "enter", "pendant l'atelier", "enter")
        await burst(pilot, "n", "Arriver à l'heure", "enter", "enter")
        app.goto_phase("ideation")
        await pilot.pause()
        # the author picker opened by ctrl+n gets the filter, Enter picks, the next idea
        # goes to the capture field
        await burst(pilot, "ctrl+n", "chlo", "enter", "Idée de Chloé", "enter")
        await burst(pilot, "down", "delete", "escape", "Après la suppression", "enter")
        app.goto_phase("clustering")
        await pilot.pause()
        await burst(pilot, "n", "Se parler", "enter", "n", "Se reposer", "enter")
        app.goto_phase("actions")
        await pilot.pause()
        await burst(pilot, "n", "Une action", "ctrl+s", "delete", "enter")  # confirm: deleted
        await burst(pilot, "n", "Gardée", "ctrl+s", "delete", "escape", "n", "Autre", "ctrl+s")
        assert app.unexpected_errors == []
    session = reload(folder, session_id)
    rules = [(r.title, r.explanation) for r in session.rules][-2:]
    assert rules == [("Couper son téléphone", "pendant l'atelier"), ("Arriver à l'heure", "")]
    chloe = next(p.id for p in session.participants if p.name == "Chloé")
    assert [(i.text, i.author_id) for i in session.ideas] == [("Après la suppression", chloe)]
    assert [c.label for c in session.clusters][-2:] == ["Se parler", "Se reposer"]
    assert [a.what for a in session.actions] == ["Gardée", "Autre"]


def test_escape_then_text_at_once_stays_escape_then_text():
    """tmux send-keys, or a fast hand: ESC then « @Chloé » was read as alt+@ and lost."""

    def keys(*chunks: str) -> list[str]:
        parser = PasteSafeParser()
        return [getattr(t, "key", "") for chunk in chunks for t in parser.feed(chunk)]

    assert keys("\x1b@Chl") == ["escape", "at", "C", "h", "l"]
    assert keys("\x1b", "@C") == ["escape", "at", "C"]
    assert keys("\x1bOP", "\x1b[A", "\x1b[15~") == ["f1", "up", "f5"]  # sequences still read
