"""The layout: a summary laid out once as a :class:`Report` of blocks (headings, fields,
lists, tables, charts) that the Markdown, HTML and ODT writers render block by block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atelier.i18n import format_number, plural, translator
from atelier.summary.parts import _signed
from atelier.summary.records import (
    CHART_LIMIT,
    OVERVIEW_LIMIT,
    OptionResult,
    RoundSummary,
    Summary,
    Translate,
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
