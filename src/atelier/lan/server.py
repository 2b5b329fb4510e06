"""The participant server: small HTML pages over the room, served by aiohttp in the app's loop.

Pages work without JavaScript (forms, POST then redirect); a same-origin script follows the
workshop by polling a state URL (ETag / 304). Every response carries a strict CSP and
no-store; every piece of text is escaped; nothing is ever logged to the terminal.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import logging
import socket
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path

from aiohttp import web

from atelier import i18n
from atelier.errors import AtelierError
from atelier.lan.room import Device, PhoneState, RateLimited, Room
from atelier.model import VoteRound

MAX_BODY = 8 * 1024
DEFAULT_PORT = 8765
COOKIE = "atelier_phone"
STATIC = Path(__file__).parent / "static"
ASSETS = {"phone.js": "text/javascript", "phone.css": "text/css", "icon.svg": "image/svg+xml"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
ROOM_KEY = web.AppKey("room", Room)
HOSTS_KEY = web.AppKey("hosts", set)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

for _name in ("aiohttp", "aiohttp.access", "aiohttp.server", "aiohttp.web"):
    _logger = logging.getLogger(_name)  # the terminal belongs to the TUI: never a line here
    _logger.addHandler(logging.NullHandler())
    _logger.propagate = False


# --------------------------------------------------------------------------- addresses


def host_label(address: str, port: int) -> str:
    """What a browser sends as Host: 192.168.1.5:8765, [fe80::1]:8765."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def phone_url(address: str, port: int, token: str) -> str:
    """The join URL, lowercase http:// (a QR code in alphanumeric mode would be upper case)."""
    return f"http://{host_label(address, port)}/{token}/"


def candidate_addresses() -> list[str]:
    """The laptop's IPv4 addresses on the room's network, read from the interfaces."""
    import ifaddr

    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str) and not ip.ip.startswith(("127.", "169.254.")):
                found.append(ip.ip)
    return list(dict.fromkeys(found))


def free_port(address: str, wanted: int, tries: int = 20) -> int:
    """The port asked for, or the next free one (checked by binding it, nothing sent)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    for port in range(wanted, wanted + tries):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((address, port))
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    continue
                raise
            return port
    raise OSError(errno.EADDRINUSE, f"no free port from {wanted}")


# --------------------------------------------------------------------------- middleware


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value


def _error(status: int, text: str) -> web.Response:
    page = f"<!doctype html><meta charset='utf-8'><title>{status}</title><p>{escape(text)}</p>"
    return web.Response(status=status, text=page, content_type="text/html")


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Host, Origin, size and rate checks before any handler; no error escapes as a log."""
    room = request.app[ROOM_KEY]
    if request.host not in request.app[HOSTS_KEY]:
        return _error(403, "Forbidden host")
    origin = request.headers.get("Origin")
    if request.method not in ("GET", "HEAD") and origin not in (
        None,
        "null",  # a form sent from a page with Referrer-Policy: no-referrer
        f"http://{request.host}",
    ):
        return _error(403, "Forbidden origin")
    first = request.path.split("/")[1] if request.path.count("/") > 1 else ""
    if first not in ("", "static") and not room.token_matches(first):
        return _error(404, "Not found")  # whatever the method: the token is the secret
    if (request.content_length or 0) > MAX_BODY:
        return _error(413, "Too large")
    try:
        room.requests.hit(request.remote or "")
        return await handler(request)
    except RateLimited as limited:
        response = _error(429, limited.message)
        response.headers["Retry-After"] = str(max(1, round(limited.retry_after + 0.5)))
        return response
    except web.HTTPException as http:
        if http.status >= 400:
            return _error(http.status, http.reason)
        raise
    except Exception:  # noqa: BLE001 — the phone gets a page, the terminal stays clean
        return _error(500, "Error")


# --------------------------------------------------------------------------- pages


def _translator(room: Room) -> Callable[[str], str]:
    session = room.session
    return i18n.translator(session.lang if session else i18n.get_language())


def _lang(room: Room) -> str:
    session = room.session
    return session.lang if session else i18n.get_language()


def _page(room: Room, state: PhoneState, body: str) -> web.Response:
    state_url = f"/{room.token}/state"
    html = (
        f"<!doctype html><html lang='{escape(_lang(room))}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>atelier</title><link rel='stylesheet' href='/static/phone.css'>"
        "<link rel='icon' href='/static/icon.svg'>"
        "<script src='/static/phone.js' defer></script></head>"
        f"<body data-state='{escape(state_url)}' data-key='{escape(state.key)}'>"
        f"<main>{body}</main></body></html>"
    )
    return web.Response(text=html, content_type="text/html")


def _flash(device: Device | None) -> str:
    if device is None or not device.flash:
        return ""
    css, text = device.flash
    device.flash = None
    return f"<p class='flash {css}' role='status'>{escape(text)}</p>"


def _title(room: Room) -> str:
    session = room.session
    title = session.title if session else "atelier"
    return f"<h1>{escape(title)}</h1>"


def _join_body(room: Room, _: Callable[[str], str], error: str = "") -> str:
    flash = f"<p class='flash' role='alert'>{escape(error)}</p>" if error else ""
    field = (
        ""
        if room.anonymous
        else (
            f"<label for='name'>{escape(_('Your first name'))}</label>"
            "<input type='text' id='name' name='name' maxlength='40' required "
            "autocomplete='given-name'>"
        )
    )
    return (
        f"{_title(room)}{flash}<form method='post' action='/{room.token}/join'>{field}"
        f"<button class='primary' type='submit'>{escape(_('Join'))}</button></form>"
    )


def _wait_body(room: Room, state: PhoneState, _: Callable[[str], str]) -> str:
    if state.phase in ("setup", "rules", ""):
        text = _("Welcome! The workshop will start in a moment.")
    elif state.phase == "clustering":
        text = _("The facilitator is grouping the ideas. Look at the screen!")
    elif state.phase in ("vote", "results"):
        text = _("The vote is closed: the results are on the screen.")
    else:
        text = _("Look at the screen: the next step will appear here.")
    return f"{_title(room)}<p>{escape(text)}</p>"


def _ideas_body(room: Room, state: PhoneState, device: Device, _: Callable[[str], str]) -> str:
    session = room.session
    question = (
        f"<p class='text'><strong>{escape(session.question)}</strong></p>"
        if session and session.question
        else ""
    )
    kept = escape(device.kept_text)
    device.kept_text = ""
    accepted = ""
    if state.ideas:
        items = "".join(f"<li class='text'>{escape(text)}</li>" for text in state.ideas[-50:])
        accepted = f"<h2>{escape(_('Ideas on the board'))}</h2><ul class='ideas'>{items}</ul>"
    return (
        f"{_title(room)}{question}{_flash(device)}"
        f"<form method='post' action='/{room.token}/idea'>"
        f"<label for='idea'>{escape(_('Your idea'))}</label>"
        f"<textarea id='idea' name='idea' maxlength='1000' required>{kept}</textarea>"
        f"<button class='primary' type='submit'>{escape(_('Send'))}</button></form>"
        f"<p class='muted'>{escape(_('Send as many ideas as you like, one at a time.'))}</p>"
        f"{accepted}"
    )


def _option_label(room: Room, key: str) -> str:
    session = room.session
    return session.option_label(key) if session else key


def _current_marks(room: Room, device: Device, vote_round: VoteRound) -> dict[str, int]:
    if device.draft:
        return device.draft
    return room.cast_marks(device, vote_round.id)


def _ballot_body(
    room: Room, state: PhoneState, device: Device, _: Callable[[str], str], change: bool
) -> str:
    vote_round = state.round
    assert vote_round is not None
    if state.voted and not change:
        return (
            f"{_title(room)}{_flash(device)}<p class='flash ok'>{escape(_('Vote recorded'))}</p>"
            f"<p>{escape(_('You can change it until the vote closes.'))}</p>"
            f"<form method='get' action='/{room.token}/'><input type='hidden' name='change' "
            f"value='1'><button type='submit'>{escape(_('Change my vote'))}</button></form>"
        )
    marks = _current_marks(room, device, vote_round)
    head = f"{_title(room)}{_flash(device)}"
    hidden = f"<input type='hidden' name='round' value='{vote_round.id}'>"
    submit = f"<button class='primary' name='cast' value='1'>{escape(_('Vote'))}</button>"
    if vote_round.method == "dot":
        dots, cap = vote_round.dots_per_voter, vote_round.max_per_option
        left = dots - sum(marks.values())
        rows = []
        for i, key in enumerate(vote_round.options):
            value = marks.get(key, 0)
            rows.append(
                "<div class='option'>"
                f"<span class='label'>{escape(_option_label(room, key))}</span>"
                f"<button name='adjust' value='minus:{i}' aria-label='−'>−</button>"
                f"<span class='count' id='count-{i}'>{value}</span>"
                f"<input type='hidden' name='o{i}' value='{value}' data-option='{i}'>"
                f"<button name='adjust' value='plus:{i}' aria-label='+'>+</button></div>"
            )
        rule = _("Dots left: {left} (at most {cap} per option)").format(
            left="\x00", cap=cap
        )  # the number is an element the script updates
        before, _sep, after = escape(rule).partition("\x00")
        return (
            f"{head}<form method='post' action='/{room.token}/ballot' class='dots' "
            f"data-dots='{dots}' data-cap='{cap}'>{hidden}"
            f"<p>{before}<output id='left'>{left}</output>{after}</p>"
            f"{''.join(rows)}{submit}</form>"
        )
    grades = vote_round.grades
    fields = []
    for i, key in enumerate(vote_round.options):
        choices = []
        for position, grade in enumerate(grades):  # best first
            value = len(grades) - 1 - position
            checked = " checked" if marks.get(key) == value else ""
            choices.append(
                f"<label><input type='radio' name='o{i}' value='{value}' required{checked}>"
                f"{escape(grade)}</label>"
            )
        fields.append(
            f"<fieldset><legend>{escape(_option_label(room, key))}</legend>"
            f"{''.join(choices)}</fieldset>"
        )
    return (
        f"{head}<p>{escape(_('Give a grade to every option.'))}</p>"
        f"<form method='post' action='/{room.token}/ballot'>{hidden}{''.join(fields)}"
        f"{submit}</form>"
    )


def _end_body(room: Room, _: Callable[[str], str]) -> str:
    session = room.session
    message = session.closing_message if session and session.closing_message else ""
    thanks = escape(_("Thank you for taking part!"))
    closing = f"<p class='text'>{escape(message)}</p>" if message else ""
    return f"{_title(room)}<p>{thanks}</p>{closing}"


# --------------------------------------------------------------------------- handlers


def _room(request: web.Request) -> Room:
    room = request.app[ROOM_KEY]
    if not room.token_matches(request.match_info.get("token", "")):
        raise web.HTTPNotFound()
    return room


def _device(request: web.Request, room: Room) -> Device | None:
    return room.device(request.cookies.get(COOKIE))


def _redirect(location: str) -> web.Response:
    """POST then redirect: a reload never sends a form twice."""
    return web.Response(status=303, headers={"Location": location})


def _back(room: Room) -> web.Response:
    return _redirect(f"/{room.token}/")


async def _form(request: web.Request) -> dict[str, str]:
    data = await request.post()
    return {k: v for k, v in data.items() if isinstance(v, str)}


async def home(request: web.Request) -> web.StreamResponse:
    """The bare address: type the short code shown on the screen."""
    room = request.app[ROOM_KEY]
    _ = _translator(room)
    error = ""
    if request.method == "POST":
        form = await _form(request)
        if room.code_matches(form.get("code", ""), request.remote or ""):
            return _back(room)
        error = _("Unknown code: check the one shown on the screen.")
    flash = f"<p class='flash' role='alert'>{escape(error)}</p>" if error else ""
    body = (
        f"{_title(room)}{flash}<form method='post' action='/'>"
        f"<label for='code'>{escape(_('Code shown on the screen'))}</label>"
        "<input type='text' id='code' name='code' maxlength='12' required autocomplete='off'>"
        f"<button class='primary' type='submit'>{escape(_('Join'))}</button></form>"
    )
    return _page(room, PhoneState("code", ""), body)


async def page(request: web.Request) -> web.StreamResponse:
    room = _room(request)
    _ = _translator(room)
    device = _device(request, room)
    state = room.state_for(device)
    if device is None:
        body = _join_body(room, _)
    elif state.view == "ideas":
        body = _ideas_body(room, state, device, _)
    elif state.view == "ballot":
        body = _ballot_body(room, state, device, _, request.query.get("change") == "1")
    elif state.view == "end":
        body = _end_body(room, _)
    else:
        body = _wait_body(room, state, _)
    return _page(room, state, body)


async def join(request: web.Request) -> web.StreamResponse:
    room = _room(request)
    form = await _form(request)
    if _device(request, room) is not None:
        return _back(room)
    try:
        device = room.join(form.get("name", ""), request.remote or "")
    except RateLimited:
        raise
    except AtelierError as error:
        return _page(room, room.state_for(None), _join_body(room, _translator(room), error.message))
    response = _back(room)
    response.set_cookie(COOKIE, device.id, path="/", httponly=True, samesite="Strict")
    return response


async def idea(request: web.Request) -> web.StreamResponse:
    room = _room(request)
    _ = _translator(room)
    device = _device(request, room)
    if device is None:
        return _back(room)
    text = (await _form(request)).get("idea", "")
    try:
        room.submit_idea(device, text)
    except AtelierError as error:
        device.kept_text = text[:1200]  # the phone keeps what was typed
        device.flash = ("", error.message)
        if isinstance(error, RateLimited):
            raise
    else:
        device.flash = ("ok", _("Sent! The facilitator will add it to the board."))
    return _back(room)


async def ballot(request: web.Request) -> web.StreamResponse:
    room = _room(request)
    _ = _translator(room)
    device = _device(request, room)
    if device is None:
        return _back(room)
    form = await _form(request)
    vote_round = room.open_round()
    if vote_round is None or form.get("round") != str(vote_round.id):
        device.flash = ("", _("This vote is closed."))
        return _back(room)
    marks: dict[str, int | None] = {}
    for i, key in enumerate(vote_round.options):
        raw = form.get(f"o{i}", "").strip()
        marks[key] = int(raw) if raw.isdigit() and len(raw) < 4 else None
    adjust = form.get("adjust", "")
    if adjust and vote_round.method == "dot":  # +/- without JavaScript: keep a draft
        sign, _sep, index = adjust.partition(":")
        draft = {k: v or 0 for k, v in marks.items()}
        if index.isdigit() and int(index) < len(vote_round.options):
            key = vote_round.options[int(index)]
            left = vote_round.dots_per_voter - sum(draft.values())
            if sign == "plus" and left > 0 and draft[key] < vote_round.max_per_option:
                draft[key] += 1
            elif sign == "minus" and draft[key] > 0:
                draft[key] -= 1
        device.draft = {k: v for k, v in draft.items() if v}
        return _redirect(f"/{room.token}/?change=1")
    if vote_round.method == "dot":
        marks = {k: v for k, v in marks.items() if v}
    try:
        room.cast(device, vote_round.id, marks)
    except AtelierError as error:
        device.flash = ("", error.message)
        device.draft = {k: v for k, v in marks.items() if v} if vote_round.method == "dot" else {}
        return _redirect(f"/{room.token}/?change=1")
    return _back(room)


async def state(request: web.Request) -> web.Response:
    """A tiny JSON the script polls: 304 while nothing changed for this phone."""
    room = _room(request)
    key = room.state_for(_device(request, room)).key
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:20] + '"'
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers={"ETag": etag})
    return web.json_response({"key": key}, headers={"ETag": etag})


async def asset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    return web.Response(body=(STATIC / name).read_bytes(), content_type=ASSETS[name])


def make_app(room: Room, hosts: set[str]) -> web.Application:
    """The aiohttp application; ``hosts`` are the Host headers accepted (others: 403)."""
    app = web.Application(middlewares=[_guard], client_max_size=MAX_BODY)
    app[ROOM_KEY] = room
    app[HOSTS_KEY] = hosts
    app.on_response_prepare.append(_security_headers)
    app.router.add_get("/", home)
    app.router.add_post("/", home)
    app.router.add_get("/static/{name}", asset)
    app.router.add_get("/{token}/", page)
    app.router.add_post("/{token}/join", join)
    app.router.add_post("/{token}/idea", idea)
    app.router.add_post("/{token}/ballot", ballot)
    app.router.add_get("/{token}/state", state)
    return app


class PhoneServer:
    """The participant server on one address and port, in the running asyncio loop."""

    def __init__(self, room: Room, address: str, port: int) -> None:
        self.room, self.address, self.port = room, address, port
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return phone_url(self.address, self.port, self.room.token)

    @property
    def base_url(self) -> str:
        return f"http://{host_label(self.address, self.port)}/"

    async def start(self) -> None:
        app = make_app(self.room, {host_label(self.address, self.port)})
        self.runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.5
        )
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.address, self.port, reuse_address=False)
        try:
            await site.start()
        except BaseException:
            await self.runner.cleanup()
            self.runner = None
            raise

    async def stop(self) -> None:
        """Close the port (within a second or so, even with phones connected)."""
        runner, self.runner = self.runner, None
        if runner is not None:
            try:
                await asyncio.wait_for(runner.cleanup(), timeout=1.5)
            except (TimeoutError, OSError):
                pass
