"""Phones on and off, and the join screen shown on the projector (QR code, URL, short code).

The participant server (atelier.lan) is imported here, only when the facilitator switches
phones on: with phones off, start-up never loads aiohttp, segno or ifaddr.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from atelier.errors import AtelierError
from atelier.i18n import N_, _, plural
from atelier.model import Operation, Session, VoteRound
from atelier.widgets.bigtext import BigText

from .base import AtelierScreen
from .dialogs import Choice, PickerDialog

if TYPE_CHECKING:
    from atelier.lan.room import Room
    from atelier.lan.server import PhoneServer
    from atelier.screens.host import AppHost

DEFAULT_PORT = 8765
REFRESH_DELAY = 0.1  # many phones at once: one redraw per tenth of a second at most


class PhonesLink:
    """The app's side of the room: the open session, the one path for changes, redraws."""

    def __init__(self, app: AppHost) -> None:
        from atelier.lan.room import Room

        self.app = app
        self.room: Room = Room(self)
        self.room.on_change = self.changed
        self.server: PhoneServer | None = None
        self._redraw_pending = False

    # ---- Host (atelier.lan.room)
    @property
    def current_session(self) -> Session | None:
        handle = self.app.handle
        return handle.session if handle is not None else None

    def apply_operation(self, operation: Operation, *args: Any) -> Session:
        from atelier.store import SaveFailed

        handle = self.app.handle
        if handle is None:
            raise AtelierError(_("No session is open."))
        try:
            session = handle.apply(operation, *args)
        except SaveFailed as error:  # kept in memory, retried: the phone's part is done
            self.app.notify(error.message, severity="error", timeout=10)
            session = handle.session
        self.app.refresh_screens()
        return session

    # ---- redraws: many phones must not flood the screen with repaints
    def changed(self) -> None:
        if not self._redraw_pending:
            self._redraw_pending = True
            self.app.set_timer(REFRESH_DELAY, self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
        for screen in self.app.screen_stack:
            for node in [screen, *screen.query(".phone-aware")]:
                update = getattr(node, "phones_changed", None)
                if update is not None and node.is_mounted:
                    update()

    @property
    def url(self) -> str:
        return self.server.url if self.server else ""

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None


async def switch_on(app: AppHost, bind: str | None = None, port: int | None = None) -> None:
    """Start the participant server on ``bind`` (else the one LAN address, else ask)."""
    from atelier.lan.server import candidate_addresses

    if app.handle is None:
        return
    if app.read_only:
        app.notify(_("This session is open read-only: nothing can be changed."))
        return
    if bind:
        await _start(app, bind, port)
        return
    addresses = candidate_addresses()
    if not addresses:
        app.notify(
            _(
                "No network found: connect the laptop to the room's Wi-Fi or start its "
                "hotspot, then try again."
            ),
            severity="warning",
            timeout=10,
        )
        return
    if len(addresses) == 1:
        await _start(app, addresses[0], port)
        return

    async def chosen(address: str | None) -> None:
        if address:
            await _start(app, address, port)

    app.push_screen(
        PickerDialog(_("Which network do the phones use?"), [Choice(a, a) for a in addresses]),
        chosen,  # type: ignore[arg-type]
    )


async def _start(app: AppHost, address: str, port: int | None) -> None:
    from atelier.lan.server import PhoneServer, free_port

    link = PhonesLink(app)
    try:
        chosen = free_port(address, port or DEFAULT_PORT)
        server = PhoneServer(link.room, address, chosen)
        await server.start()
    except OSError as error:
        app.notify(
            _("Phones could not be switched on ({address}): {error}").format(
                address=address, error=error.strerror or error
            ),
            severity="error",
            timeout=10,
        )
        return
    link.server = server
    app.phones = link
    # A full garbage collection walks every object of the app (~130 ms measured with 60
    # phones, twice a run): what is alive now lives as long as the app, so leave it out
    # of collections while phones are on (gc.unfreeze() when they go off).
    gc.collect()
    gc.freeze()
    app.refresh_bindings()
    app.refresh_screens()
    app.push_screen(JoinScreen())


async def switch_off(app: AppHost) -> None:
    link, app.phones = app.phones, None
    if link is not None:
        await link.stop()
        gc.unfreeze()
        app.refresh_screens()
        for screen in app.screen_stack:
            for node in screen.query(".phone-aware"):
                getattr(node, "phones_changed", lambda: None)()


# --------------------------------------------------------------------------- QR code


def qr_lines(url: str) -> list[str]:
    """The QR code of ``url`` in half blocks: two modules per line, quiet zone of 4."""
    import segno

    code = segno.make(url, error="l", micro=False)
    rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=4)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return [
        "".join(glyphs[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def connected_text(count: int, lang: str) -> str:
    return plural(lang, count, _("{count} phone connected"), _("{count} phones connected"))


class JoinScreen(AtelierScreen):
    """What the projector shows while phones join: scan the code, or type the address."""

    DEFAULT_CSS = """
    JoinScreen #join-body { height: 1fr; }
    JoinScreen #join-qr { width: auto; height: auto; color: black; background: white; }
    JoinScreen #join-side { width: 1fr; height: 1fr; padding: 0 2; }
    JoinScreen #join-title { text-style: bold; }
    JoinScreen #join-url { margin: 1 0; }
    JoinScreen #join-big { height: 1fr; }
    JoinScreen #join-count { text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="join_close"),
        Binding("r", "rotate", N_("New code"), id="join_rotate"),
        Binding("x", "switch_off", N_("Switch phones off"), id="join_off"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="phone-aware")

    @property
    def link(self) -> PhonesLink | None:
        return self.atelier.phones  # type: ignore[no-any-return]

    def compose(self) -> ComposeResult:
        with Horizontal(id="join-body"):
            yield Static(id="join-qr")
            with Vertical(id="join-side"):
                yield Static(Content(_("Join from your phone")), id="join-title")
                yield Static(
                    Content(_("Scan the code, or type the address then the code:")),
                    id="join-how",
                )
                yield Static(id="join-url")
                yield BigText(id="join-big")
                yield Static(id="join-count")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.phones_changed()
        self.set_interval(2.0, self.phones_changed)

    def on_resize(self) -> None:
        self.phones_changed()

    def phones_changed(self) -> None:
        link = self.link
        if link is None or link.server is None:
            return
        server, room = link.server, link.room
        lines = qr_lines(server.url)
        qr = self.query_one("#join-qr", Static)
        fits = self.size.width >= len(lines[0]) + 24 and self.size.height >= len(lines) + 1
        qr.display = fits
        qr.update(Content("\n".join(lines)))
        self.query_one("#join-url", Static).update(Content(server.url))
        host = server.base_url.removeprefix("http://").rstrip("/")
        self.query_one("#join-big", BigText).update(f"{host} {room.code}")
        session = self.atelier.handle.session if self.atelier.handle else None
        lang = session.lang if session else "fr"
        self.query_one("#join-count", Static).update(
            Content(
                _("Code: {code}").format(code=room.code)
                + " · "
                + connected_text(room.connected(), lang)
            )
        )

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_rotate(self) -> None:
        link = self.link
        if link is not None:
            link.room.rotate()
            self.phones_changed()
            self.notify(_("New code: phones that already joined stay connected."))

    async def action_switch_off(self) -> None:
        await switch_off(self.atelier)
        self.app.pop_screen()
        self.notify(_("Phones switched off."))


async def phones_key(app: AppHost) -> None:
    """The ``phones`` key: switch phones on (showing the join screen), or show it again."""
    if app.phones is None:
        await switch_on(app)
    elif not isinstance(app.screen, JoinScreen):
        app.push_screen(JoinScreen())


def vote_lines(app: AppHost, vote_round: VoteRound) -> Iterable[Content]:
    """For the vote screen: ballots received from phones against people present."""
    link = app.phones
    if link is None or vote_round.mode != "ballot":
        return []
    room = link.room
    session = link.current_session
    present = session.voter_count if session else 0
    lines = [
        Content(
            _("From phones: {received} ballots · {present} people present · {phones}.").format(
                received=room.received(vote_round.id),
                present=present,
                phones=connected_text(room.connected(), session.lang if session else "fr"),
            )
        )
    ]
    shared = room.shared_addresses(vote_round.id)
    if shared:
        lines.append(
            Content.styled(
                _("Several ballots came from one address ({count}): worth a look.").format(
                    count=shared
                ),
                "bold",
            )
        )
    return lines
