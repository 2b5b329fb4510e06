"""The frozen records of a summary, texts already translated and formatted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Translate = Callable[[str], str]

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # endonyms: data, not msgids
CHART_LIMIT = 20  # bars drawn per chart; the table always lists every option
OVERVIEW_LIMIT = 10  # options per round in the terminal overview
TIE_RANK_LIMIT = 3  # ties reported in notes only where they matter: near the top
LINK_MAX = 100  # characters of an idea quoted as an action's link

# --------------------------------------------------------------------------- the summary


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    question: str
    date: str  # formatted for the language: 25/11/2026 or 2026-11-25
    iso_date: str  # 2026-11-25, for file names and sorting ('' if unknown)
    facilitator: str
    template: str  # the template's name in the session's language, else its id
    language: str  # the language's own name: "Français"
    place: str = ""
    hours: str = ""  # "9:30 – 12:00", "from 9:30", '' when no time was given
    next_meeting: str = ""


@dataclass(frozen=True, slots=True)
class Participants:
    anonymous: bool
    names: tuple[str, ...]  # empty for an anonymous session
    count: int


@dataclass(frozen=True, slots=True)
class RuleLine:
    number: int
    title: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Rules:
    items: tuple[RuleLine, ...]
    adopted: bool
    adopted_at: str  # "14:05", '' when not adopted


@dataclass(frozen=True, slots=True)
class IdeaLine:
    id: int  # the number shown on screen, on the wall cards and in the report: #12
    text: str
    author: str  # every author, merged ideas' too ('' when anonymous or removed)
    merged: tuple[str, ...]  # texts folded into this idea
    cluster: str  # label of its cluster, or "Unclassified"
    rank: int | None  # final place over the votes (its own, or its cluster's); run-offs carried
    result: str  # the deciding vote, formatted ("7 dots", "Good"); '' without a vote
    tie: str = ""  # how a tie on its place was settled, translated; '' without a tie


@dataclass(frozen=True, slots=True)
class ClusterGroup:
    id: int | None  # None for the unclassified ideas
    label: str
    ideas: tuple[IdeaLine, ...]


@dataclass(frozen=True, slots=True)
class OptionResult:
    """One option of a round, in ranking order.

    ``counts`` and ``shares`` follow ``RoundSummary.grades``: BEST grade first (as the
    scale is shown), the missing grades already counted in the last, lowest one.
    """

    key: str  # "cluster:3" or "idea:12"
    label: str
    rank: int
    tied: bool
    dots: int | None  # dot vote
    grade: str  # majority grade (majority judgment), else ''
    gauge: str | None  # "+", "-" or "=": which side of the majority grade is larger
    counts: tuple[int, ...]
    shares: tuple[float, ...]
    missing: int  # grades nobody gave, counted as the lowest
    result: str  # formatted: "7 dots" or the majority grade


@dataclass(frozen=True, slots=True)
class RoundSummary:
    id: int
    title: str
    runoff: bool
    method: str  # "dot" or "mj"
    method_name: str
    mode: str  # "tally" or "ballot"
    mode_name: str
    target_name: str  # "clusters" / "ideas", translated
    parameters: tuple[tuple[str, str], ...]  # translated label (no colon) → value
    voters: int  # tally: declared voters; ballot: ballots cast
    ballots: int
    grades: tuple[str, ...]  # best first; () for a dot vote
    options: tuple[OptionResult, ...]  # best first
    closed: bool
    notes: tuple[str, ...]  # missing grades, ties at the top, still open
    final: tuple[FinalPlace, ...] = ()  # a vote's final ranking, run-offs carried; () for these
    source: str = ""  # title of the round a shortlist was taken from


@dataclass(frozen=True, slots=True)
class FinalPlace:
    """One option in a vote's final ranking: its place once run-offs are carried through.

    ``how`` says how a tie it was part of was settled: "" (no tie), "runoff", "kept" (the
    group left it tied) or "pending" (still tied, nothing decided yet); ``how_text`` says
    it in the report's language."""

    key: str
    label: str
    place: int
    tied: bool
    how: str
    how_text: str
    result: str  # this vote's result for it: "7 dots", "Good"


@dataclass(frozen=True, slots=True)
class ActionLine:
    number: int
    what: str
    owner: str
    due: str  # formatted, '' when none
    iso_due: str
    link: str  # label of the linked cluster or idea, ''
    key: str = ""  # the link's option key: "cluster:3", "idea:12", ''


@dataclass(frozen=True, slots=True)
class NoteLine:
    kind: str  # "parking", "note" or "quote"
    text: str
    phase: str  # the phase it was taken in, translated


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """One thing the group retains, with the actions linked to it."""

    number: int
    text: str
    key: str  # the option it retains ("cluster:3"), '' for free text
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True, slots=True)
class Decisions:
    """« Decisions / priorities retained »: by default the winners of the last vote."""

    items: tuple[DecisionLine, ...]
    default: bool  # True: not edited, the winners of ``vote`` (a vote's title, or '')
    vote: str


@dataclass(frozen=True, slots=True)
class PhaseLine:
    key: str
    label: str
    planned_seconds: int
    spent_seconds: int
    planned: str
    spent: str  # "—" for a phase whose timer never ran
    difference: str  # "+2:30" over, "-1:00" under, "0:00"; '' when never timed
    timed: bool


@dataclass(frozen=True, slots=True)
class Totals:
    participants: int
    ideas: int
    merged: int
    clusters: int
    voters: int  # of the main vote
    actions: int
    planned_seconds: int
    spent_seconds: int
    planned: str
    spent: str


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything a compte rendu says about one session, translated and formatted."""

    session_id: str
    lang: str
    created_at: str  # ISO, the session's creation: dates documents, never the export time
    header: Header
    participants: Participants
    rules: Rules
    clusters: tuple[ClusterGroup, ...]
    rounds: tuple[RoundSummary, ...]
    actions: tuple[ActionLine, ...]
    phases: tuple[PhaseLine, ...]
    totals: Totals
    closing: str
    vote_target: str  # "clusters" or "ideas": what IdeaLine.rank refers to
    decisions: Decisions = Decisions((), True, "")
    notes: tuple[NoteLine, ...] = ()
