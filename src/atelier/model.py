"""The workshop, UI-free: immutable dataclasses and the named operations that change them.

Every change goes through an operation: a function ``op(session, ...) -> Session`` that
validates its input, raises :class:`AtelierError` with a readable message when it must
refuse, and returns a new session sharing every untouched record with the old one (so
the store can find what changed by identity, cheaply, even with thousands of ideas).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from atelier import clock, voting
from atelier.errors import AtelierError
from atelier.i18n import N_, _, get_language

__all__ = ["AtelierError"]  # extended below by the operation decorator

# --------------------------------------------------------------------------- phases

PHASES: tuple[str, ...] = (
    "setup",
    "rules",
    "ideation",
    "clustering",
    "vote",
    "results",
    "actions",
    "summary",
)
PHASE_LABELS: dict[str, str] = {
    "setup": N_("Setup"),
    "rules": N_("Rules"),
    "ideation": N_("Ideation"),
    "clustering": N_("Clustering"),
    "vote": N_("Vote"),
    "results": N_("Results"),
    "actions": N_("Actions"),
    "summary": N_("Summary"),
}
DEFAULT_MINUTES: dict[str, int] = {
    "setup": 5,
    "rules": 5,
    "ideation": 20,
    "clustering": 15,
    "vote": 10,
    "results": 5,
    "actions": 20,
    "summary": 5,
}

# --------------------------------------------------------------------------- limits

IDEA_MAX = 1000
TITLE_MAX = 200
QUESTION_MAX = 1000
NAME_MAX = 80
LABEL_MAX = 80
RULE_TITLE_MAX = 80
RULE_TEXT_MAX = 300
ACTION_MAX = 500
MESSAGE_MAX = 300
PLACE_MAX = 120
NOTE_MAX = 1000
NOTE_KINDS = ("parking", "note", "quote")  # off-topic point, free note, verbatim quote
MAX_PARTICIPANTS = 500
MAX_MINUTES = 600
VOTE_METHODS = ("dot", "mj")
VOTE_TARGETS = ("clusters", "ideas")
VOTE_MODES = ("tally", "ballot")
DEFAULT_CLOSING = {
    "fr": "Seul, on va plus vite. Ensemble, on va plus loin.",
    "en": "Alone we go faster. Together we go further.",
}

_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_SPACES = re.compile(r"[ \t]+")


def strip_controls(text: str, multiline: bool = False) -> str:
    """Remove ANSI escape sequences and control characters; tabs and, unless ``multiline``,
    line breaks become spaces. Shared by the model and the input fields, so a paste from a
    terminal can never restyle the screen."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def clean_text(
    value: object,
    what: str,
    *,
    max_len: int,
    min_len: int = 1,
    multiline: bool = False,
) -> str:
    """Trim, NFC-normalise and strip control characters; refuse what cannot be stored.

    Control characters (ANSI escape sequences included) are removed rather than refused so
    that a paste from a terminal still lands; tabs and, unless ``multiline``, line breaks
    become spaces. Lone surrogates cannot be saved as UTF-8 and are refused.
    """
    if not isinstance(value, str):
        raise AtelierError(_("{what}: text expected.").format(what=_(what)))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise AtelierError(
            _("{what} contains an invalid character (a lone surrogate).").format(what=_(what))
        )
    text = unicodedata.normalize("NFC", strip_controls(value, multiline))
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    else:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    if len(text) < min_len:
        raise AtelierError(_("{what} is empty.").format(what=_(what)))
    if len(text) > max_len:
        raise AtelierError(
            _("{what} is too long ({count} characters; at most {limit}).").format(
                what=_(what), count=_count(len(text)), limit=_count(max_len)
            )
        )
    return text


def _count(number: int) -> str:
    """1,000 in English, 1 000 in French (non-breaking space)."""
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if get_language() == "fr" else text


DATE_FORMATS = (
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)


def parse_date(value: str | None) -> str | None:
    """25/11/2026, 25/11/26, 25.11.2026 or 2026-11-25 → '2026-11-25'; '' → None."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            year = int(match["y"])
            year += 2000 if year < 100 else 0
            try:
                return date(year, int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                break
    raise AtelierError(_("Unknown date “{text}”: write it as 25/11/2026.").format(text=text[:40]))


TIME_FORMAT = re.compile(r"^(?P<h>\d{1,2})\s*(?:[:hH.]\s*(?P<m>\d{2})?)?$")


def parse_time(value: str | None) -> str:
    """9:30, 9h30, 09.30, 9h or 9 → '09:30' / '09:00'; '' → ''."""
    text = str(value or "").strip()
    if not text:
        return ""
    match = TIME_FORMAT.match(text)
    if match:
        hours, minutes = int(match["h"]), int(match["m"] or 0)
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    raise AtelierError(_("Unknown time “{text}”: write it as 14:30.").format(text=text[:40]))


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    title: str
    explanation: str
    order: int


@dataclass(frozen=True, slots=True)
class Idea:
    id: int
    text: str
    created_at: str
    author_id: int | None = None
    cluster_id: int | None = None
    merged: tuple[str, ...] = ()  # texts of ideas folded into this one: never lost
    coauthors: tuple[int, ...] = ()  # authors of the ideas folded into this one

    @property
    def authors(self) -> tuple[int, ...]:
        """Everyone credited: the author, then the authors of the merged ideas."""
        return ((self.author_id,) if self.author_id is not None else ()) + self.coauthors


@dataclass(frozen=True, slots=True)
class Cluster:
    id: int
    label: str
    order: int


@dataclass(frozen=True, slots=True)
class Action:
    id: int
    what: str
    owner: str = ""
    due: str | None = None  # ISO date
    link: str | None = None  # an option key: "cluster:3" or "idea:12"


@dataclass(frozen=True, slots=True)
class Note:
    """A point for the report, taken from any phase: parked off-topic, free note or quote."""

    id: int
    text: str
    kind: str = "parking"  # one of NOTE_KINDS
    phase: str = ""  # the phase on screen when it was taken
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class PhaseTime:
    """Timebox of one phase: planned minutes, the facilitator's pausable countdown, and the
    time really spent in the phase, from entering it to leaving it (timer or not)."""

    planned_minutes: int
    extra_seconds: int = 0
    timer_seconds: float = 0.0  # counted down since the last reset (< 0: reset while running)
    spent_seconds: float = 0.0  # never reset: how long the countdown ran
    running_since: str | None = None
    started_at: str | None = None
    stopped_at: str | None = None
    present_seconds: float = 0.0  # time on this phase, its screen shown, until last left
    entered_at: str | None = None  # this is the session's phase, open since then

    def elapsed(self, at: str | None = None) -> float:
        if self.running_since is None:
            return self.timer_seconds
        return self.timer_seconds + _seconds_between(self.running_since, at)

    def timer_run(self, at: str | None = None) -> float:
        """How long the countdown has run in all."""
        if self.running_since is None:
            return self.spent_seconds
        return self.spent_seconds + _seconds_between(self.running_since, at)

    def present(self, at: str | None = None) -> float:
        """Time spent on the phase, from entering it to leaving it."""
        if self.entered_at is None:
            return self.present_seconds
        return self.present_seconds + _seconds_between(self.entered_at, at)

    def spent(self, at: str | None = None) -> float:
        """The time spent in the phase for the report (files from before the phase clock
        only know how long the countdown ran)."""
        return max(self.present(at), self.timer_run(at))

    def remaining(self, at: str | None = None) -> float:
        return self.planned_minutes * 60 + self.extra_seconds - self.elapsed(at)

    @property
    def running(self) -> bool:
        return self.running_since is not None


def _seconds_between(start: str, end: str | None) -> float:
    stop = clock.parse(end) if end else clock.now()
    return max(0.0, (stop - clock.parse(start)).total_seconds())


@dataclass(frozen=True, slots=True)
class VoteSettings:
    """How the group will vote; copied into each round when it starts."""

    method: str = "dot"
    target: str = "clusters"
    mode: str = "tally"
    dots_per_voter: int | None = None  # None: a third of the options (voting.default_dots…)
    max_per_option: int = voting.DEFAULT_MAX_PER_OPTION
    grades: tuple[str, ...] = ()  # best first; () = the language's default scale


@dataclass(frozen=True, slots=True)
class VoteRound:
    """One vote over fixed options, with its own method, collection mode and results.

    A session keeps any number of rounds side by side: top-level votes (``parent_id`` None,
    e.g. a dot vote to shortlist, then majority judgment on the shortlist) and run-offs
    among options tied in another round (``parent_id`` set).

    Secret ballots live here without any voter id, time or sequence number: ``ballots``
    is kept in a canonical sorted order and ``voted`` (who has voted, in a named session)
    is a sorted set kept apart, so nothing links a ballot to a voter or to its turn.
    """

    id: int
    method: str
    mode: str
    options: tuple[str, ...]
    dots_per_voter: int
    max_per_option: int
    grades: tuple[str, ...]  # best first
    voters: int = 0  # tally mode: how many voted on paper
    tallies: dict[str, tuple[int, ...]] = field(default_factory=dict)  # mj: worst → best
    parent_id: int | None = None  # the round whose tie this run-off breaks
    created_at: str = ""
    closed_at: str | None = None
    ballots: tuple[dict[str, int], ...] = ()  # canonical order; dots, or grade (0 = worst)
    voted: tuple[int, ...] = ()  # sorted ids of the participants who cast a ballot
    labels: dict[str, str] = field(default_factory=dict)  # option → label, kept at closing
    kept_ties: tuple[str, ...] = ()  # options the group chose to leave tied
    source_id: int | None = None  # the round this one's options were shortlisted from


@dataclass(frozen=True, slots=True)
class Decision:
    """One line of « Decisions / priorities retained »: a vote option or free text."""

    id: int
    text: str  # free text, or the option's label when it was retained
    order: int
    link: str | None = None  # an option key: "cluster:3" or "idea:12"


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    title: str
    created_at: str
    date: str
    lang: str = "fr"
    question: str = ""
    facilitator: str = ""
    place: str = ""
    start_time: str = ""  # "09:30", '' when not given
    end_time: str = ""
    next_meeting: str = ""  # next meeting / follow-up, free text
    template: str = ""
    anonymous: bool = False
    participant_count: int = 0
    phase: str = "setup"
    closing_message: str = ""
    rules_adopted_at: str | None = None
    phases: dict[str, PhaseTime] = field(default_factory=dict)
    vote: VoteSettings = VoteSettings()
    seq: dict[str, int] = field(default_factory=dict)  # last id given per collection
    rules: tuple[Rule, ...] = ()
    participants: tuple[Participant, ...] = ()
    ideas: tuple[Idea, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    rounds: tuple[VoteRound, ...] = ()
    actions: tuple[Action, ...] = ()
    decisions: tuple[Decision, ...] = ()
    decisions_set: bool = False  # False: the decisions are the winners of the last vote
    notes: tuple[Note, ...] = ()

    # ---- reading helpers (no change)
    @property
    def voter_count(self) -> int:
        return self.participant_count if self.anonymous else len(self.participants)

    def idea(self, idea_id: int) -> Idea:
        return _find(self.ideas, idea_id, N_("idea"))

    def cluster(self, cluster_id: int) -> Cluster:
        return _find(self.clusters, cluster_id, N_("cluster"))

    def participant(self, participant_id: int) -> Participant:
        return _find(self.participants, participant_id, N_("participant"))

    def rule(self, rule_id: int) -> Rule:
        return _find(self.rules, rule_id, N_("rule"))

    def action(self, action_id: int) -> Action:
        return _find(self.actions, action_id, N_("action"))

    def round(self, round_id: int) -> VoteRound:
        return _find(self.rounds, round_id, N_("vote round"))

    def note(self, note_id: int) -> Note:
        return _find(self.notes, note_id, N_("note"))

    def author_name(self, idea: Idea) -> str:
        """Everyone credited with the idea, as shown next to it ("Awa, Djamel")."""
        if not idea.coauthors:  # the usual case, cheap for 2,000 ideas
            for person in self.participants:
                if person.id == idea.author_id:
                    return person.name
            return ""
        names = {p.id: p.name for p in self.participants}
        return ", ".join(names[a] for a in idea.authors if a in names)

    def idea_counts(self, field: str) -> Counter[int | None]:
        """Ideas per ``"cluster_id"`` or per ``"author_id"`` (None: unclassified / no author)."""
        return Counter(getattr(idea, field) for idea in self.ideas)

    def author_counts(self) -> Counter[int | None]:
        """Ideas credited to each participant, merged ideas to each of their authors
        (None: ideas without any author)."""
        counts: Counter[int | None] = Counter()
        for idea in self.ideas:
            counts.update(idea.authors or (None,))
        return counts

    def ideas_in(self, cluster_id: int | None) -> list[Idea]:
        return [idea for idea in self.ideas if idea.cluster_id == cluster_id]

    def timing(self, phase: str) -> PhaseTime:
        return self.phases.get(phase) or PhaseTime(DEFAULT_MINUTES.get(phase, 10))

    @property
    def main_round(self) -> VoteRound | None:
        """The first top-level vote (the only one in sessions of a single vote)."""
        return next((r for r in self.rounds if r.parent_id is None), None)

    @property
    def votes(self) -> tuple[VoteRound, ...]:
        """The top-level rounds, oldest first (run-offs belong to the vote they break)."""
        return tuple(r for r in self.rounds if r.parent_id is None)

    @property
    def ballots(self) -> tuple[dict[str, int], ...]:
        """Every secret ballot of every round (marks only: a ballot names nobody)."""
        return tuple(b for r in self.rounds for b in r.ballots)

    def ballots_of(self, round_id: int) -> tuple[dict[str, int], ...]:
        return self.round(round_id).ballots

    def decision(self, decision_id: int) -> Decision:
        return _find(self.decisions, decision_id, N_("decision"))

    def option_label(self, key: str) -> str:
        """Readable label of a vote option or action link ('' when it no longer exists)."""
        kind, _sep, raw = key.partition(":")
        try:
            number = int(raw)
            if kind == "cluster":
                return self.cluster(number).label
            if kind == "idea":
                return self.idea(number).text
        except (ValueError, AtelierError):
            pass
        for vote_round in reversed(self.rounds):  # gone since: the label kept by its vote
            if key in vote_round.labels:
                return vote_round.labels[key]
        return ""

    def closed_votes_on(self, key: str) -> tuple[VoteRound, ...]:
        """Closed rounds with this option: what dissolving or merging it would affect."""
        return tuple(r for r in self.rounds if r.closed_at and key in r.options)

    def vote_options(self) -> tuple[str, ...]:
        """The options the vote settings designate now: clusters (with ideas) or ideas."""
        return vote_options_for(self, self.vote.target)


T = TypeVar("T")


def _find(items: Iterable[T], item_id: object, what: str) -> T:
    for item in items:
        if item.id == item_id:  # type: ignore[attr-defined]
            return item
    raise AtelierError(_("Not found: {what} {id}.").format(what=_(what), id=item_id))


# --------------------------------------------------------------------------- operations

Operation = Callable[..., Session]
OPERATIONS: dict[str, Operation] = {}


def operation(
    label: str, *, undoable: bool = True, sealed: bool = False
) -> Callable[[Operation], Operation]:
    """Register a named operation: its undo label and whether it enters the undo log.

    ``sealed`` (a secret ballot): the store saves it as a whole file, never as a journal
    line or an undo step, and forgets the undo steps of the records it changed, so no
    file holds two states of a ballot box that would tell who added which ballot."""

    def register(fn: Operation) -> Operation:
        fn.label = label  # type: ignore[attr-defined]
        fn.undoable = undoable  # type: ignore[attr-defined]
        fn.sealed = sealed  # type: ignore[attr-defined]
        OPERATIONS[fn.__name__] = fn
        __all__.append(fn.__name__)
        return fn

    return register


def _next_id(session: Session, collection: str) -> tuple[int, dict[str, int]]:
    number = session.seq.get(collection, 0) + 1
    return number, {**session.seq, collection: number}


def _replace_item(items: tuple[T, ...], item_id: int, new: T | None) -> tuple[T, ...]:
    """The tuple with one record replaced (or removed when ``new`` is None)."""
    out: list[T] = []
    for item in items:
        if item.id == item_id:  # type: ignore[attr-defined]
            if new is not None:
                out.append(new)
        else:
            out.append(item)
    return tuple(out)


def _renumber(items: Sequence[T]) -> tuple[T, ...]:
    """Give ordered records (rules, clusters) order 1..n, keeping unchanged ones as they are."""
    return tuple(
        item if item.order == pos else replace(item, order=pos)  # type: ignore[attr-defined,type-var]
        for pos, item in enumerate(items, start=1)
    )


def _moved(items: tuple[T, ...], item_id: int, delta: int) -> tuple[T, ...]:
    index = next(
        (i for i, item in enumerate(items) if item.id == item_id),  # type: ignore[attr-defined]
        None,
    )
    if index is None:
        raise AtelierError(_("Not found: {what} {id}.").format(what=_("item"), id=item_id))
    target = max(0, min(len(items) - 1, index + delta))
    order = list(items)
    order.insert(target, order.pop(index))
    return _renumber(order)


def _check_phase(phase: str) -> None:
    if phase not in PHASES:
        raise AtelierError(_("Unknown phase: {phase}.").format(phase=phase))


def _int_in(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise AtelierError(
                _("{what}: a whole number is expected.").format(what=_(what))
            ) from None
    if not low <= value <= high:
        raise AtelierError(
            _("{what}: a value between {low} and {high} is expected.").format(
                what=_(what), low=low, high=high
            )
        )
    return value


def new_session(
    session_id: str,
    title: str,
    *,
    lang: str = "fr",
    question: str = "",
    template: str = "",
    rules: Sequence[tuple[str, str]] = (),
    clusters: Sequence[str] = (),
    minutes: dict[str, int] | None = None,
    vote: VoteSettings | None = None,
    closing_message: str | None = None,
) -> Session:
    """A fresh session, validated, with its charter and any clusters prepared in advance."""
    now = clock.now_iso()
    lang = lang if lang in ("fr", "en") else "fr"
    session = Session(
        id=session_id,
        title=clean_text(title, N_("The title"), max_len=TITLE_MAX),
        question=clean_text(question, N_("The question"), max_len=QUESTION_MAX, min_len=0),
        created_at=now,
        date=clock.today().isoformat(),
        lang=lang,
        template=template,
        closing_message=clean_text(
            DEFAULT_CLOSING[lang] if closing_message is None else closing_message,
            N_("The closing message"),
            max_len=MESSAGE_MAX,
            min_len=0,
        ),
        phases={p: PhaseTime((minutes or {}).get(p, DEFAULT_MINUTES[p])) for p in PHASES},
    )
    if vote is not None:  # from a template file: checked like settings typed in setup
        names: tuple[str, ...] = VoteSettings.__slots__  # type: ignore[attr-defined]
        session = configure_vote(session, **{name: getattr(vote, name) for name in names})
    for rule_title, explanation in rules:
        session = add_rule(session, rule_title, explanation)
    for label in clusters:
        session = add_cluster(session, label)
    return session


# ---- setup


@operation(N_("edit the setup"))
def update_setup(session: Session, **fields: Any) -> Session:
    """Change any of title, question, facilitator, place, date, start_time, end_time,
    next_meeting, lang, anonymous, participant_count, closing_message (the setup fields)."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            changes[name] = clean_text(value, N_("The title"), max_len=TITLE_MAX)
        elif name == "question":
            changes[name] = clean_text(value, N_("The question"), max_len=QUESTION_MAX, min_len=0)
        elif name == "facilitator":
            changes[name] = clean_text(value, N_("The facilitator"), max_len=NAME_MAX, min_len=0)
        elif name == "closing_message":
            changes[name] = clean_text(
                value, N_("The closing message"), max_len=MESSAGE_MAX, min_len=0
            )
        elif name == "place":
            changes[name] = clean_text(value, N_("The place"), max_len=PLACE_MAX, min_len=0)
        elif name == "next_meeting":
            changes[name] = clean_text(
                value, N_("The next meeting"), max_len=MESSAGE_MAX, min_len=0
            )
        elif name in ("start_time", "end_time"):
            changes[name] = parse_time(value)
        elif name == "date":
            changes[name] = parse_date(value) or clock.today().isoformat()
        elif name == "lang":
            if value not in ("fr", "en"):
                raise AtelierError(_("Unknown language: {lang}.").format(lang=value))
            changes[name] = value
        elif name == "anonymous":
            changes[name] = bool(value)
        elif name == "participant_count":
            changes[name] = _int_in(value, N_("The number of participants"), 0, MAX_PARTICIPANTS)
        else:
            raise AtelierError(_("Unknown setting: {name}.").format(name=name))
    return replace(session, **changes)


@operation(N_("change a planned duration"))
def set_planned_minutes(session: Session, phase: str, minutes: object) -> Session:
    _check_phase(phase)
    value = _int_in(minutes, N_("The planned duration"), 0, MAX_MINUTES)
    timing = replace(session.timing(phase), planned_minutes=value)
    return replace(session, phases={**session.phases, phase: timing})


@operation(N_("change phase"), undoable=False)
def set_phase(session: Session, phase: str) -> Session:
    """Go to a phase: the time spent in the one left is recorded, the new one's starts.
    Setting the phase already current (opening the session) starts its clock afresh: the
    end of an interval cut by a crash is unknown, so it is not counted."""
    _check_phase(phase)
    now = clock.now_iso()
    phases = dict(session.phases)
    if phase != session.phase:
        left = session.timing(session.phase)
        phases[session.phase] = replace(left, present_seconds=left.present(now), entered_at=None)
    phases[phase] = replace(session.timing(phase), entered_at=now)
    return replace(session, phase=phase, phases=phases)


@operation(N_("leave the session"), undoable=False)
def leave_phase(session: Session) -> Session:
    """The session is closed: the time spent in its phase stops counting."""
    timing = session.timing(session.phase)
    if timing.entered_at is None:
        return session
    left = replace(timing, present_seconds=timing.present(clock.now_iso()), entered_at=None)
    return _set_timing(session, session.phase, left)


# ---- timer (not undoable: time is not an edit; a reset is, it wipes the countdown)


def _set_timing(session: Session, phase: str, timing: PhaseTime) -> Session:
    return replace(session, phases={**session.phases, phase: timing})


@operation(N_("start the timer"), undoable=False)
def timer_start(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    if timing.running:
        return session
    now = clock.now_iso()
    return _set_timing(
        session, phase, replace(timing, running_since=now, started_at=timing.started_at or now)
    )


@operation(N_("pause the timer"), undoable=False)
def timer_pause(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    if not timing.running:
        return session
    now = clock.now_iso()
    paused = replace(
        timing,
        timer_seconds=timing.elapsed(now),
        spent_seconds=timing.timer_run(now),
        running_since=None,
        stopped_at=now,
    )
    return _set_timing(session, phase, paused)


@operation(N_("add a minute"), undoable=False)
def timer_add_minute(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    return _set_timing(session, phase, replace(timing, extra_seconds=timing.extra_seconds + 60))


@operation(N_("reset the timer"))
def timer_reset(session: Session, phase: str) -> Session:
    """Restart the countdown; the time already spent stays recorded. Only the countdown's
    own fields change (a running timer keeps its start, its elapsed base goes below zero),
    so ctrl+z brings the countdown back without stopping or starting the timer."""
    _check_phase(phase)
    timing = session.timing(phase)
    base = timing.timer_seconds - timing.elapsed(clock.now_iso())
    return _set_timing(session, phase, replace(timing, extra_seconds=0, timer_seconds=base))


# ---- participants


@operation(N_("add a participant"))
def add_participant(session: Session, name: str) -> Session:
    clean = clean_text(name, N_("The name"), max_len=NAME_MAX)
    if any(p.name.casefold() == clean.casefold() for p in session.participants):
        raise AtelierError(_("“{name}” is already a participant.").format(name=clean))
    if len(session.participants) >= MAX_PARTICIPANTS:
        raise AtelierError(_("At most {limit} participants.").format(limit=MAX_PARTICIPANTS))
    number, seq = _next_id(session, "participants")
    person = Participant(number, clean)
    return replace(session, participants=(*session.participants, person), seq=seq)


@operation(N_("rename a participant"))
def rename_participant(session: Session, participant_id: int, name: str) -> Session:
    person = session.participant(participant_id)
    clean = clean_text(name, N_("The name"), max_len=NAME_MAX)
    if any(
        p.name.casefold() == clean.casefold() and p.id != participant_id
        for p in session.participants
    ):
        raise AtelierError(_("“{name}” is already a participant.").format(name=clean))
    return replace(
        session,
        participants=_replace_item(session.participants, person.id, replace(person, name=clean)),
    )


@operation(N_("remove a participant"))
def remove_participant(session: Session, participant_id: int) -> Session:
    """Their ideas stay, without author: an idea is never lost with its author."""
    session.participant(participant_id)
    ideas = tuple(
        replace(
            i,
            author_id=None if i.author_id == participant_id else i.author_id,
            coauthors=tuple(a for a in i.coauthors if a != participant_id),
        )
        if participant_id in i.authors
        else i
        for i in session.ideas
    )
    rounds = tuple(
        replace(r, voted=tuple(v for v in r.voted if v != participant_id))
        if participant_id in r.voted
        else r
        for r in session.rounds
    )
    return replace(
        session,
        participants=_replace_item(session.participants, participant_id, None),
        ideas=ideas,
        rounds=rounds,
    )


# ---- rules


@operation(N_("add a rule"))
def add_rule(session: Session, title: str, explanation: str = "") -> Session:
    rule_title = clean_text(title, N_("The rule"), max_len=RULE_TITLE_MAX)
    text = clean_text(explanation, N_("The explanation"), max_len=RULE_TEXT_MAX, min_len=0)
    number, seq = _next_id(session, "rules")
    rule = Rule(number, rule_title, text, len(session.rules) + 1)
    return replace(session, rules=(*session.rules, rule), seq=seq)


@operation(N_("edit a rule"))
def edit_rule(session: Session, rule_id: int, title: str, explanation: str = "") -> Session:
    rule = session.rule(rule_id)
    new = replace(
        rule,
        title=clean_text(title, N_("The rule"), max_len=RULE_TITLE_MAX),
        explanation=clean_text(
            explanation, N_("The explanation"), max_len=RULE_TEXT_MAX, min_len=0
        ),
    )
    return replace(session, rules=_replace_item(session.rules, rule_id, new))


@operation(N_("remove a rule"))
def remove_rule(session: Session, rule_id: int) -> Session:
    session.rule(rule_id)
    return replace(session, rules=_renumber(_replace_item(session.rules, rule_id, None)))


@operation(N_("move a rule"))
def move_rule(session: Session, rule_id: int, delta: int) -> Session:
    session.rule(rule_id)
    return replace(session, rules=_moved(session.rules, rule_id, delta))


@operation(N_("adopt the rules"))
def adopt_rules(session: Session) -> Session:
    if not session.rules:
        raise AtelierError(_("There is no rule to adopt."))
    return replace(session, rules_adopted_at=clock.now_iso())


@operation(N_("withdraw the adoption of the rules"))
def unadopt_rules(session: Session) -> Session:
    return replace(session, rules_adopted_at=None)


# ---- ideas


def _check_author(session: Session, author_id: int | None) -> None:
    if author_id is not None:
        session.participant(author_id)


@operation(N_("add an idea"))
def add_idea(session: Session, text: str, author_id: int | None = None) -> Session:
    clean = clean_text(text, N_("The idea"), max_len=IDEA_MAX)
    _check_author(session, author_id)
    number, seq = _next_id(session, "ideas")
    idea = Idea(number, clean, clock.now_iso(), author_id)
    return replace(session, ideas=(*session.ideas, idea), seq=seq)


@operation(N_("edit an idea"))
def edit_idea(session: Session, idea_id: int, text: str) -> Session:
    idea = session.idea(idea_id)
    clean = clean_text(text, N_("The idea"), max_len=IDEA_MAX)
    if clean == idea.text:
        return session
    return replace(session, ideas=_replace_item(session.ideas, idea_id, replace(idea, text=clean)))


@operation(N_("change the author of an idea"))
def set_idea_author(session: Session, idea_id: int, author_id: int | None) -> Session:
    idea = session.idea(idea_id)
    _check_author(session, author_id)
    new = replace(idea, author_id=author_id)
    return replace(session, ideas=_replace_item(session.ideas, idea_id, new))


@operation(N_("delete an idea"))
def delete_idea(session: Session, idea_id: int) -> Session:
    session.idea(idea_id)
    actions = tuple(
        replace(a, link=None) if a.link == f"idea:{idea_id}" else a for a in session.actions
    )
    return replace(
        session,
        ideas=_replace_item(session.ideas, idea_id, None),
        actions=actions,
        rounds=_keep_labels(session, f"idea:{idea_id}"),
    )


@operation(N_("merge two ideas"))
def merge_ideas(session: Session, keep_id: int, fold_id: int) -> Session:
    """Fold one idea into another: its text is kept in the survivor's ``merged`` list and
    its authors stay credited as co-authors."""
    keep, fold = session.idea(keep_id), session.idea(fold_id)
    if keep_id == fold_id:
        raise AtelierError(_("An idea cannot be merged with itself."))
    coauthors = tuple(dict.fromkeys(a for a in (*keep.authors, *fold.authors)))
    if keep.author_id is not None:
        coauthors = coauthors[1:]
    survivor = replace(
        keep, merged=(*keep.merged, fold.text, *fold.merged), coauthors=tuple(coauthors)
    )
    ideas = _replace_item(_replace_item(session.ideas, keep_id, survivor), fold_id, None)
    actions = tuple(
        replace(a, link=f"idea:{keep_id}") if a.link == f"idea:{fold_id}" else a
        for a in session.actions
    )
    rounds = _keep_labels(session, f"idea:{fold_id}")
    return replace(session, ideas=ideas, actions=actions, rounds=rounds)


@operation(N_("move an idea"))
def move_idea(session: Session, idea_id: int, cluster_id: int | None) -> Session:
    idea = session.idea(idea_id)
    if cluster_id is not None:
        session.cluster(cluster_id)
    if idea.cluster_id == cluster_id:
        return session
    new = replace(idea, cluster_id=cluster_id)
    return replace(session, ideas=_replace_item(session.ideas, idea_id, new))


@operation(N_("group ideas"))
def group_ideas(
    session: Session, idea_ids: Sequence[int], label: str, *, move_placed: bool = False
) -> Session:
    """Create a cluster for a group of ideas (an accepted suggestion). Ideas the facilitator
    already placed stay where they are unless ``move_placed``."""
    for idea_id in idea_ids:
        session.idea(idea_id)
    session = add_cluster(session, label)
    cluster_id = session.clusters[-1].id
    wanted = set(idea_ids)
    ideas = tuple(
        replace(i, cluster_id=cluster_id)
        if i.id in wanted and (i.cluster_id is None or move_placed)
        else i
        for i in session.ideas
    )
    return replace(session, ideas=ideas)


# ---- clusters


def _check_label_free(session: Session, label: str, except_id: int | None = None) -> None:
    if any(c.label.casefold() == label.casefold() and c.id != except_id for c in session.clusters):
        raise AtelierError(_("A cluster is already called “{label}”.").format(label=label))


@operation(N_("add a cluster"))
def add_cluster(session: Session, label: str) -> Session:
    clean = clean_text(label, N_("The cluster name"), max_len=LABEL_MAX)
    _check_label_free(session, clean)
    number, seq = _next_id(session, "clusters")
    cluster = Cluster(number, clean, len(session.clusters) + 1)
    return replace(session, clusters=(*session.clusters, cluster), seq=seq)


@operation(N_("rename a cluster"))
def rename_cluster(session: Session, cluster_id: int, label: str) -> Session:
    cluster = session.cluster(cluster_id)
    clean = clean_text(label, N_("The cluster name"), max_len=LABEL_MAX)
    _check_label_free(session, clean, cluster_id)
    new = replace(cluster, label=clean)
    return replace(session, clusters=_replace_item(session.clusters, cluster_id, new))


@operation(N_("move a cluster"))
def move_cluster(session: Session, cluster_id: int, delta: int) -> Session:
    session.cluster(cluster_id)
    return replace(session, clusters=_moved(session.clusters, cluster_id, delta))


def _relink(actions: tuple[Action, ...], old: str, new: str | None) -> tuple[Action, ...]:
    return tuple(replace(a, link=new) if a.link == old else a for a in actions)


@operation(N_("dissolve a cluster"))
def dissolve_cluster(session: Session, cluster_id: int) -> Session:
    """Remove a cluster; its ideas go back to « Unclassified », none is lost."""
    session.cluster(cluster_id)
    ideas = tuple(
        replace(i, cluster_id=None) if i.cluster_id == cluster_id else i for i in session.ideas
    )
    return replace(
        session,
        ideas=ideas,
        clusters=_renumber(_replace_item(session.clusters, cluster_id, None)),
        actions=_relink(session.actions, f"cluster:{cluster_id}", None),
        rounds=_keep_labels(session, f"cluster:{cluster_id}"),
    )


@operation(N_("merge clusters"))
def merge_clusters(session: Session, source_id: int, target_id: int) -> Session:
    """Move every idea of ``source`` into ``target`` and remove ``source``."""
    session.cluster(source_id)
    session.cluster(target_id)
    if source_id == target_id:
        raise AtelierError(_("A cluster cannot be merged with itself."))
    ideas = tuple(
        replace(i, cluster_id=target_id) if i.cluster_id == source_id else i for i in session.ideas
    )
    return replace(
        session,
        ideas=ideas,
        clusters=_renumber(_replace_item(session.clusters, source_id, None)),
        actions=_relink(session.actions, f"cluster:{source_id}", f"cluster:{target_id}"),
        rounds=_keep_labels(session, f"cluster:{source_id}"),
    )


# ---- vote


@operation(N_("change the vote settings"))
def configure_vote(session: Session, **fields: Any) -> Session:
    """Change method, target, mode, dots_per_voter, max_per_option or grades."""
    settings = session.vote
    for name, value in fields.items():
        if name == "method" and value not in VOTE_METHODS:
            raise AtelierError(_("Unknown vote method: {value}.").format(value=value))
        if name == "target" and value not in VOTE_TARGETS:
            raise AtelierError(_("Unknown vote target: {value}.").format(value=value))
        if name == "mode" and value not in VOTE_MODES:
            raise AtelierError(_("Unknown vote mode: {value}.").format(value=value))
        if name == "grades":
            value = tuple(clean_text(g, N_("The grade"), max_len=LABEL_MAX) for g in value)
        if name == "dots_per_voter" and value is not None:
            value = _int_in(value, N_("The number of dots"), 1, 100)
        if name == "max_per_option":
            value = _int_in(value, N_("The number of dots per option"), 1, 100)
        if name not in VoteSettings.__slots__:  # type: ignore[attr-defined]
            raise AtelierError(_("Unknown setting: {name}.").format(name=name))
        settings = replace(settings, **{name: value})
    options = len(session.vote_options()) or 1
    dots = settings.dots_per_voter or voting.default_dots_per_voter(options)
    voting.validate_vote_settings(
        options,
        dots,
        min(settings.max_per_option, dots),  # capped to the dots when the vote starts
        len(settings.grades) or voting.MIN_GRADES,
    )
    return replace(session, vote=settings)


def grades_for(session: Session) -> tuple[str, ...]:
    return session.vote.grades or voting.default_grades(session.lang)


def vote_options_for(session: Session, target: str) -> tuple[str, ...]:
    """Every idea, or every cluster holding ideas, as vote options."""
    if target == "ideas":
        return tuple(f"idea:{idea.id}" for idea in session.ideas)
    filled = {i.cluster_id for i in session.ideas}
    return tuple(f"cluster:{c.id}" for c in session.clusters if c.id in filled)


def _vote_options(session: Session, options: Sequence[str] | None, target: str) -> tuple[str, ...]:
    """The options a new vote covers: those given (checked to exist), else the target's."""
    if options is None:
        return vote_options_for(session, target)
    chosen = tuple(dict.fromkeys(str(o) for o in options))
    for option in chosen:
        if _check_link(session, option) != option:
            raise AtelierError(_("Unknown vote option: {option}.").format(option=option))
    return chosen


@operation(N_("start the vote"))
def start_vote(
    session: Session,
    options: Sequence[str] | None = None,
    *,
    method: str | None = None,
    mode: str | None = None,
    source_id: int | None = None,
) -> Session:
    """Start a new vote beside the earlier ones, with its own method, mode and options.

    Without ``options`` the vote covers what the settings designate (clusters with ideas,
    or every idea); ``source_id`` notes the round a shortlist comes from. Method and mode
    default to the session's settings. One round is collected at a time."""
    if any(not r.closed_at for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    settings = session.vote
    method = settings.method if method is None else method
    mode = settings.mode if mode is None else mode
    if method not in VOTE_METHODS:
        raise AtelierError(_("Unknown vote method: {value}.").format(value=method))
    if mode not in VOTE_MODES:
        raise AtelierError(_("Unknown vote mode: {value}.").format(value=mode))
    if source_id is not None:
        session.round(source_id)
    chosen = _vote_options(session, options, settings.target)
    if not chosen:
        raise AtelierError(_("Nothing to vote on: add ideas, or put ideas into clusters, first."))
    if options is not None and len(chosen) < 2:
        raise AtelierError(_("A vote needs at least two options."))
    # the settings' dots fit the full list; a shortlist gets its own third
    dots = settings.dots_per_voter if options is None else None
    dots = dots or voting.default_dots_per_voter(len(chosen))
    number, seq = _next_id(session, "rounds")
    vote_round = VoteRound(
        id=number,
        method=method,
        mode=mode,
        options=chosen,
        dots_per_voter=dots,
        max_per_option=min(settings.max_per_option, dots),
        grades=grades_for(session),
        voters=session.voter_count,
        created_at=clock.now_iso(),
        source_id=source_id,
    )
    return replace(session, rounds=(*session.rounds, vote_round), seq=seq)


@operation(N_("start a run-off"))
def start_runoff(session: Session, round_id: int, options: Sequence[str]) -> Session:
    """A new round among tied options, same method, dots reset to fit the fewer options."""
    parent = session.round(round_id)
    chosen = tuple(dict.fromkeys(options))
    if len(chosen) < 2 or any(o not in parent.options for o in chosen):
        raise AtelierError(_("A run-off needs at least two options of the vote."))
    if any(not r.closed_at for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    dots = voting.default_dots_per_voter(len(chosen))
    number, seq = _next_id(session, "rounds")
    runoff = replace(
        parent,
        id=number,
        options=chosen,
        dots_per_voter=dots,
        max_per_option=min(parent.max_per_option, dots),
        tallies={},
        parent_id=parent.id,
        created_at=clock.now_iso(),
        closed_at=None,
        ballots=(),
        voted=(),
        labels={},
        kept_ties=(),
        source_id=None,
    )
    # the tie is being settled by this run-off, no longer « left tied »
    kept = tuple(o for o in parent.kept_ties if o not in chosen)
    rounds = _replace_item(session.rounds, parent.id, replace(parent, kept_ties=kept))
    return replace(session, rounds=(*rounds, runoff), seq=seq)


@operation(N_("cancel a vote round"))
def delete_round(session: Session, round_id: int) -> Session:
    """Discard a round, its run-offs and their ballots (to vote again from scratch)."""
    doomed = {round_id}
    session.round(round_id)
    for r in session.rounds:
        if r.parent_id in doomed:
            doomed.add(r.id)
    return replace(session, rounds=tuple(r for r in session.rounds if r.id not in doomed))


@operation(N_("leave a tie as it is"))
def keep_tie(session: Session, round_id: int, options: Sequence[str], keep: bool = True) -> Session:
    """The group decides that tied options stay tied (``keep=False`` withdraws it)."""
    vote_round = session.round(round_id)
    chosen = set(options)
    if not chosen or not chosen <= set(vote_round.options):
        raise AtelierError(_("Unknown vote option: {option}.").format(option=", ".join(chosen)))
    kept = set(vote_round.kept_ties) | chosen if keep else set(vote_round.kept_ties) - chosen
    ordered = tuple(o for o in vote_round.options if o in kept)
    new = replace(vote_round, kept_ties=ordered)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def _open_round(session: Session, round_id: int) -> VoteRound:
    vote_round = session.round(round_id)
    if vote_round.closed_at:
        raise AtelierError(_("This vote is closed."))
    return vote_round


@operation(N_("set the number of voters"))
def set_voters(session: Session, round_id: int, voters: object) -> Session:
    vote_round = _open_round(session, round_id)
    count = _int_in(voters, N_("The number of voters"), 0, MAX_PARTICIPANTS)
    new = replace(vote_round, voters=count)
    _check_tallies(new)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def _check_tallies(vote_round: VoteRound) -> None:
    if vote_round.method == "dot":
        voting.validate_dot_totals(
            [t[0] for t in vote_round.tallies.values()],
            vote_round.voters,
            vote_round.dots_per_voter,
        )
        for _key, counts in vote_round.tallies.items():
            voting.validate_dot_tally(
                counts[0], vote_round.voters, vote_round.dots_per_voter, vote_round.max_per_option
            )
    else:
        for counts in vote_round.tallies.values():
            voting.validate_mj_tally(list(counts), vote_round.voters, len(vote_round.grades))


@operation(N_("enter a tally"))
def set_tally(session: Session, round_id: int, option: str, counts: Sequence[int]) -> Session:
    """Paper vote: dots for one option ([n]) or counts per grade, worst → best."""
    vote_round = _open_round(session, round_id)
    if option not in vote_round.options:
        raise AtelierError(_("Unknown vote option: {option}.").format(option=option))
    label = session.option_label(option)
    values = tuple(counts)
    if vote_round.method == "dot":
        if len(values) != 1:
            raise AtelierError(_("A dot tally is one number."))
        voting.validate_dot_tally(
            values[0],
            vote_round.voters,
            vote_round.dots_per_voter,
            vote_round.max_per_option,
            label,
        )
    else:
        voting.validate_mj_tally(list(values), vote_round.voters, len(vote_round.grades), label)
    new = replace(vote_round, tallies={**vote_round.tallies, option: values})
    _check_tallies(new)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def ballot_key(marks: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The canonical order of a pile of ballots: by content, never by arrival."""
    return tuple(sorted(marks.items()))


def check_ballot(vote_round: VoteRound, marks: dict[str, int]) -> dict[str, int]:
    """One ballot's marks, checked and in the round's option order (nothing of the voter's
    order of clicks survives)."""
    if not isinstance(marks, dict):
        raise AtelierError(_("A ballot is a mark per option."))
    unknown = [o for o in marks if o not in vote_round.options]
    if unknown:
        raise AtelierError(_("Unknown vote option: {option}.").format(option=unknown[0]))
    values = [marks.get(o) for o in vote_round.options]
    if vote_round.method == "dot":
        voting.validate_dot_ballot(
            [v or 0 for v in values], vote_round.dots_per_voter, vote_round.max_per_option
        )
        return {o: v for o, v in zip(vote_round.options, values, strict=True) if v}
    voting.validate_mj_ballot(values, len(vote_round.grades))
    return {o: v for o, v in zip(vote_round.options, values, strict=True) if v is not None}


@operation(N_("cast a ballot"), undoable=False, sealed=True)
def cast_ballot(
    session: Session, round_id: int, marks: dict[str, int], voter_id: int | None = None
) -> Session:
    """Secret ballot: one voter's dots or grades, put into the round's box.

    The ballot is stored without voter, time or number, in a canonical order; in a named
    session the voter joins the round's sorted set of those who voted, so they cannot vote
    twice. Sealed: the store writes it as a whole file, outside the journal and undo log.
    """
    vote_round = _open_round(session, round_id)
    if vote_round.mode != "ballot":
        raise AtelierError(_("This vote is collected on paper: enter its tallies."))
    ballot = check_ballot(vote_round, marks)
    voted = vote_round.voted
    if session.anonymous:
        voter_id = None
    if voter_id is not None:
        session.participant(voter_id)
        if voter_id in voted:
            raise AtelierError(_("This participant has already voted."))
        voted = tuple(sorted((*voted, voter_id)))
    ballots = tuple(sorted((*vote_round.ballots, ballot), key=ballot_key))
    new = replace(vote_round, ballots=ballots, voted=voted)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


@operation(N_("change a ballot"), undoable=False, sealed=True)
def replace_ballot(
    session: Session, round_id: int, previous: dict[str, int], marks: dict[str, int]
) -> Session:
    """A voter changes their secret ballot while the vote is open (a phone that votes
    again): one ballot equal to ``previous`` leaves the box, the new one goes in. Ballots
    that are equal cannot be told apart, so which one leaves says nothing about anyone."""
    vote_round = _open_round(session, round_id)
    old = check_ballot(vote_round, previous)
    new = check_ballot(vote_round, marks)
    ballots = list(vote_round.ballots)
    if old not in ballots:
        raise AtelierError(_("This ballot is no longer in the box."))
    ballots.remove(old)
    box = tuple(sorted((*ballots, new), key=ballot_key))
    changed = replace(vote_round, ballots=box)
    return replace(session, rounds=_replace_item(session.rounds, round_id, changed))


def _labels_of(session: Session, vote_round: VoteRound) -> dict[str, str]:
    """The labels of a round's options as they read now, kept with the round."""
    labels = dict(vote_round.labels)
    for option in vote_round.options:
        label = session.option_label(option)
        if label:
            labels[option] = label
    return labels


def _keep_labels(session: Session, key: str) -> tuple[VoteRound, ...]:
    """Before an option disappears, every round that counted it keeps its label."""
    label = session.option_label(key)
    return tuple(
        replace(r, labels={**r.labels, key: label})
        if key in r.options and label and r.labels.get(key) != label
        else r
        for r in session.rounds
    )


@operation(N_("close the vote"))
def close_round(session: Session, round_id: int) -> Session:
    """Close a round; the labels of its options are kept with it, so its result stays
    readable if a cluster is later dissolved or merged."""
    vote_round = _open_round(session, round_id)
    new = replace(vote_round, closed_at=clock.now_iso(), labels=_labels_of(session, vote_round))
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


@operation(N_("reopen the vote"))
def reopen_round(session: Session, round_id: int) -> Session:
    vote_round = session.round(round_id)
    if any(not r.closed_at and r.id != round_id for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    new = replace(vote_round, closed_at=None)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


# ---- decisions


def _decision_text(session: Session, text: object, link: str | None) -> tuple[str, str | None]:
    if link:
        key = str(link)
        label = session.option_label(key)
        if not label:
            raise AtelierError(_("Unknown link: {link}.").format(link=key))
        return clean_text(label, N_("The decision"), max_len=IDEA_MAX), key
    return clean_text(text, N_("The decision"), max_len=IDEA_MAX), None


@operation(N_("edit the decisions"))
def set_decisions(session: Session, items: Sequence[tuple[str, str | None]]) -> Session:
    """Replace « Decisions / priorities retained » by ``items``: (text, option key or None)
    in order. An option keeps its label as text, so it stays readable if it disappears."""
    records: list[Decision] = []
    seq = session.seq
    for order, (text, link) in enumerate(items, start=1):
        clean, key = _decision_text(session, text, link)
        number = seq.get("decisions", 0) + 1
        seq = {**seq, "decisions": number}
        records.append(Decision(number, clean, order, key))
    if len(records) > MAX_PARTICIPANTS:
        raise AtelierError(_("At most {limit} decisions.").format(limit=MAX_PARTICIPANTS))
    return replace(session, decisions=tuple(records), decisions_set=True, seq=seq)


@operation(N_("restore the default decisions"))
def reset_decisions(session: Session) -> Session:
    """Back to the default: the winners of the last vote."""
    return replace(session, decisions=(), decisions_set=False)


# ---- actions


def _check_link(session: Session, link: str | None) -> str | None:
    """An action's link to a cluster or idea that exists, normalised as "kind:id"."""
    if not link:
        return None
    kind, _sep, raw = str(link).partition(":")
    try:
        number = int(raw)
        if kind == "cluster":
            session.cluster(number)
        elif kind == "idea":
            session.idea(number)
        else:
            raise ValueError(kind)
    except (ValueError, AtelierError):
        raise AtelierError(_("Unknown link: {link}.").format(link=link)) from None
    return f"{kind}:{number}"


class FieldError(AtelierError):
    """A refused value, naming the field it came from (the form keeps focus there)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _action_fields(
    session: Session, what: str, owner: str, due: str | None, link: str | None
) -> dict[str, Any]:
    checks: dict[str, Callable[[], Any]] = {
        "what": lambda: clean_text(what, N_("The action"), max_len=ACTION_MAX),
        "owner": lambda: clean_text(owner, N_("The owner"), max_len=NAME_MAX, min_len=0),
        "due": lambda: parse_date(due),
        "link": lambda: _check_link(session, link),
    }
    values: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except AtelierError as error:
            raise FieldError(error.message, name) from None
    return values


@operation(N_("add an action"))
def add_action(
    session: Session, what: str, owner: str = "", due: str | None = None, link: str | None = None
) -> Session:
    values = _action_fields(session, what, owner, due, link)
    number, seq = _next_id(session, "actions")
    return replace(session, actions=(*session.actions, Action(number, **values)), seq=seq)


@operation(N_("edit an action"))
def edit_action(
    session: Session,
    action_id: int,
    what: str,
    owner: str = "",
    due: str | None = None,
    link: str | None = None,
) -> Session:
    action = session.action(action_id)
    new = replace(action, **_action_fields(session, what, owner, due, link))
    return replace(session, actions=_replace_item(session.actions, action_id, new))


@operation(N_("delete an action"))
def delete_action(session: Session, action_id: int) -> Session:
    session.action(action_id)
    return replace(session, actions=_replace_item(session.actions, action_id, None))


# ---- parking and notes


def _note_text(text: object) -> str:
    return clean_text(text, N_("The note"), max_len=NOTE_MAX, multiline=True)


@operation(N_("add a note"))
def add_note(session: Session, text: str, kind: str = "parking") -> Session:
    """Park an off-topic point (or take a note, a quote) from whatever phase is on."""
    if kind not in NOTE_KINDS:
        raise AtelierError(_("Unknown kind of note: {kind}.").format(kind=str(kind)[:20]))
    number, seq = _next_id(session, "notes")
    note = Note(number, _note_text(text), kind, session.phase, clock.now_iso())
    return replace(session, notes=(*session.notes, note), seq=seq)


@operation(N_("edit a note"))
def edit_note(session: Session, note_id: int, text: str) -> Session:
    new = replace(session.note(note_id), text=_note_text(text))
    return replace(session, notes=_replace_item(session.notes, note_id, new))


@operation(N_("delete a note"))
def delete_note(session: Session, note_id: int) -> Session:
    session.note(note_id)
    return replace(session, notes=_replace_item(session.notes, note_id, None))
