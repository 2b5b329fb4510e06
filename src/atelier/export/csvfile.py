"""CSV of the ideas and the actions, for a spreadsheet: two tables, one empty line between.

UTF-8, optionally with a BOM so that Excel reads the accents; ``;`` between fields in
French (what a French Excel expects), ``,`` in English. A cell starting with = + - @ tab
or carriage return is prefixed with a single quote, so a spreadsheet shows it as text
instead of running it as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from atelier.i18n import translator
from atelier.summary import Summary

DELIMITERS = {"fr": ";"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | None


def neutralise(value: Cell) -> str:
    """A cell as text, with a leading quote if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _idea_rows(summary: Summary) -> Iterable[list[Cell]]:
    _ = translator(summary.lang)
    if summary.vote_target == "ideas":
        rank, result = _("Vote rank"), _("Vote result")
    else:
        rank, result = _("Rank of its cluster"), _("Result of its cluster")
    yield [
        _("Idea no."),
        _("Idea"),
        _("Author"),
        _("Cluster"),
        _("Merged ideas"),
        rank,
        _("Tie"),
        result,
    ]
    for group in summary.clusters:
        for idea in group.ideas:
            merged = " / ".join(idea.merged)
            yield [
                idea.id,
                idea.text,
                idea.author,
                idea.cluster,
                merged,
                idea.rank,
                idea.tie,
                idea.result,
            ]


def _action_rows(summary: Summary) -> Iterable[list[Cell]]:
    _ = translator(summary.lang)
    yield [_("Action no."), _("Action"), _("Responsible"), _("Due date"), _("Linked to")]
    for action in summary.actions:
        yield [action.number, action.what, action.owner, action.due, action.link]


def render(summary: Summary, *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITERS.get(summary.lang, ","), lineterminator="\r\n")
    writer.writerows([neutralise(c) for c in row] for row in _idea_rows(summary))
    writer.writerow([])
    writer.writerows([neutralise(c) for c in row] for row in _action_rows(summary))
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
