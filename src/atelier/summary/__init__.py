"""The one summary of a session: what every export, ``atelier show`` and the summary screen read.

:func:`build_summary` turns a :class:`~atelier.model.Session` into frozen records whose texts
are already translated into the session's language and formatted (25/11/2026, 2,5, 18:30),
so no output format translates or counts anything itself. :func:`summary_report` lays the
summary out once as a :class:`Report` — headings, fields, lists, tables, charts — which the
Markdown, HTML and ODT writers render block by block; :func:`overview_text` renders a
shorter report as plain text for the terminal. :func:`round_results` counts one vote round
and is shared with the results screen.

Modules: :mod:`.records` (the frozen records), :mod:`.ranking` (counting votes),
:mod:`.parts` and :mod:`.build` (building the summary), :mod:`.report` (the layout in
blocks), :mod:`.text` (plain text). Every public name is imported here.
"""

from __future__ import annotations

from atelier.i18n import format_duration
from atelier.summary.build import (
    ANONYMOUS_MARK,
    anonymized,
    build_summary,
)
from atelier.summary.parts import (
    clean,
    shorten,
)
from atelier.summary.ranking import (
    RoundResult,
    default_decisions,
    final_ranking,
    last_vote,
    overall_ranking,
    round_results,
    round_titles,
    shortlist,
)
from atelier.summary.records import (
    CHART_LIMIT,
    LANGUAGE_NAMES,
    LINK_MAX,
    OVERVIEW_LIMIT,
    TIE_RANK_LIMIT,
    ActionLine,
    ClusterGroup,
    DecisionLine,
    Decisions,
    FinalPlace,
    Header,
    IdeaLine,
    NoteLine,
    OptionResult,
    Participants,
    PhaseLine,
    RoundSummary,
    RuleLine,
    Rules,
    Summary,
    Totals,
    Translate,
)
from atelier.summary.report import (
    Block,
    Chart,
    ChartBar,
    Fields,
    Heading,
    Item,
    Items,
    Report,
    Table,
    Text,
    labelled,
    overview_report,
    percent,
    summary_report,
)
from atelier.summary.text import (
    TEXT_CELL_MAX,
    TEXT_CELL_MIN,
    overview_text,
    plain_text,
)

__all__ = [
    "format_duration",
    "Translate",
    "LANGUAGE_NAMES",
    "CHART_LIMIT",
    "OVERVIEW_LIMIT",
    "TIE_RANK_LIMIT",
    "LINK_MAX",
    "Header",
    "Participants",
    "RuleLine",
    "Rules",
    "IdeaLine",
    "ClusterGroup",
    "OptionResult",
    "RoundSummary",
    "FinalPlace",
    "ActionLine",
    "NoteLine",
    "DecisionLine",
    "Decisions",
    "PhaseLine",
    "Totals",
    "Summary",
    "RoundResult",
    "round_results",
    "final_ranking",
    "overall_ranking",
    "last_vote",
    "shortlist",
    "round_titles",
    "default_decisions",
    "clean",
    "shorten",
    "build_summary",
    "ANONYMOUS_MARK",
    "anonymized",
    "Heading",
    "Fields",
    "Item",
    "Items",
    "Table",
    "Text",
    "ChartBar",
    "Chart",
    "Block",
    "Report",
    "labelled",
    "summary_report",
    "overview_report",
    "percent",
    "TEXT_CELL_MAX",
    "TEXT_CELL_MIN",
    "plain_text",
    "overview_text",
]
