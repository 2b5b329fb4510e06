"""The workshop's records: phases, limits and the immutable dataclasses of a session.

Records only read; every change is an operation (the other modules of this package)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter, indexOf
from typing import TypeVar

from atelier import clock, voting
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model.phases import DEFAULT_MINUTES

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
_ID = attrgetter("id")


def _find(items: Sequence[T], item_id: object, what: str) -> T:
    """The record with this id, looked up without running Python code per record."""
    try:
        return items[indexOf(map(_ID, items), item_id)]
    except ValueError:
        raise AtelierError(_("Not found: {what} {id}.").format(what=_(what), id=item_id)) from None


def grades_for(session: Session) -> tuple[str, ...]:
    return session.vote.grades or voting.default_grades(session.lang)


def vote_options_for(session: Session, target: str) -> tuple[str, ...]:
    """Every idea, or every cluster holding ideas, as vote options."""
    if target == "ideas":
        return tuple(f"idea:{idea.id}" for idea in session.ideas)
    filled = {i.cluster_id for i in session.ideas}
    return tuple(f"cluster:{c.id}" for c in session.clusters if c.id in filled)
