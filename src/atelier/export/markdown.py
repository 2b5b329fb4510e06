"""Markdown (CommonMark + pipe tables) from a report: what a facilitator pastes or mails.

Participant text is data: every character Markdown could read as markup is escaped, so
``<script>``, ``[bold]`` or ``*`` show as typed and a cell never breaks its table.
Tables are padded into aligned columns within :data:`TABLE_WIDTH` characters, so they stay
readable pasted into an e-mail as plain text; a table that would be wider becomes a list
whose long texts wrap.
"""

from __future__ import annotations

import re
import unicodedata

from atelier.i18n import translator
from atelier.summary import (
    Block,
    Fields,
    Heading,
    Items,
    Report,
    Summary,
    Table,
    Text,
    labelled,
    summary_report,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BLOCK_START = re.compile(r"^([-+=])")  # a list item or a heading underline
_NUMBERED = re.compile(r"^(\d+)([.)])")  # an ordered list item
_MARK = re.compile(r"^#\d+$")  # an idea's number: never a heading (no space after #)
_LIST_MARK = re.compile(r"^(?:(\d+)\.|-) ")
TABLE_WIDTH = 78  # characters of a table line: an e-mail's plain-text width


def escape(text: str, *, line_start: bool = False) -> str:
    """Plain text → Markdown that shows exactly that text, on one line.

    ``line_start``: the text begins a line (paragraph, list item), where "- ", "+ ", "1. "
    or "=" would start a list or a heading; inside a line or a table cell they cannot."""
    text = " ".join(text.split("\n"))
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    if line_start:
        text = _NUMBERED.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", text))
    return text


def _fields(block: Fields) -> list[str]:
    return [f"- **{escape(label)}** {escape(value)}" for label, value in block.items]


def _compact_items(block: Items) -> list[str]:
    """A list as one paragraph of hard-broken lines « • text »: the same reading for a
    screen, where a Markdown widget draws each list item as several widgets (18 ms each)."""
    lines = []
    for number, item in enumerate(block.items, start=1):
        mark = f"{number}\\." if block.ordered else "•"
        detail = f" — *{escape(item.detail)}*" if item.detail.strip() else ""
        text = escape(item.text)
        if item.mark:
            text = f"{escape(item.mark)} {text}"
        lines.append(f"{mark} {text}{detail}")
        lines += [f"\u2003\u2003◦ {escape(sub)}" for sub in item.sub]
    return ["\\\n".join(lines)]


def _items(block: Items) -> list[str]:
    lines = []
    for number, item in enumerate(block.items, start=1):
        mark = f"{number}." if block.ordered else "-"
        detail = f" — *{escape(item.detail)}*" if item.detail.strip() else ""
        text = escape(item.text, line_start=not item.mark)
        if item.mark:
            text = f"{item.mark if _MARK.match(item.mark) else escape(item.mark)} {text}"
        lines.append(f"{mark} {text}{detail}")
        indent = " " * (len(mark) + 1)
        lines += [f"{indent}- {escape(sub, line_start=True)}" for sub in item.sub]
    return lines


def _width(text: str) -> int:
    """Columns a text takes in a fixed-width font (wide East Asian characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fits(rows: list[list[str]]) -> list[int] | None:
    """Column widths of an aligned table, or None when it would be wider than TABLE_WIDTH."""
    widths = [max(3, *(_width(row[i]) for row in rows)) for i in range(len(rows[0]))]
    return widths if sum(widths) + 3 * len(widths) + 1 <= TABLE_WIDTH else None


def _table(block: Table, lang: str) -> list[str]:
    rows = [[escape(c) for c in block.headers], *([escape(c) for c in r] for r in block.rows)]
    if block.footer:
        rows.append([f"**{escape(c)}**" if c else "" for c in block.footer])
    widths = _fits(rows)
    if widths is None:
        return _records(block, lang)
    for row_index, row in enumerate(rows):
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            row[i] = pad + cell if block.numeric[i] and row_index else cell + pad
    rule = [
        ("-" * (w - 1) + ":") if n else "-" * w for w, n in zip(widths, block.numeric, strict=False)
    ]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join(rule) + " |")
    return lines


def _records(block: Table, lang: str) -> list[str]:
    """A table too wide for an e-mail, as a list: its main (else longest) text column wraps freely,
    the other cells follow as « Header : value »; a first column of plain numbers (No.)
    numbers the list."""
    _ = translator(lang)
    texts = [i for i, n in enumerate(block.numeric) if not n] or [0]
    main = block.main
    if main is None:
        main = max(texts, key=lambda i: max((_width(r[i]) for r in block.rows), default=0))
    rows = [*block.rows, *((block.footer,) if block.footer else ())]
    numbered = block.numeric[0] and main != 0 and all(r[0].isdigit() for r in block.rows)
    lines = []
    for row in rows:
        details = " · ".join(
            " ".join(labelled(_, escape(block.headers[i]), escape(cell)))
            for i, cell in enumerate(row)
            if i != main and cell.strip() and not (numbered and i == 0)
        )
        text = escape(row[main], line_start=True) if row[main].strip() else "—"
        mark = f"{row[0]}." if numbered and row[0].isdigit() else "-"
        lines.append(f"{mark} {text}" + (f" — {details}" if details else ""))
    return lines


def _bullet(match: re.Match[str]) -> str:
    """A list item's mark inside a paragraph: « 3\\. » (not a list), « • »."""
    return f"{match[1]}\\. " if match[1] else "• "


def _block(block: Block, lang: str, compact: bool = False) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {escape(block.text)}"]
    if isinstance(block, Fields):
        if compact:
            return ["\\\n".join(f"**{escape(k)}** {escape(v)}" for k, v in block.items)]
        return _fields(block)
    if isinstance(block, Items):
        return _compact_items(block) if compact else _items(block)
    if isinstance(block, Table):
        lines = _table(block, lang)
        if compact and lines and not lines[0].startswith("|"):  # a list: one paragraph
            return ["\\\n".join(_LIST_MARK.sub(_bullet, line) for line in lines)]
        return lines
    if isinstance(block, Text):
        if block.style == "quote":
            return [f"> {escape(block.text, line_start=True)}"]
        if block.style == "note":
            return [f"*{escape(block.text)}*"]
        return [escape(block.text, line_start=True)]
    return []  # charts: the table beside them carries the numbers


def render_report(report: Report, *, compact: bool = False) -> bytes:
    """The Markdown file; ``compact``: lists as hard-broken paragraphs, for the screen."""
    blocks = (_block(block, report.lang, compact) for block in report.blocks)
    parts = ["\n".join(lines) for lines in blocks if lines]
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def render(summary: Summary) -> bytes:
    return render_report(summary_report(summary))
