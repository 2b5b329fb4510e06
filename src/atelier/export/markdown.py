"""Markdown (CommonMark + pipe tables) from a report: what a facilitator pastes or mails.

Participant text is data: every character Markdown could read as markup is escaped, so
``<script>``, ``[bold]`` or ``*`` show as typed and a cell never breaks its table.
"""

from __future__ import annotations

import re

from atelier.summary import (
    Block,
    Fields,
    Heading,
    Items,
    Report,
    Summary,
    Table,
    Text,
    summary_report,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BLOCK_START = re.compile(r"^([-+=])")  # a list item or a heading underline
_NUMBERED = re.compile(r"^(\d+)([.)])")  # an ordered list item


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


def _items(block: Items) -> list[str]:
    lines = []
    for number, item in enumerate(block.items, start=1):
        mark = f"{number}." if block.ordered else "-"
        detail = f" — *{escape(item.detail)}*" if item.detail.strip() else ""
        lines.append(f"{mark} {escape(item.text, line_start=True)}{detail}")
        indent = " " * (len(mark) + 1)
        lines += [f"{indent}- {escape(sub, line_start=True)}" for sub in item.sub]
    return lines


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(escape(cell) for cell in cells) + " |"


def _table(block: Table) -> list[str]:
    rule = "| " + " | ".join("---:" if n else "---" for n in block.numeric) + " |"
    lines = [_row(block.headers), rule, *(_row(row) for row in block.rows)]
    if block.footer:
        lines.append(
            "| " + " | ".join(f"**{escape(c)}**" if c else "" for c in block.footer) + " |"
        )
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {escape(block.text)}"]
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Items):
        return _items(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Text):
        if block.style == "quote":
            return [f"> {escape(block.text, line_start=True)}"]
        if block.style == "note":
            return [f"*{escape(block.text)}*"]
        return [escape(block.text, line_start=True)]
    return []  # charts: the table beside them carries the numbers


def render_report(report: Report) -> bytes:
    parts = ["\n".join(lines) for lines in map(_block, report.blocks) if lines]
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def render(summary: Summary) -> bytes:
    return render_report(summary_report(summary))
