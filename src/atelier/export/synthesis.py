"""One report across several workshops: e.g. five working groups on one theme.

Per workshop its question and top results, then every action consolidated (by due date,
with owners) and the totals. Built from each session's summary in the synthesis's
language, so dates and labels agree even when the sessions were run in different ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from atelier.i18n import format_duration, plural, translator
from atelier.model import Session
from atelier.summary import (
    Block,
    Fields,
    Heading,
    Report,
    Summary,
    Table,
    Text,
    Translate,
    build_summary,
    clean,
    labelled,
)

TOP_RANKS = 3  # "top results": every option ranked 1 to 3 (ties included)
TITLE_MAX = 200


def default_title(count: int, lang: str) -> str:
    _ = translator(lang)
    return plural(
        lang, count, _("Synthesis of {count} workshop"), _("Synthesis of {count} workshops")
    )


def synthesis_report(sessions: Sequence[Session], *, title: str | None, lang: str) -> Report:
    """The synthesis of ``sessions``, in the order given."""
    _ = translator(lang)
    summaries = [build_summary(session, lang=lang) for session in sessions]
    heading = clean(title or "").strip()[:TITLE_MAX] or default_title(len(summaries), lang)
    blocks: list[Block] = [Heading(1, heading), _overview(summaries, lang)]
    blocks.append(Heading(2, _("Workshops")))
    for summary in summaries:
        blocks += _workshop(summary, _)
    blocks += _actions(summaries, _)
    blocks += _totals(summaries, _)
    created = max((s.created_at for s in summaries), default="")
    return Report(lang, heading, tuple(blocks), created)


def _overview(summaries: Sequence[Summary], lang: str) -> Fields:
    _ = translator(lang)
    dates = sorted(s.header.iso_date for s in summaries if s.header.iso_date)
    shown = {s.header.iso_date: s.header.date for s in summaries}
    period = ""
    if dates:
        first, last = shown[dates[0]], shown[dates[-1]]
        period = first if first == last else _("{first} to {last}").format(first=first, last=last)
    pairs = (
        (_("Workshops"), str(len(summaries))),
        (_("Dates"), period),
        (_("Participants (added up)"), str(sum(s.totals.participants for s in summaries))),
        (_("Ideas"), str(sum(s.totals.ideas for s in summaries))),
        (_("Actions"), str(sum(s.totals.actions for s in summaries))),
        (_("Time spent"), format_duration(sum(s.totals.spent_seconds for s in summaries))),
    )
    return Fields(tuple(labelled(_, label, value) for label, value in pairs if value))


def _workshop(summary: Summary, _: Translate) -> list[Block]:
    header = summary.header
    pairs = (
        (_("Question"), header.question),
        (_("Date"), header.date),
        (_("Facilitated by"), header.facilitator),
        (_("Participants"), str(summary.totals.participants)),
        (_("Ideas"), str(summary.totals.ideas)),
    )
    blocks: list[Block] = [
        Heading(3, header.title),
        Fields(tuple(labelled(_, label, value) for label, value in pairs if value)),
    ]
    main = next((r for r in summary.rounds if not r.runoff), None)
    if main is None or not main.options:
        return [*blocks, Text(_("No vote took place."), "note")]
    top = [o for o in main.options if o.rank <= TOP_RANKS]
    rows = tuple(
        (_("{rank} (tie)").format(rank=o.rank) if o.tied else str(o.rank), o.label, o.result)
        for o in top
    )
    blocks.append(Table((_("Rank"), _("Top results"), _("Result")), rows, (True, False, False)))
    for runoff in (r for r in summary.rounds if r.runoff and r.options):
        first = runoff.options[0]
        blocks.append(
            Text(
                _("{round}: first “{option}” ({result}).").format(
                    round=runoff.title, option=first.label, result=first.result
                ),
                "note",
            )
        )
    return blocks


def _actions(summaries: Sequence[Summary], _: Translate) -> list[Block]:
    """Every action of every workshop, soonest due first, undated ones last."""
    blocks: list[Block] = [Heading(2, _("Consolidated action plan"))]
    lines = [
        (action.iso_due or "9999", index, action.number, action, summary.header.title)
        for index, summary in enumerate(summaries)
        for action in summary.actions
    ]
    if not lines:
        return [*blocks, Text(_("No action."), "note")]
    lines.sort(key=lambda line: line[:3])
    rows = tuple((a.what, a.owner, a.due, workshop) for *_key, a, workshop in lines)
    headers = (_("Action"), _("Responsible"), _("Due date"), _("Workshop"))
    return [*blocks, Table(headers, rows, (False, False, False, False))]


def _totals(summaries: Sequence[Summary], _: Translate) -> list[Block]:
    rows = tuple(
        (
            s.header.title,
            s.header.date,
            str(s.totals.participants),
            str(s.totals.ideas),
            str(s.totals.actions),
            s.totals.spent,
        )
        for s in summaries
    )
    footer = (
        _("Total"),
        "",
        str(sum(s.totals.participants for s in summaries)),
        str(sum(s.totals.ideas for s in summaries)),
        str(sum(s.totals.actions for s in summaries)),
        format_duration(sum(s.totals.spent_seconds for s in summaries)),
    )
    headers = (
        _("Workshop"),
        _("Date"),
        _("Participants"),
        _("Ideas"),
        _("Actions"),
        _("Time spent"),
    )
    numeric = (False, False, True, True, True, True)
    return [Heading(2, _("Totals")), Table(headers, rows, numeric, footer)]
