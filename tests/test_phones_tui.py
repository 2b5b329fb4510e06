"""Phones in the TUI over a real socket on 127.0.0.1: join screen, moderation, the vote."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
import segno

from atelier import model, store
from atelier.app import AtelierApp, create_app
from atelier.lan.server import free_port
from atelier.screens.ideation import IdeationScreen
from atelier.screens.join import JoinScreen, qr_lines
from atelier.store import SessionFolder
from atelier.widgets.moderation import ModerationQueue

from uikit import HOSTILE, make_session

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def in_phase(folder: SessionFolder, phase: str) -> str:
    session_id = make_session(folder)
    with folder.open(session_id) as handle:
        handle.apply(model.set_phase, phase)
    return session_id


def with_phones(folder: SessionFolder, session_id: str) -> AtelierApp:
    port = free_port("127.0.0.1", 18765)
    return create_app(folder.root, "fr", open_session=session_id, phones=("127.0.0.1", port))


async def until(condition, timeout: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    """Wait (in the app's loop) until ``condition()``; returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


def on_disk(folder: SessionFolder, session_id: str) -> str:
    """Everything written for the session: the file and its journal."""
    path = folder.path_for(session_id)
    journal = store.journal_path(path)
    text = path.read_text(encoding="utf-8")
    return text + (journal.read_text(encoding="utf-8") if journal.exists() else "")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_drawn_qr_code_is_segnos_matrix() -> None:
    url = "http://192.168.100.100:8765/abcdefghijklmnopqrstuv/"
    lines = qr_lines(url)
    expected = [[bool(m) for m in row] for row in segno.make(url, error="l").matrix_iter(border=4)]
    rows: list[list[bool]] = []
    for line in lines:
        top = [ch in "█▀" for ch in line]
        bottom = [ch in "█▄" for ch in line]
        assert set(line) <= set("█▀▄ ")
        rows += [top, bottom]
    assert rows[: len(expected)] == expected
    assert all(not any(row) for row in rows[len(expected) :])  # padding line is light
    assert len(expected) % 2 == 0 or len(rows) == len(expected) + 1
    assert all(not any(row) for row in expected[:4])  # quiet zone of 4 modules
    assert len(lines) <= 22 and len(lines[0]) <= 56  # fits 80×24 beside the text


async def test_an_idea_from_a_phone_is_moderated_saved_and_undone(folder, frozen_clock):
    session_id = in_phase(folder, "ideation")
    app = with_phones(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, JoinScreen))
        await pilot.pause()
        url = app.phones.url
        port = app.phones.server.port
        assert url.startswith("http://127.0.0.1:")
        shown = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert url in shown and app.phones.room.code in shown
        await pilot.press("escape")
        assert isinstance(app.screen, IdeationScreen)
        jar = aiohttp.CookieJar(unsafe=True)
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as phone:
            await phone.post(url + "join", data={"name": "Dina"})
            response = await phone.post(url + "idea", data={"idea": "[/] Idée du <b>téléphone</b>"})
            assert response.status == 200
            queue = app.screen.query_one(ModerationQueue)
            took = await until(lambda: queue.query_one("QueueList").option_count == 1, 1.0)
            assert took < 1.0
            assert "téléphone" not in on_disk(folder, session_id)
            await pilot.press("ctrl+g", "enter")
            await pilot.pause()
            texts = [i.text for i in folder.load(session_id).ideas]
            assert texts[-1] == "[/] Idée du <b>téléphone</b>"
            author = folder.load(session_id).ideas[-1].author_id
            assert folder.load(session_id).participant(author).name == "Dina"  # type: ignore[arg-type]
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert "[/] Idée du <b>téléphone</b>" not in [
                i.text for i in folder.load(session_id).ideas
            ]
            await phone.post(url + "idea", data={"idea": "Refusée par l'animation"})
            await until(lambda: queue.query_one("QueueList").option_count == 1, 1.0)
            await pilot.press("x")
            await pilot.pause()
            assert queue.query_one("QueueList").option_count == 0
            assert "Refusée" not in on_disk(folder, session_id)
            # a phone still connected (keep-alive) and one half-way through a request
            await phone.get(url)
            stuck = socket.create_connection(("127.0.0.1", port))
            stuck.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
            started = time.monotonic()
            await pilot.press("ctrl+q")
            await pilot.pause()
    closed_after = time.monotonic() - started
    stuck.close()
    assert not port_open(port)
    assert closed_after < 2.0
    assert "Refusée" not in on_disk(folder, session_id)


async def test_switching_phones_off_closes_the_port(folder, frozen_clock):
    session_id = in_phase(folder, "rules")
    app = with_phones(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, JoinScreen))
        port = app.phones.server.port
        assert port_open(port)
        started = time.monotonic()
        await pilot.press("x")
        await until(lambda: app.phones is None)
        assert time.monotonic() - started < 2.0 and not port_open(port)


async def test_phone_ballots_count_like_laptop_ballots(folder, frozen_clock):
    session_id = make_session(folder, people=())
    with folder.open(session_id) as handle:
        for text in ("Alpha", "Beta", "Gamma"):
            handle.apply(model.add_idea, text)
        handle.apply(model.configure_vote, target="ideas", mode="ballot", method="dot")
        handle.apply(model.start_vote)
        handle.apply(model.set_phase, "vote")
    app = with_phones(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, JoinScreen))
        await pilot.press("escape")
        room = app.phones.room
        vote_round = room.open_round()
        url = app.phones.url
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            await phone.post(url + "join", data={"name": "Eve"})
            options = {f"o{i}": "0" for i in range(3)}
            await phone.post(
                url + "ballot",
                data={**options, "o1": "1", "round": str(vote_round.id), "cast": "1"},
            )
        await pilot.pause(0.2)
        status = str(app.screen.query_one("#vote-status").render())
        assert "1" in status and ("téléphones" in status or "phones" in status)
        saved = folder.load(session_id)
        assert list(saved.ballots) == [{vote_round.options[1]: 1}]
        assert saved.round(vote_round.id).voted == ()  # a phone names nobody


def test_phones_libraries_are_not_imported_at_start_up() -> None:
    code = (
        "import sys, atelier.app, atelier.cli, atelier.screens.ideation, atelier.screens.vote;"
        "print(sorted(m for m in ('aiohttp', 'segno', 'ifaddr', 'atelier.lan.server') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("size", "qr_shown"), [((80, 24), True), ((120, 40), True), ((60, 20), False)]
)
async def test_the_join_screen_fits_or_falls_back_to_the_url(folder, frozen_clock, size, qr_shown):
    session_id = in_phase(folder, "rules")
    app = with_phones(folder, session_id)
    async with app.run_test(size=size) as pilot:
        await until(lambda: isinstance(app.screen, JoinScreen))
        await pilot.pause()
        qr = app.screen.query_one("#join-qr")
        assert qr.display is qr_shown
        if qr_shown:
            lines = qr_lines(app.phones.url)
            assert qr.region.width == len(lines[0]) and qr.region.height == len(lines)
            assert qr.region.bottom <= size[1] - 1  # above the footer
            assert str(qr.styles.color) != str(qr.styles.background)
        url = app.screen.query_one("#join-url")
        assert str(url.render()).replace("\n", "") == app.phones.url
        assert url.region.right <= size[0]


async def test_the_facilitator_picks_among_several_addresses(folder, frozen_clock, monkeypatch):
    from atelier.lan import server
    from atelier.screens.dialogs import PickerDialog

    session_id = in_phase(folder, "rules")
    monkeypatch.setattr(server, "candidate_addresses", lambda: ["127.0.0.1", "127.0.0.2"])
    app = create_app(folder.root, "fr", open_session=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any(title.startswith("Téléphones (f12)") for title in commands)  # palette
        await pilot.press("f12")
        await until(lambda: isinstance(app.screen, PickerDialog))
        await pilot.press("down", "enter")
        await until(lambda: isinstance(app.screen, JoinScreen))
        assert app.phones.server.address == "127.0.0.2"
        assert app.phones.url.startswith("http://127.0.0.2:")
        await pilot.press("x")
        await until(lambda: app.phones is None)


async def test_no_network_is_a_message(folder, frozen_clock, monkeypatch):
    from atelier.lan import server

    session_id = in_phase(folder, "rules")
    monkeypatch.setattr(server, "candidate_addresses", lambda: [])
    app = create_app(folder.root, "fr", open_session=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert app.phones is None
        assert any("Aucun réseau" in str(n.message) for n in app._notifications)


async def test_the_queue_shows_hostile_text_literally_and_edits_and_accepts_all(
    folder, frozen_clock
):
    session_id = in_phase(folder, "ideation")
    app = with_phones(folder, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, JoinScreen))
        await pilot.press("escape")
        room = app.phones.room
        device = room.join("<i>Zoé</i>", "127.0.0.1")
        for text in HOSTILE:
            room.submit_idea(device, text)
            await asyncio.sleep(0.6)  # under the per-phone rate limit
        queue = app.screen.query_one("QueueList")
        await until(lambda: queue.option_count == len(HOSTILE))
        shown = [str(queue.get_option_at_index(i).prompt) for i in range(queue.option_count)]
        for text, line in zip(HOSTILE, shown, strict=True):
            assert line == f"<i>Zoé</i>: {model.clean_text(text, 'x', max_len=1000)}"
        await pilot.press("ctrl+g", "e")
        await pilot.press(*" ok", "enter")
        await pilot.pause()
        assert app.session.ideas[-1].text == "[bold]gras[/bold] ok"
        await pilot.press("t")  # accept all: the rest goes to the board
        await pilot.pause()
        texts = [i.text for i in folder.load(session_id).ideas]
        assert texts[-len(HOSTILE) :] == [
            "[bold]gras[/bold] ok",
            *(model.clean_text(t, "x", max_len=1000) for t in HOSTILE[1:]),
        ]
        assert queue.option_count == 0 and room.accept_all


def test_open_with_phones_on_the_command_line(folder, monkeypatch):
    from atelier import cli

    session_id = in_phase(folder, "rules")
    seen: dict[str, object] = {}

    class Fake:
        return_code = 0

        def run(self) -> None:
            seen["ran"] = True

    def fake_create_app(root, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(kwargs)
        return Fake()

    monkeypatch.setattr("atelier.app.create_app", fake_create_app)
    args = ["--dir", str(folder.root), "open", session_id[:6], "--phones"]
    assert cli.main([*args, "--bind", "127.0.0.1", "--port", "9000"]) == 0
    assert seen["phones"] == ("127.0.0.1", 9000) and seen["ran"]
    assert cli.main(args) == 0
    assert seen["phones"] == (None, None)
    assert cli.main(args[:-1]) == 0
    assert seen["phones"] is None
