"""The participant server through aiohttp's test client: every status code and header."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from test_lan_room import FakeHost, voting_session

from atelier import model
from atelier.lan.room import Room
from atelier.lan.server import HOSTS_KEY, ROOM_KEY, SECURITY_HEADERS, make_app


def ideation_session() -> model.Session:
    session = model.new_session("s", "Atelier <script>alert(1)</script>", lang="fr")
    session = replace(session, question="Comment [b]mieux[/b] <i>accueillir</i> ?")
    return model.set_phase(session, "ideation")


@pytest.fixture
def host() -> FakeHost:
    return FakeHost(ideation_session())


@pytest.fixture
async def client(host: FakeHost) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    room = Room(host)
    app = make_app(room, set())
    server = TestServer(app, host="127.0.0.1")
    async with TestClient(server) as test_client:
        app[HOSTS_KEY].add(f"127.0.0.1:{server.port}")
        yield test_client


def room_of(client: TestClient) -> Room:  # type: ignore[type-arg]
    assert client.app is not None
    return client.app[ROOM_KEY]


def assert_secure(response: ClientResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp


async def joined(client: TestClient, name: str = "Awa") -> str:  # type: ignore[type-arg]
    room = room_of(client)
    response = await client.post(f"/{room.token}/join", data={"name": name}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == f"/{room.token}/"
    assert_secure(response)
    cookie = response.cookies["atelier_phone"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    return room.token


async def test_the_join_page_is_served_with_every_security_header(client: TestClient) -> None:  # type: ignore[type-arg]
    room = room_of(client)
    response = await client.get(f"/{room.token}/")
    assert response.status == 200 and response.content_type == "text/html"
    assert_secure(response)
    text = await response.text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script src='/static/phone.js' defer></script>" in text
    assert not re.search(r"<script>|style=| on\w+=", text)  # nothing inline: CSP holds
    assert "http" not in text.replace("http-equiv", "")  # no external asset


async def test_a_wrong_token_is_404(client: TestClient) -> None:  # type: ignore[type-arg]
    token = room_of(client).token
    for path in (f"/{token[:-1]}x/", "/nope/state", f"/{token}x/idea", "/static/other.js"):
        response = await client.get(path)
        assert response.status == 404, path
        assert_secure(response)
    response = await client.post("/wrong/idea", data={"idea": "x"})
    assert response.status == 404


async def test_a_foreign_host_is_403(client: TestClient) -> None:  # type: ignore[type-arg]
    token = room_of(client).token
    response = await client.get(f"/{token}/", headers={"Host": "evil.example"})
    assert response.status == 403
    assert_secure(response)


async def test_a_cross_origin_post_is_403(client: TestClient, host: FakeHost) -> None:  # type: ignore[type-arg]
    token = await joined(client)
    response = await client.post(
        f"/{token}/idea",
        data={"idea": "Forgée ailleurs"},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
    )
    assert response.status == 403
    assert_secure(response)
    assert room_of(client).pending == []
    same = f"http://127.0.0.1:{client.port}"
    for origin in (same, "null"):  # our own page (or one with no-referrer) may post
        response = await client.post(
            f"/{token}/idea", data={"idea": origin}, headers={"Origin": origin}
        )
        assert response.status == 200
    assert len(room_of(client).pending) == 2


async def test_a_body_over_8_kib_is_413(client: TestClient) -> None:  # type: ignore[type-arg]
    token = await joined(client)
    response = await client.post(f"/{token}/idea", data={"idea": "x" * 9000})
    assert response.status == 413
    assert_secure(response)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the reader still stops
        for _i in range(10):
            yield b"idea=" + b"y" * 1000

    response = await client.post(
        f"/{token}/idea",
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 413
    assert room_of(client).pending == []


async def test_the_sixth_idea_within_three_seconds_is_429(client: TestClient) -> None:  # type: ignore[type-arg]
    token = await joined(client)
    for n in range(5):
        response = await client.post(
            f"/{token}/idea", data={"idea": f"Idée {n}"}, allow_redirects=False
        )
        assert response.status == 303
    response = await client.post(f"/{token}/idea", data={"idea": "Une de trop"})
    assert response.status == 429 and 1 <= int(response.headers["Retry-After"]) <= 4
    assert_secure(response)
    assert len(room_of(client).pending) == 5


async def test_ideas_reach_the_queue_escaped_and_never_the_session(
    client: TestClient,  # type: ignore[type-arg]
    host: FakeHost,
) -> None:
    token = await joined(client, "<b>Awa</b>")
    hostile = "[/] <img src=x onerror=alert(1)> مرحبا 👍"
    response = await client.post(f"/{token}/idea", data={"idea": hostile})
    assert response.status == 200
    text = await response.text()
    assert "flash ok" in text and "<img" not in text
    assert "Comment [b]mieux[/b] &lt;i&gt;accueillir&lt;/i&gt; ?" in text
    room = room_of(client)
    assert [(p.text, p.name) for p in room.pending] == [(hostile, "<b>Awa</b>")]
    assert host.session.ideas == ()
    too_long = "z" * 1001
    response = await client.post(f"/{token}/idea", data={"idea": too_long})
    text = await response.text()
    assert "too long" in text and too_long in text  # the typed text comes back
    room.show_accepted = True
    room.accept(room.pending[0].id)
    text = await (await client.get(f"/{token}/")).text()
    assert "[/] &lt;img src=x onerror=alert(1)&gt;" in text


async def test_state_answers_304_while_nothing_changed(client: TestClient, host: FakeHost) -> None:  # type: ignore[type-arg]
    token = await joined(client)
    first = await client.get(f"/{token}/state")
    assert first.status == 200 and first.content_type == "application/json"
    assert_secure(first)
    etag = first.headers["ETag"]
    again = await client.get(f"/{token}/state", headers={"If-None-Match": etag})
    assert again.status == 304
    assert_secure(again)
    host.session = model.set_phase(host.session, "clustering")
    changed = await client.get(f"/{token}/state", headers={"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["ETag"] != etag


async def test_assets_are_same_origin_files(client: TestClient) -> None:  # type: ignore[type-arg]
    for name, kind in (("phone.js", "text/javascript"), ("phone.css", "text/css")):
        response = await client.get(f"/static/{name}")
        assert response.status == 200 and response.content_type == kind
        assert_secure(response)


async def test_the_short_code_leads_to_the_join_page(client: TestClient) -> None:  # type: ignore[type-arg]
    room = room_of(client)
    response = await client.get("/")
    assert response.status == 200
    assert_secure(response)
    response = await client.post("/", data={"code": "nope"})
    assert response.status == 200 and "Code inconnu" in await response.text()
    response = await client.post("/", data={"code": room.code.upper()}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == f"/{room.token}/"
    for _i in range(10):
        response = await client.post("/", data={"code": "nope"})
    assert response.status == 429


async def test_an_unexpected_error_is_a_500_page_and_nothing_is_logged(
    client: TestClient,  # type: ignore[type-arg]
    host: FakeHost,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = await joined(client)

    def broken(session: model.Session, *args: object) -> model.Session:
        raise RuntimeError("boom")

    room_of(client).accept_all = True
    host.apply_operation = broken  # type: ignore[method-assign,assignment]
    response = await client.post(f"/{token}/idea", data={"idea": "Une"})
    assert response.status == 500 and "boom" not in await response.text()
    assert_secure(response)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert not [r for r in caplog.records if r.name.startswith("aiohttp")]


async def test_a_dot_ballot_without_javascript(host: FakeHost) -> None:
    host.session = voting_session("dot")
    room = Room(host)
    app = make_app(room, set())
    server = TestServer(app, host="127.0.0.1")
    async with TestClient(server) as client:
        app[HOSTS_KEY].add(f"127.0.0.1:{server.port}")
        token = await joined(client)
        vote_round = room.open_round()
        assert vote_round is not None
        page = await (await client.get(f"/{token}/")).text()
        assert "class='dots'" in page and "<output id='left'>1</output>" in page
        form = {"round": str(vote_round.id), "o0": "0", "o1": "0", "o2": "0"}
        response = await client.post(f"/{token}/ballot", data={**form, "adjust": "plus:1"})
        page = await response.text()
        assert "<output id='left'>0</output>" in page and "id='count-1'>1<" in page
        response = await client.post(f"/{token}/ballot", data={**form, "o0": "1", "o1": "1"})
        assert "each voter has" in await response.text()
        assert host.session.ballots == ()
        response = await client.post(f"/{token}/ballot", data={**form, "o1": "1", "cast": "1"})
        assert "flash ok" in await response.text()
        response = await client.post(f"/{token}/ballot", data={**form, "o2": "1", "cast": "1"})
        ballots = host.session.ballots_of(vote_round.id)
        assert len(ballots) == 1 and ballots[0] == {vote_round.options[2]: 1}
        assert host.session.round(vote_round.id).voted == ()  # no one named


async def test_a_majority_judgment_ballot_needs_every_grade(host: FakeHost) -> None:
    host.session = voting_session("mj")
    room = Room(host)
    app = make_app(room, set())
    server = TestServer(app, host="127.0.0.1")
    async with TestClient(server) as client:
        app[HOSTS_KEY].add(f"127.0.0.1:{server.port}")
        token = await joined(client)
        vote_round = room.open_round()
        assert vote_round is not None
        page = await (await client.get(f"/{token}/")).text()
        assert page.count("type='radio' name='o0'") == len(vote_round.grades)
        assert "required" in page
        response = await client.post(
            f"/{token}/ballot", data={"round": str(vote_round.id), "o0": "2", "cast": "1"}
        )
        assert "chaque option" in await response.text() or "every option" in await response.text()
        assert host.session.ballots == ()
        marks = {f"o{i}": str(i) for i in range(3)}
        response = await client.post(
            f"/{token}/ballot", data={"round": str(vote_round.id), **marks, "cast": "1"}
        )
        assert "flash ok" in await response.text()
        ballot = host.session.ballots[0]
        assert ballot == {o: i for i, o in enumerate(vote_round.options)}
        page = await (await client.get(f"/{token}/?change=1")).text()
        assert "value='2' required checked" in page  # the ballot to change, as cast
