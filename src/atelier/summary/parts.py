"""The parts of a summary, each built from the session: header fields, participants,
clusters, vote rounds, decisions, actions, phases and totals."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from atelier import clock, voting
from atelier.i18n import format_date, format_duration, plural, translator
from atelier.model import PHASE_LABELS, PHASES, Session, VoteRound
from atelier.summary.ranking import (
    RoundResult,
    default_decisions,
    final_ranking,
    overall_ranking,
    round_results,
    round_titles,
)
from atelier.summary.records import (
    LINK_MAX,
    TIE_RANK_LIMIT,
    ActionLine,
    ClusterGroup,
    DecisionLine,
    Decisions,
    FinalPlace,
    IdeaLine,
    OptionResult,
    Participants,
    PhaseLine,
    RoundSummary,
    Totals,
    Translate,
)

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
