"""The report as plain text, for ``atelier show`` and the terminal."""

from __future__ import annotations

import unicodedata

from atelier.model import Session
from atelier.summary.build import build_summary
from atelier.summary.report import (
    Block,
    Fields,
    Heading,
    Items,
    Report,
    Table,
    Text,
    overview_report,
)

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
