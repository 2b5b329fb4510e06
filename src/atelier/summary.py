"""The one summary of a session: what every export, ``atelier show`` and the summary screen read.

:func:`build_summary` turns a :class:`~atelier.model.Session` into frozen records whose texts
are already translated into the session's language and formatted (25/11/2026, 2,5, 18:30),
so no output format translates or counts anything itself. :func:`summary_report` lays the
summary out once as a :class:`Report` — headings, fields, lists, tables, charts — which the
Markdown, HTML and ODT writers render block by block; :func:`overview_text` renders a
shorter report as plain text for the terminal. :func:`round_results` counts one vote round
and is shared with the results screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from atelier import clock, voting
from atelier.i18n import format_date, format_duration, format_number, plural, translator
from atelier.model import PHASE_LABELS, PHASES, Session, VoteRound

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


# --------------------------------------------------------------------------- counting votes


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The counted result of one vote round.

    Per-option tuples follow ``options`` (the round's order); ``ranked`` is best first and
    its ``index`` points into ``options``. ``tallies`` count votes per grade WORST first,
    the missing grades already added to the lowest one.
    """

    options: tuple[str, ...]
    ranked: tuple[voting.RankedOption, ...]
    dots: tuple[int, ...]  # dot vote, else ()
    tallies: tuple[tuple[int, ...], ...]  # majority judgment, else ()
    missing: tuple[int, ...]  # grades counted as the lowest because nobody gave them
    voters: int
    ballots: int

    def tied_groups(self) -> tuple[tuple[str, ...], ...]:
        """Option keys sharing a rank, best ranks first: candidates for a run-off."""
        return tuple(
            tuple(self.options[i] for i in group) for group in voting.tied_groups(list(self.ranked))
        )


def round_results(session: Session, vote_round: VoteRound) -> RoundResult:
    """Count a round from its paper tallies or its secret ballots, then rank it.

    Paper tally: an option without a tally counts zero, and for majority judgment each
    option's lowest grade is padded up to the declared voters. Secret ballot: a missing
    mark is 0 dots or the lowest grade. Counting is linear in options × ballots; the
    ranking is voting.rank_dots / voting.rank_mj.
    """
    options = vote_round.options
    ballots = vote_round.ballots if vote_round.mode == "ballot" else ()
    if vote_round.method == "mj":
        tallies, missing = _mj_counts(vote_round, ballots)
        voters = len(ballots) if vote_round.mode == "ballot" else vote_round.voters
        ranked = voting.rank_mj([list(t) for t in tallies]) if options else []
        return RoundResult(options, tuple(ranked), (), tallies, missing, voters, len(ballots))
    if vote_round.mode == "ballot":
        rows = [[b.get(o, 0) for o in options] for b in ballots]
        dots = tuple(voting.dot_totals(rows, len(options)))
        voters = len(ballots)
    else:
        dots = tuple((vote_round.tallies.get(o) or (0,))[0] for o in options)
        voters = vote_round.voters
    ranked = voting.rank_dots(list(dots)) if options else []
    zeros = (0,) * len(options)
    return RoundResult(options, tuple(ranked), dots, (), zeros, voters, len(ballots))


def _mj_counts(
    vote_round: VoteRound, ballots: Sequence[dict[str, int]]
) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """Votes per grade (worst first) and missing grades per option, missing ones padded."""
    scale = len(vote_round.grades)
    options = vote_round.options
    if vote_round.mode == "ballot":
        rows: list[list[int | None]] = [[b.get(o) for o in options] for b in ballots]
        counted = voting.mj_tallies(rows, scale) if rows else [[0] * scale for _o in options]
        missing = tuple(sum(1 for row in rows if row[i] is None) for i in range(len(options)))
        return tuple(tuple(t) for t in counted), missing
    tallies: list[tuple[int, ...]] = []
    gaps: list[int] = []
    for option in options:
        counts = list(vote_round.tallies.get(option, (0,) * scale))
        gap = max(0, vote_round.voters - sum(counts))
        if counts:
            counts[0] += gap
        tallies.append(tuple(counts))
        gaps.append(gap)
    return tuple(tallies), tuple(gaps)


def final_ranking(
    session: Session, vote_round: VoteRound
) -> tuple[tuple[str, int, bool, str], ...]:
    """A vote's final ranking: (option, place, tied, how), best first.

    Options tied in ``vote_round`` are ordered by the last closed run-off held among
    exactly them (itself carried through its own run-offs), and then hold places
    ``rank``, ``rank + 1``…; a tie the group chose to leave stays shared ("kept"); any
    other tie is "pending". Places follow the sports convention (1, 1, 3)."""
    result = round_results(session, vote_round)
    runoffs = {
        frozenset(r.options): r
        for r in sorted(session.rounds, key=lambda r: r.id)
        if r.parent_id == vote_round.id and r.closed_at
    }
    groups: dict[int, list[str]] = {}
    for ranked in result.ranked:
        groups.setdefault(ranked.rank, []).append(result.options[ranked.index])
    places: list[tuple[str, int, bool, str]] = []
    for rank, keys in groups.items():
        if len(keys) == 1:
            places.append((keys[0], rank, False, ""))
            continue
        runoff = runoffs.get(frozenset(keys))
        if runoff is not None:
            for key, place, tied, how in final_ranking(session, runoff):
                places.append((key, rank + place - 1, tied, how if tied else "runoff"))
        elif set(keys) <= set(vote_round.kept_ties):
            places += [(key, rank, True, "kept") for key in keys]
        else:
            places += [(key, rank, True, "pending") for key in keys]
    return tuple(places)


def overall_ranking(session: Session) -> dict[str, tuple[int, str]]:
    """Option → (place, how) over every vote: the last vote's final ranking first, then
    what earlier votes ranked that it did not cover (a shortlist's left-overs), after."""
    out: dict[str, tuple[int, str]] = {}
    for vote_round in reversed(session.votes):
        rest = [p for p in final_ranking(session, vote_round) if p[0] not in out]
        offset = len(out)
        for key, place, _tied, how in rest:
            better = sum(1 for other in rest if other[1] < place)
            out[key] = (offset + better + 1, how)
    return out


def last_vote(session: Session) -> VoteRound | None:
    """The vote that decides: the latest closed top-level round, else the latest one."""
    votes = session.votes
    closed = [r for r in votes if r.closed_at]
    return (closed or list(votes))[-1] if votes else None


def shortlist(session: Session, round_id: int, count: int) -> tuple[str, ...]:
    """The options of a vote's final ranking placed in the first ``count`` places: an
    option tied at the last place kept is kept too (a shortlist never splits a tie)."""
    vote_round = session.round(round_id)
    return tuple(key for key, place, _t, _h in final_ranking(session, vote_round) if place <= count)


def round_titles(session: Session, _: Translate) -> dict[int, str]:
    """« Main vote » when there is one vote, else « Vote 1 », « Vote 2 »…; run-offs are
    « Run-off 1 »… in the order they were started."""
    titles: dict[int, str] = {}
    votes = runoffs = 0
    alone = len(session.votes) == 1
    for vote_round in sorted(session.rounds, key=lambda r: r.id):
        if vote_round.parent_id is None:
            votes += 1
            titles[vote_round.id] = (
                _("Main vote") if alone else _("Vote {number}").format(number=votes)
            )
        else:
            runoffs += 1
            titles[vote_round.id] = _("Run-off {number}").format(number=runoffs)
    return titles


def default_decisions(session: Session) -> tuple[str, ...]:
    """The winners of the last vote (first place once run-offs are carried through)."""
    vote_round = last_vote(session)
    if vote_round is None:
        return ()
    return tuple(key for key, place, _t, _h in final_ranking(session, vote_round) if place == 1)


# --------------------------------------------------------------------------- building it

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object) -> str:
    """Text from the room, safe for every output: no control characters (an ANSI escape
    must not reach a terminal, XML refuses them), no lone surrogates; line breaks kept.
    A hand-edited file may hold a number where text belongs: it is shown as text."""
    text = text if isinstance(text, str) else "" if text is None else str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date(value: str, lang: str) -> tuple[str, str]:
    """(formatted, iso) for a stored date; damaged values are shown as they are."""
    try:
        day = date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return clean(str(value or "")), ""
    return format_date(day, lang), day.isoformat()


def _time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return clock.parse(stamp).strftime("%H:%M")
    except ValueError:
        return ""


def _signed(seconds: int) -> str:
    return ("+" if seconds > 0 else "") + format_duration(seconds)


def _template_name(template_id: str, lang: str) -> str:
    if not template_id:
        return ""
    from atelier.templates import builtin_templates

    for template in builtin_templates():
        if template.id == template_id:
            return clean(template.title(lang))
    return clean(template_id)


def _labels(session: Session) -> dict[str, str]:
    """Every vote option / link key → its label, in one pass (option_label scans)."""
    labels = {f"cluster:{c.id}": clean(c.label) for c in session.clusters}
    labels.update({f"idea:{i.id}": clean(i.text) for i in session.ideas})
    return labels


def _hours(session: Session, _: Translate) -> str:
    start, end = clean(session.start_time), clean(session.end_time)
    if start and end:
        return _("{start} – {end}").format(start=start, end=end)
    if start:
        return _("from {time}").format(time=start)
    return _("until {time}").format(time=end) if end else ""


def build_summary(session: Session, *, lang: str | None = None, anonymous: bool = False) -> Summary:
    """The summary of a session in its language (or ``lang``, for a synthesis);
    ``anonymous``: of :func:`anonymized` (session), with no participant name anywhere."""
    if anonymous:
        session = anonymized(session)
    lang = lang or session.lang
    _ = translator(lang)
    labels = _labels(session)
    rounds = _rounds(session, labels, lang)
    deciding = last_vote(session)
    main = next((r for r in rounds if deciding and r.id == deciding.id), None)
    target = "clusters"
    if main and main.options and main.options[0].key.startswith("idea:"):
        target = "ideas"
    shown, iso = _date(session.date, lang)
    header = Header(
        title=clean(session.title),
        question=clean(session.question),
        date=shown,
        iso_date=iso,
        facilitator=clean(session.facilitator),
        template=_template_name(session.template, lang),
        language=LANGUAGE_NAMES.get(session.lang, session.lang),
        place=clean(session.place),
        hours=_hours(session, _),
        next_meeting=clean(session.next_meeting),
    )
    phases = _phases(session, _)
    clusters = _clusters(session, main, target, _)
    actions = _actions(session, labels, lang)
    return Summary(
        session_id=session.id,
        lang=lang,
        created_at=session.created_at,
        header=header,
        participants=_participants(session),
        rules=Rules(
            tuple(RuleLine(r.order, clean(r.title), clean(r.explanation)) for r in session.rules),
            session.rules_adopted_at is not None,
            _time(session.rules_adopted_at),
        ),
        clusters=clusters,
        rounds=rounds,
        actions=actions,
        phases=phases,
        totals=_totals(session, main, phases),
        closing=clean(session.closing_message),
        vote_target=target,
        decisions=_decisions(session, labels, actions, main),
        notes=tuple(
            NoteLine(
                n.kind, clean(n.text), _(PHASE_LABELS[n.phase]) if n.phase in PHASE_LABELS else ""
            )
            for n in session.notes
        ),
    )


ANONYMOUS_MARK = "[…]"


def anonymized(session: Session) -> Session:
    """The session as an anonymous report shows it: « ce qui se dit ici reste ici ».

    No participant list (only their count), no author, no action owner, no voter; a
    participant's name (or a part of it, 3 letters or more) written in any text is replaced
    by « […] », so the anonymous Markdown, HTML, ODT, CSV and JSON name nobody."""
    names = {clean(p.name).strip() for p in session.participants}
    names |= {part for name in names for part in re.split(r"[\s\-']+", name) if len(part) >= 3}
    names.discard("")
    pattern = None
    if names:
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def hide(text: str) -> str:
        return pattern.sub(ANONYMOUS_MARK, text) if pattern and text else text

    return replace(
        session,
        anonymous=True,
        participant_count=session.voter_count,
        participants=(),
        title=hide(session.title),
        question=hide(session.question),
        facilitator=hide(session.facilitator),
        place=hide(session.place),
        next_meeting=hide(session.next_meeting),
        closing_message=hide(session.closing_message),
        ideas=tuple(
            replace(
                i,
                text=hide(i.text),
                author_id=None,
                coauthors=(),
                merged=tuple(hide(t) for t in i.merged),
            )
            for i in session.ideas
        ),
        clusters=tuple(replace(c, label=hide(c.label)) for c in session.clusters),
        rounds=tuple(replace(r, voted=()) for r in session.rounds),
        actions=tuple(replace(a, what=hide(a.what), owner="") for a in session.actions),
        decisions=tuple(replace(d, text=hide(d.text)) for d in session.decisions),
        notes=tuple(replace(n, text=hide(n.text)) for n in session.notes),
        rules=tuple(
            replace(r, title=hide(r.title), explanation=hide(r.explanation)) for r in session.rules
        ),
    )


def _decisions(
    session: Session,
    labels: dict[str, str],
    actions: tuple[ActionLine, ...],
    main: RoundSummary | None,
) -> Decisions:
    """What the group retains (edited, else the winners), each with its linked actions."""
    if session.decisions_set:
        items = [(d.link or "", d.text) for d in session.decisions]
    else:
        items = [
            (key, labels.get(key) or session.option_label(key))
            for key in default_decisions(session)
        ]
    linked: dict[str, list[ActionLine]] = {}
    for action, line in zip(session.actions, actions, strict=True):
        if action.link:
            linked.setdefault(action.link, []).append(line)
    lines = tuple(
        DecisionLine(
            number=number,
            text=clean(labels.get(key, "") or text) if key else clean(text),
            key=key,
            actions=tuple(linked.get(key, ())) if key else (),
        )
        for number, (key, text) in enumerate(items, start=1)
    )
    default = not session.decisions_set
    return Decisions(lines, default, main.title if default and main else "")


def _participants(session: Session) -> Participants:
    if session.anonymous:
        return Participants(True, (), session.participant_count)
    names = tuple(clean(p.name) for p in session.participants)
    return Participants(False, names, len(names))


def _clusters(
    session: Session, main: RoundSummary | None, target: str, _: Translate
) -> tuple[ClusterGroup, ...]:
    """Clusters in their order, then the unclassified ideas; ideas in session order."""
    authors = {p.id: clean(p.name) for p in session.participants}
    results = {o.key: o for o in main.options} if main else {}
    places = overall_ranking(session)
    unclassified = _("Unclassified")
    names = {c.id: clean(c.label) for c in session.clusters}
    grouped: dict[int | None, list[IdeaLine]] = {c.id: [] for c in session.clusters}
    for idea in session.ideas:
        home = idea.cluster_id if idea.cluster_id in names else None
        key = f"idea:{idea.id}" if target == "ideas" else f"cluster:{home}"
        option = results.get(key)
        place = places.get(key)
        grouped.setdefault(home, []).append(
            IdeaLine(
                id=idea.id,
                text=clean(idea.text),
                author=", ".join(authors[a] for a in idea.authors if a in authors),
                merged=tuple(clean(t) for t in idea.merged),
                cluster=names.get(home, unclassified) if home is not None else unclassified,
                rank=place[0] if place else None,
                result=option.result if option else "",
                tie=_how_text(place[1], _) if place else "",
            )
        )
    groups = [
        ClusterGroup(c.id, names[c.id], tuple(grouped[c.id]))
        for c in sorted(session.clusters, key=lambda c: (c.order, c.id))
    ]
    if grouped.get(None):
        groups.append(ClusterGroup(None, unclassified, tuple(grouped[None])))
    return tuple(groups)


def _rounds(session: Session, labels: dict[str, str], lang: str) -> tuple[RoundSummary, ...]:
    _ = translator(lang)
    titles = round_titles(session, _)
    summaries: list[RoundSummary] = []
    for vote_round in session.rounds:
        summary = _round(session, vote_round, titles[vote_round.id], labels, lang)
        if vote_round.parent_id is None:
            results = {o.key: o.result for o in summary.options}
            final = tuple(
                FinalPlace(
                    key,
                    _option_label(key, vote_round, labels, _),
                    place,
                    tied,
                    how,
                    _how_text(how, _),
                    results.get(key, ""),
                )
                for key, place, tied, how in final_ranking(session, vote_round)
            )
            source = titles.get(vote_round.source_id or 0, "")
            summary = replace(summary, final=final, source=source)
        summaries.append(summary)
    return tuple(summaries)


def _option_label(key: str, vote_round: VoteRound, labels: dict[str, str], _: Translate) -> str:
    """An option's label now, else the one its round kept, else « (removed option) »."""
    return labels.get(key) or clean(vote_round.labels.get(key, "")) or _("(removed option)")


def _how_text(how: str, _: Translate) -> str:
    return {
        "runoff": _("tie broken by a run-off"),
        "kept": _("left tied by the group"),
        "pending": _("tie not settled"),
    }.get(how, "")


def _round(
    session: Session, vote_round: VoteRound, title: str, labels: dict[str, str], lang: str
) -> RoundSummary:
    _ = translator(lang)
    result = round_results(session, vote_round)
    mj = vote_round.method == "mj"
    grades = tuple(clean(g) for g in vote_round.grades) if mj else ()
    named = {k: _option_label(k, vote_round, labels, _) for k in vote_round.options}
    options = tuple(_option(result, ranked, grades, named, lang) for ranked in result.ranked)
    targets_ideas = bool(vote_round.options) and vote_round.options[0].startswith("idea:")
    parameters: tuple[tuple[str, str], ...]
    if mj:
        parameters = ((_("Grades, best first"), ", ".join(grades)),)
    else:
        parameters = (
            (_("Dots per voter"), str(vote_round.dots_per_voter)),
            (_("At most per option"), str(vote_round.max_per_option)),
        )
    return RoundSummary(
        id=vote_round.id,
        title=title,
        runoff=vote_round.parent_id is not None,
        method=vote_round.method,
        method_name=_("Majority judgment") if mj else _("Dot voting"),
        mode=vote_round.mode,
        mode_name=_("Secret ballot") if vote_round.mode == "ballot" else _("Paper tally"),
        target_name=_("ideas") if targets_ideas else _("clusters"),
        parameters=parameters,
        voters=result.voters,
        ballots=result.ballots,
        grades=grades,
        options=options,
        closed=vote_round.closed_at is not None,
        notes=_round_notes(vote_round, options, grades, lang),
    )


def _option(
    result: RoundResult,
    ranked: voting.RankedOption,
    grades: tuple[str, ...],
    labels: dict[str, str],
    lang: str,
) -> OptionResult:
    _ = translator(lang)
    key = result.options[ranked.index]
    label = labels.get(key) or _("(removed option)")
    if not grades:
        dots = ranked.score or 0
        text = plural(lang, dots, _("{count} dot"), _("{count} dots"))
        return OptionResult(key, label, ranked.rank, ranked.tied, dots, "", None, (), (), 0, text)
    tally = list(result.tallies[ranked.index])
    grade = ""
    if ranked.majority_grade is not None:
        grade = grades[len(grades) - 1 - ranked.majority_grade]
    return OptionResult(
        key=key,
        label=label,
        rank=ranked.rank,
        tied=ranked.tied,
        dots=None,
        grade=grade,
        gauge=ranked.gauge,
        counts=tuple(reversed(tally)),
        shares=tuple(reversed(voting.merit_profile(tally))),
        missing=result.missing[ranked.index],
        result=grade,
    )


def _round_notes(
    vote_round: VoteRound, options: tuple[OptionResult, ...], grades: tuple[str, ...], lang: str
) -> tuple[str, ...]:
    _ = translator(lang)
    notes: list[str] = []
    missing = sum(o.missing for o in options)
    if grades and missing:
        text = plural(
            lang,
            missing,
            _("{count} missing grade was counted as the lowest grade, “{grade}”."),
            _("{count} missing grades were counted as the lowest grade, “{grade}”."),
            grade=grades[-1],
        )
        notes.append(text)
    ties: dict[int, list[str]] = {}
    for option in options:
        if option.tied and option.rank <= TIE_RANK_LIMIT:
            ties.setdefault(option.rank, []).append(option.label)
    for rank, names in ties.items():
        shown = ", ".join(shorten(n, 60) for n in names[:5]) + (", …" if len(names) > 5 else "")
        notes.append(_("Tie at rank {rank}: {options}.").format(rank=rank, options=shown))
    if vote_round.closed_at is None:
        notes.append(_("The vote is still open: the result is provisional."))
    return tuple(notes)


def _actions(session: Session, labels: dict[str, str], lang: str) -> tuple[ActionLine, ...]:
    """Actions by due date (those without one last), numbered in that order."""
    dated = []
    for action in session.actions:
        due, iso = _date(action.due, lang) if action.due else ("", "")
        dated.append((iso or "9999", action.id, action, due, iso))
    lines = []
    for number, (_sort, _id, action, due, iso) in enumerate(sorted(dated), start=1):
        key = action.link or ""
        link = shorten(labels.get(key, ""), LINK_MAX)
        what, owner = clean(action.what), clean(action.owner)
        lines.append(ActionLine(number, what, owner, due, iso, link, key if link else ""))
    return tuple(lines)


def _phases(session: Session, _: Translate) -> tuple[PhaseLine, ...]:
    lines = []
    for key in PHASES:
        timing = session.timing(key)
        planned = timing.planned_minutes * 60
        spent = int(timing.spent())
        timed = timing.started_at is not None or spent > 0
        lines.append(
            PhaseLine(
                key=key,
                label=_(PHASE_LABELS[key]),
                planned_seconds=planned,
                spent_seconds=spent,
                planned=format_duration(planned),
                spent=format_duration(spent) if timed else "—",
                difference=_signed(spent - planned) if timed else "",
                timed=timed,
            )
        )
    return tuple(lines)


def _totals(session: Session, main: RoundSummary | None, phases: tuple[PhaseLine, ...]) -> Totals:
    planned = sum(p.planned_seconds for p in phases)
    spent = sum(p.spent_seconds for p in phases)
    return Totals(
        participants=session.voter_count,
        ideas=len(session.ideas),
        merged=sum(len(i.merged) for i in session.ideas),
        clusters=len(session.clusters),
        voters=main.voters if main else 0,
        actions=len(session.actions),
        planned_seconds=planned,
        spent_seconds=spent,
        planned=format_duration(planned),
        spent=format_duration(spent),
    )


# --------------------------------------------------------------------------- the layout


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 title, 2 section, 3 subsection
    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    """Label → value lines; labels carry their colon, typeset for the language."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    detail: str = ""  # shown after the text, less prominent (author, explanation)
    sub: tuple[str, ...] = ()  # a nested list (merged ideas)
    mark: str = ""  # shown before the text, stronger: an idea's number "#12"


@dataclass(frozen=True, slots=True)
class Items:
    items: tuple[Item, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    footer: tuple[str, ...] = ()  # a total line
    main: int | None = None  # the column a list shows first when the table is too wide


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: str = "plain"  # "plain", "note" (italic, smaller) or "quote"


@dataclass(frozen=True, slots=True)
class ChartBar:
    label: str
    value: int  # dots
    shares: tuple[float, ...]  # merit profile, best grade first
    grade: str  # majority grade


@dataclass(frozen=True, slots=True)
class Chart:
    """A vote chart: bars of dots, or stacked merit profiles with the median marked.
    Only formats that can draw (HTML) render it; the table beside it has every number."""

    kind: str  # "dots" or "merit"
    title: str
    bars: tuple[ChartBar, ...]
    grades: tuple[str, ...]  # best first
    median_label: str
    more: str  # '' or a note that only the first bars are drawn


Block = Heading | Fields | Items | Table | Text | Chart


@dataclass(frozen=True, slots=True)
class Report:
    """A document as format-neutral blocks: plain texts, never markup."""

    lang: str
    title: str
    blocks: tuple[Block, ...]
    created_at: str = ""  # ISO; dates the document (ODT metadata), never the export time


def labelled(_: Translate, label: str, value: str) -> tuple[str, str]:
    """A label with its colon: « Question : » in French (no-break space), "Question:"."""
    return _("{label}:").format(label=label), value


def summary_report(summary: Summary) -> Report:
    """The full compte rendu, in the order a reader expects it: who, when and where, then
    what the group decided, then how it got there."""
    _ = translator(summary.lang)
    blocks: list[Block] = [Heading(1, summary.header.title), _report_header(summary, _)]
    blocks += _decisions_section(summary, _)
    blocks += [Heading(2, _("In brief")), _totals_fields(summary, _)]
    blocks += _rules_section(summary, _)
    blocks += _ideas_section(summary, _)
    blocks += _vote_section(summary, _, limit=None)
    blocks += _actions_section(summary, _)
    blocks += _notes_section(summary, _)
    blocks += _phases_section(summary, _)
    if summary.closing:
        blocks.append(Text(summary.closing, "quote"))
    return Report(summary.lang, summary.header.title, tuple(blocks), summary.created_at)


def overview_report(summary: Summary) -> Report:
    """A shorter report for the terminal: clusters counted, top results, no charts."""
    _ = translator(summary.lang)
    blocks: list[Block] = [Heading(1, summary.header.title), _report_header(summary, _)]
    blocks += _decisions_section(summary, _)
    blocks += [_totals_fields(summary, _)]
    if summary.clusters:
        rows = tuple((g.label, str(len(g.ideas))) for g in summary.clusters)
        blocks += [Heading(2, _("Ideas")), Table((_("Cluster"), _("Ideas")), rows, (False, True))]
    blocks += _vote_section(summary, _, limit=OVERVIEW_LIMIT)
    blocks += _actions_section(summary, _)
    blocks += _phases_section(summary, _)
    return Report(summary.lang, summary.header.title, tuple(blocks), "")


def _report_header(summary: Summary, _: Translate) -> Fields:
    """Question, date, hours, place, facilitator, participants, follow-up: the lines a
    compte rendu opens with, empty ones left out. The template is named only when the
    title does not already say it; the language never (the reader is reading it)."""
    header, people = summary.header, summary.participants
    template = header.template
    if template.casefold() in header.title.casefold():
        template = ""
    if people.names:
        who = ", ".join(people.names)
    else:
        who = str(people.count) if people.count else ""
    pairs = (
        (_("Question"), header.question),
        (_("Date"), header.date),
        (_("Hours"), header.hours),
        (_("Place"), header.place),
        (_("Facilitated by"), header.facilitator),
        (_("Participants"), who),
        (_("Next meeting"), header.next_meeting),
        (_("Template"), template),
    )
    return Fields(tuple(labelled(_, label, value) for label, value in pairs if value))


def _decisions_section(summary: Summary, _: Translate) -> list[Block]:
    """« Decisions / priorities retained », each with the actions linked to it."""
    decisions = summary.decisions
    if not decisions.items and not summary.rounds:
        return []
    blocks: list[Block] = [Heading(2, _("Decisions / priorities retained"))]
    if not decisions.items:
        return [*blocks, Text(_("No decision recorded."), "note")]
    if decisions.default and decisions.vote:
        blocks.append(Text(_("The winners of “{vote}”.").format(vote=decisions.vote), "note"))
    items = []
    for line in decisions.items:
        actions = tuple(
            _("Action {number}: {what}").format(number=a.number, what=a.what)
            + "".join(f" — {part}" for part in (a.owner, a.due) if part)
            for a in line.actions
        )
        items.append(Item(line.text, sub=actions))
    return [*blocks, Items(tuple(items), ordered=True)]


def _notes_section(summary: Summary, _: Translate) -> list[Block]:
    blocks: list[Block] = []
    parked = tuple(Item(n.text) for n in summary.notes if n.kind == "parking")
    if parked:
        blocks += [Heading(2, _("Parking: points raised off-topic")), Items(parked)]
    notes = [n for n in summary.notes if n.kind != "parking"]
    if notes:
        blocks.append(Heading(2, _("Notes and quotes")))
        free = tuple(Item(n.text) for n in notes if n.kind == "note")
        if free:
            blocks.append(Items(free))
        blocks += [Text(n.text, "quote") for n in notes if n.kind == "quote"]
    return blocks


def _totals_fields(summary: Summary, _: Translate) -> Fields:
    totals = summary.totals
    ideas = str(totals.ideas)
    if totals.merged:
        merged = plural(
            summary.lang, totals.merged, _("{count} merged idea"), _("{count} merged ideas")
        )
        ideas = f"{ideas} ({merged})"
    time = _("{spent} spent, {planned} planned").format(spent=totals.spent, planned=totals.planned)
    timed = any(p.timed for p in summary.phases)
    pairs = (
        (_("Participants"), str(totals.participants)),
        (_("Ideas"), ideas),
        (_("Clusters"), str(totals.clusters)),
        (_("Voters"), str(totals.voters)),
        (_("Actions"), str(totals.actions)),
        (_("Time"), time if timed else ""),
    )
    return Fields(tuple(labelled(_, label, value) for label, value in pairs if value))


def _rules_section(summary: Summary, _: Translate) -> list[Block]:
    rules = summary.rules
    if not rules.items:
        return []
    if rules.adopted:
        state = _("Adopted by the group at {time}.").format(time=rules.adopted_at)
    else:
        state = _("Not adopted.")
    items = tuple(Item(r.title, r.explanation) for r in rules.items)
    return [Heading(2, _("Rules")), Text(state, "note"), Items(items, ordered=True)]


def _ideas_section(summary: Summary, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(2, _("Ideas by cluster"))]
    if not summary.clusters:
        return [*blocks, Text(_("No idea."), "note")]
    by_cluster = summary.vote_target == "clusters"
    for group in summary.clusters:
        blocks.append(Heading(3, f"{group.label} ({len(group.ideas)})"))
        if not group.ideas:
            blocks.append(Text(_("No idea."), "note"))
            continue
        first = group.ideas[0]
        if by_cluster and group.id is not None and first.result:
            blocks.append(Text(_vote_result(first.rank, first.result, _), "note"))
        items = tuple(
            Item(
                idea.text,
                " · ".join(
                    part
                    for part in (
                        idea.author,
                        "" if by_cluster else _vote_result(idea.rank, idea.result, _),
                    )
                    if part
                ),
                tuple(_("merged: {text}").format(text=text) for text in idea.merged),
                mark=f"#{idea.id}",
            )
            for idea in group.ideas
        )
        blocks.append(Items(items))
    return blocks


def _vote_result(rank: int | None, result: str, _: Translate) -> str:
    """« Vote : rang 1, 14 gommettes »; '' for what was not voted on."""
    if rank is None or not result:
        return ""
    return _("Vote: rank {rank}, {result}").format(rank=rank, result=result)


def _vote_section(summary: Summary, _: Translate, *, limit: int | None) -> list[Block]:
    blocks: list[Block] = [Heading(2, _("Vote"))]
    if not summary.rounds:
        return [*blocks, Text(_("No vote took place."), "note")]
    for vote_round in summary.rounds:
        blocks.append(Heading(3, vote_round.title))
        blocks.append(_round_fields(vote_round, _))
        if limit is None and vote_round.options:
            blocks.append(_chart(vote_round, _))
        options = vote_round.options if limit is None else vote_round.options[:limit]
        blocks.append(_result_table(vote_round, options, _))
        if len(options) < len(vote_round.options):
            more = len(vote_round.options) - len(options)
            blocks.append(Text(_("… and {count} more options.").format(count=more), "note"))
        blocks += [Text(note, "note") for note in vote_round.notes]
        if any(place.how for place in vote_round.final):
            blocks.append(_final_table(vote_round, _))
    return blocks


def _final_table(vote_round: RoundSummary, _: Translate) -> Table:
    """The final ranking once ties are settled, with how each was."""
    rows = tuple(
        (_("{rank} (tie)").format(rank=p.place) if p.tied else str(p.place), p.label, p.how_text)
        for p in vote_round.final
    )
    headers = (_("Final place"), _("Option"), _("Tie"))
    return Table(headers, rows, (True, False, False), main=1)


def _round_fields(vote_round: RoundSummary, _: Translate) -> Fields:
    who = _("Ballots") if vote_round.mode == "ballot" else _("Voters")
    pairs = (
        (_("Method"), vote_round.method_name),
        (_("Options"), vote_round.target_name),
        (_("Mode"), vote_round.mode_name),
        (who, str(vote_round.voters)),
        *vote_round.parameters,
        (_("Shortlisted from"), vote_round.source),
    )
    return Fields(tuple(labelled(_, label, value) for label, value in pairs if value))


def _rank(option: OptionResult, _: Translate) -> str:
    return _("{rank} (tie)").format(rank=option.rank) if option.tied else str(option.rank)


def _result_table(
    vote_round: RoundSummary, options: Sequence[OptionResult], _: Translate
) -> Table | Text:
    if not options:
        return Text(_("No option."), "note")
    if vote_round.method != "mj":
        rows: tuple[tuple[str, ...], ...] = tuple(
            (_rank(o, _), o.label, str(o.dots or 0)) for o in options
        )
        return Table((_("Rank"), _("Option"), _("Dots")), rows, (True, False, True))
    headers = (_("Rank"), _("Option"), _("Majority grade"), *vote_round.grades)
    rows = tuple(
        (_rank(o, _), o.label, o.grade, *(str(count) for count in o.counts)) for o in options
    )
    numeric = (True, False, False, *(True for _g in vote_round.grades))
    return Table(headers, rows, numeric)


def _chart(vote_round: RoundSummary, _: Translate) -> Chart:
    shown = vote_round.options[:CHART_LIMIT]
    more = ""
    if len(shown) < len(vote_round.options):
        more = _("The chart shows the first {count} options; the table lists them all.").format(
            count=len(shown)
        )
    bars = tuple(ChartBar(o.label, o.dots or 0, o.shares, o.grade) for o in shown)
    if vote_round.method == "mj":
        title = _("Merit profiles: {title}").format(title=vote_round.title)
        kind = "merit"
    else:
        title = _("Dots per option: {title}").format(title=vote_round.title)
        kind = "dots"
    return Chart(kind, title, bars, vote_round.grades, _("median"), more)


def _actions_section(summary: Summary, _: Translate) -> list[Block]:
    blocks: list[Block] = [Heading(2, _("Action plan"))]
    if not summary.actions:
        return [*blocks, Text(_("No action."), "note")]
    rows = tuple((str(a.number), a.what, a.owner, a.due, a.link) for a in summary.actions)
    headers = (_("No."), _("Action"), _("Responsible"), _("Due date"), _("Linked to"))
    return [*blocks, Table(headers, rows, (True, False, False, False, False))]


def _phases_section(summary: Summary, _: Translate) -> list[Block]:
    """The timing table, only for a session whose phases were timed."""
    timed = [p for p in summary.phases if p.timed]
    if not timed:
        return []
    rows = tuple((p.label, p.planned, p.spent, p.difference) for p in summary.phases)
    totals = summary.totals
    over = sum(p.spent_seconds - p.planned_seconds for p in timed)
    footer = (_("Total"), totals.planned, totals.spent, _signed(over) if timed else "")
    headers = (_("Phase"), _("Planned"), _("Actual"), _("Difference"))
    return [
        Heading(2, _("Time per phase")),
        Table(headers, rows, (False, True, True, True), footer),
    ]


def percent(share: float, lang: str) -> str:
    """45 % in French (no-break space), 45% in English."""
    _ = translator(lang)
    return _("{value}%").format(value=format_number(round(share * 100), lang))


# --------------------------------------------------------------------------- plain text

TEXT_CELL_MAX = 48


def _width(text: str) -> int:
    """Terminal columns: East Asian wide characters and most emoji take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


TEXT_CELL_MIN = 12  # a text column is never cut below this (dates and numbers never are)


def _text_table(table: Table, width: int | None = None) -> list[str]:
    """Aligned columns; with ``width``, the widest text columns are cut (…) until the table
    fits, so that a table never wraps into unreadable lines on a narrow screen."""
    rows = [table.headers, *table.rows, *((table.footer,) if table.footer else ())]
    rows = [tuple(_fit(cell, TEXT_CELL_MAX) for cell in row) for row in rows]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(table.headers))]
    if width is not None:
        over = sum(widths) + 2 * (len(widths) - 1) - width
        text_columns = [i for i, numeric in enumerate(table.numeric) if not numeric]
        while over > 0:
            widest = max(text_columns, key=lambda i: widths[i], default=None)
            if widest is None or widths[widest] <= TEXT_CELL_MIN:
                break
            widths[widest] -= 1
            over -= 1
        rows = [tuple(_fit(cell, widths[i]) for i, cell in enumerate(row)) for row in rows]

    def line(row: tuple[str, ...]) -> str:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if table.numeric[i] else cell + pad)
        return "  ".join(cells).rstrip()

    lines = [line(rows[0]), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in rows[1:]]
    return lines


def _text_block(block: Block, width: int | None = None) -> list[str]:
    if isinstance(block, Heading):
        rule = {1: "=", 2: "-"}.get(block.level, "")
        return [block.text, rule * min(_width(block.text), 72)] if rule else [block.text]
    if isinstance(block, Fields):
        return [f"{label} {value}".replace("\n", " ") for label, value in block.items]
    if isinstance(block, Items):
        lines = []
        for number, item in enumerate(block.items, start=1):
            mark = f"{number}." if block.ordered else "•"
            detail = f" — {item.detail}" if item.detail else ""
            text = f"{item.mark} {item.text}" if item.mark else item.text
            lines.append(f"  {mark} {text}{detail}".replace("\n", " "))
            lines += [f"      ◦ {sub}" for sub in item.sub]
        return lines
    if isinstance(block, Table):
        return _text_table(block, width)
    if isinstance(block, Text):
        return [block.text]
    return []


def plain_text(report: Report, width: int | None = None) -> str:
    """A report as terminal text: underlined headings, aligned tables (at most ``width``
    columns wide when given), no markup."""
    blocks = (_text_block(block, width) for block in report.blocks)
    parts = ["\n".join(lines) for lines in blocks if lines]
    return "\n\n".join(parts) + "\n"


def overview_text(session: Session, width: int | None = None) -> str:
    """Plain-text overview for ``atelier show`` and the summary screen: readable in a
    terminal, control-free; tables fit in ``width`` columns when given."""
    return plain_text(overview_report(build_summary(session)), width)


__all__ = [
    "Block",
    "Chart",
    "ChartBar",
    "Fields",
    "Heading",
    "Item",
    "Items",
    "Report",
    "DecisionLine",
    "Decisions",
    "FinalPlace",
    "RoundResult",
    "Summary",
    "Table",
    "Text",
    "build_summary",
    "default_decisions",
    "final_ranking",
    "last_vote",
    "overall_ranking",
    "round_titles",
    "shortlist",
    "overview_report",
    "overview_text",
    "plain_text",
    "round_results",
    "summary_report",
]
