"""The room, UI-free: who joined from a phone, ideas waiting for moderation, phone ballots.

The room holds what must never reach the session file on its own: pending ideas (only an
accepted idea becomes an ordinary ``add_idea``), devices and their addresses, and which
device cast which ballot (kept in memory only, to let a phone replace its ballot until the
round closes; forgotten when it closes). Every change to the workshop goes through the
host's ``apply`` — the same named operations as the keyboard, journaled and undoable.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from atelier import model
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import Session, VoteRound

TOKEN_BYTES = 16  # 128 bits in the join URL (the issue asks for at least 80)
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read off a wall
CODE_LENGTH = 6
MAX_DEVICES = 500
MAX_PENDING = 5000
CONNECTED_SECONDS = 300.0  # a phone seen within five minutes counts as connected

# (requests allowed, within seconds)
IDEA_LIMIT_DEVICE = (5, 3.0)  # the 6th idea within 3 s is refused
IDEA_LIMIT_ADDRESS = (20, 3.0)
REQUEST_LIMIT_ADDRESS = (120, 10.0)
JOIN_LIMIT_ADDRESS = (10, 60.0)  # joins and short-code attempts


class Host(Protocol):
    """What the room needs from the app: the open session and the one path for changes."""

    @property
    def current_session(self) -> Session | None: ...

    def apply_operation(self, operation: model.Operation, *args: Any) -> Session:
        """Run a named operation (saved before it returns); raise AtelierError to refuse."""
        ...


class RateLimited(AtelierError):
    """Too many requests from one phone or one address: try again a little later."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(_("Too many requests: wait a few seconds and try again."))
        self.retry_after = retry_after


class RateLimiter:
    """At most ``limit`` events per key within a sliding window of ``window`` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.events: dict[str, deque[float]] = {}

    def hit(self, key: str) -> None:
        """Count one event, or raise :class:`RateLimited` without counting it."""
        now = self.clock()
        events = self.events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            raise RateLimited(events[0] + self.window - now)
        events.append(now)
        if len(self.events) > 4 * MAX_DEVICES:  # forget idle keys: memory stays bounded
            for stale in [k for k, v in self.events.items() if not v or v[-1] <= now - 60]:
                del self.events[stale]


@dataclass
class Device:
    id: str
    name: str
    address: str
    last_seen: float
    draft: dict[str, int] = field(default_factory=dict)  # dots placed before casting
    flash: tuple[str, str] | None = None  # (style, message) shown once on the next page
    kept_text: str = ""  # an idea refused (too long…) comes back in the form


@dataclass(frozen=True)
class Pending:
    """An idea sent from a phone, waiting for the facilitator: never on disk."""

    id: int
    text: str
    name: str
    device_id: str


@dataclass
class PhoneState:
    """What one phone should show now; ``key`` changes exactly when its page must change."""

    view: str  # join, wait, ideas, ballot, end
    phase: str
    round: VoteRound | None = None
    voted: bool = False
    ideas: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        round_part = f"{self.round.id}:{self.round.closed_at}" if self.round else "-"
        return f"{self.view}|{self.phase}|{round_part}|{int(self.voted)}|{len(self.ideas)}"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


class Room:
    """Tokens, devices, the moderation queue and phone ballots for one open session."""

    def __init__(self, host: Host, clock: Callable[[], float] = time.monotonic) -> None:
        self.host = host
        self.clock = clock
        self.token = ""
        self.code = ""
        self.rotate()
        self.devices: dict[str, Device] = {}  # kept on rotation: a joined phone stays joined
        self.pending: list[Pending] = []
        self._pending_seq = 0
        self.accept_all = False
        self.show_accepted = False
        # round id → device id → the marks it cast: memory only, dropped when the round
        # closes (the box itself holds no device, no time, no order of arrival)
        self._ballots: dict[int, dict[str, dict[str, int]]] = {}
        self._voters_by_address: dict[int, Counter[str]] = {}
        self.on_change: Callable[[], None] | None = None
        self.idea_device = RateLimiter(*IDEA_LIMIT_DEVICE, clock)
        self.idea_address = RateLimiter(*IDEA_LIMIT_ADDRESS, clock)
        self.requests = RateLimiter(*REQUEST_LIMIT_ADDRESS, clock)
        self.joins = RateLimiter(*JOIN_LIMIT_ADDRESS, clock)

    # ---- join token and short code
    def rotate(self) -> None:
        """A new join URL and code (the old ones stop working at once)."""
        self.token = secrets.token_urlsafe(TOKEN_BYTES)
        self.code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode())

    def code_matches(self, code: str, address: str) -> bool:
        self.joins.hit(address)
        typed = "".join(code.split()).lower()
        return hmac.compare_digest(typed.encode("utf-8", "replace"), self.code.encode())

    # ---- devices
    @property
    def session(self) -> Session | None:
        return self.host.current_session

    @property
    def anonymous(self) -> bool:
        session = self.session
        return session is None or session.anonymous

    def join(self, name: str, address: str) -> Device:
        """A phone joins (with a first name unless the session is anonymous)."""
        self.joins.hit(address)
        if len(self.devices) >= MAX_DEVICES:
            raise AtelierError(_("The room is full: ask the facilitator."))
        clean = "" if self.anonymous else model.clean_text(name, N_("The name"), max_len=40)
        device = Device(secrets.token_urlsafe(16), clean, address, self.clock())
        self.devices[device.id] = device
        self._changed()
        return device

    def device(self, device_id: str | None) -> Device | None:
        device = self.devices.get(device_id or "")
        if device is not None:
            device.last_seen = self.clock()
        return device

    def connected(self) -> int:
        since = self.clock() - CONNECTED_SECONDS
        return sum(1 for d in self.devices.values() if d.last_seen >= since)

    # ---- ideas
    def submit_idea(self, device: Device, text: str) -> Pending | None:
        """Queue an idea (or add it at once in accept-all mode). Returns the queued idea."""
        session = self.session
        if session is None or session.phase != "ideation":
            raise AtelierError(_("Ideas are not being collected right now."))
        clean = model.clean_text(text, N_("The idea"), max_len=model.IDEA_MAX)
        self.idea_device.hit(device.id)
        self.idea_address.hit(device.address)
        if len(self.pending) >= MAX_PENDING:
            raise RateLimited(10.0)
        self._pending_seq += 1
        item = Pending(self._pending_seq, clean, device.name, device.id)
        self.pending.append(item)
        if self.accept_all:
            self.accept(item.id)
            self._changed()
            return None
        self._changed()
        return item

    def _take(self, pending_id: int) -> Pending:
        for item in self.pending:
            if item.id == pending_id:
                return item
        raise AtelierError(_("This idea is no longer waiting."))

    def accept(self, pending_id: int, text: str | None = None) -> int:
        """Add the idea (optionally edited) with the ordinary ``add_idea``; returns its id."""
        item = self._take(pending_id)
        author = self._author(item.name)
        before = self.host.current_session
        seq = before.seq.get("ideas", 0) if before else 0
        session = self.host.apply_operation(
            model.add_idea, item.text if text is None else text, author
        )
        self.pending.remove(item)
        self._changed()
        new = [i.id for i in session.ideas if i.id > seq]
        return new[-1] if new else session.ideas[-1].id

    def reject(self, pending_id: int) -> None:
        self.pending.remove(self._take(pending_id))
        self._changed()

    def set_accept_all(self, on: bool) -> int:
        """Switch accept-all; switching it on accepts what was waiting. Returns how many."""
        self.accept_all = on
        accepted = 0
        if on:
            for item in list(self.pending):
                try:
                    self.accept(item.id)
                    accepted += 1
                except AtelierError:
                    continue
        self._changed()
        return accepted

    def _author(self, name: str) -> int | None:
        """The participant of that name, added to the session on first use (not anonymous)."""
        session = self.session
        if not name or session is None or session.anonymous:
            return None
        for person in session.participants:
            if _fold(person.name) == _fold(name):
                return person.id
        try:
            after = self.host.apply_operation(model.add_participant, name)
        except AtelierError:
            return None
        return after.participants[-1].id

    # ---- the vote
    def open_round(self) -> VoteRound | None:
        """The round phones vote in: the latest open secret-ballot round, during the vote."""
        session = self.session
        if session is None or session.phase != "vote":
            return None
        rounds = [r for r in session.rounds if r.mode == "ballot" and r.closed_at is None]
        return rounds[-1] if rounds else None

    def cast(self, device: Device, round_id: int, marks: dict[str, int | None]) -> None:
        """One ballot per phone and round, replaceable until the round closes.

        Validated by the model's own ``cast_ballot`` (budget, cap, grades) before anything
        changes; every option must be graded in majority judgment. Stored without device,
        address or name: only this room's memory links the phone to its ballot.
        """
        session = self.session
        vote_round = self.open_round()
        if session is None or vote_round is None or vote_round.id != round_id:
            raise AtelierError(_("This vote is closed."))
        if vote_round.method == "mj" and any(marks.get(o) is None for o in vote_round.options):
            raise AtelierError(_("Give a grade to every option."))
        clean = {o: v for o, v in marks.items() if v is not None}
        model.cast_ballot(session, round_id, clean)  # a dry run: refuses what the laptop refuses
        mine = self._ballots.setdefault(round_id, {})
        previous = mine.get(device.id)
        if previous is not None and previous in vote_round.ballots:
            self.host.apply_operation(model.replace_ballot, round_id, previous, clean)
        else:
            self.host.apply_operation(model.cast_ballot, round_id, clean)
        mine[device.id] = model.check_ballot(vote_round, clean)
        if previous is None:
            self._voters_by_address.setdefault(round_id, Counter())[device.address] += 1
        device.draft = {}
        self._changed()

    def cast_marks(self, device: Device, round_id: int) -> dict[str, int]:
        """What this phone cast in an open round (to show it again when it changes it)."""
        return dict(self._ballots.get(round_id, {}).get(device.id, {}))

    def has_voted(self, device: Device, round_id: int) -> bool:
        return device.id in self._ballots.get(round_id, {})

    def received(self, round_id: int) -> int:
        """Ballots received from phones in a round (the count only, while it is open)."""
        return len(self._ballots.get(round_id, {}))

    def shared_addresses(self, round_id: int) -> int:
        """Addresses from which more than one phone voted: worth a look by the facilitator."""
        return sum(1 for n in self._voters_by_address.get(round_id, Counter()).values() if n > 1)

    def forget_closed_rounds(self) -> None:
        """Once a round is closed, nothing links a phone to a ballot any more."""
        session = self.session
        open_ids = {r.id for r in session.rounds if r.closed_at is None} if session else set()
        for round_id in [r for r in self._ballots if r not in open_ids]:
            del self._ballots[round_id]
            self._voters_by_address.pop(round_id, None)

    # ---- what a phone shows
    def state_for(self, device: Device | None) -> PhoneState:
        self.forget_closed_rounds()
        session = self.session
        if device is None:
            return PhoneState("join", session.phase if session else "")
        if session is None:
            return PhoneState("wait", "")
        phase = session.phase
        if phase == "ideation":
            ideas = tuple(i.text for i in session.ideas) if self.show_accepted else ()
            return PhoneState("ideas", phase, ideas=ideas)
        vote_round = self.open_round()
        if vote_round is not None:
            return PhoneState(
                "ballot", phase, vote_round, voted=self.has_voted(device, vote_round.id)
            )
        if phase == "summary":
            return PhoneState("end", phase)
        return PhoneState("wait", phase)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()
