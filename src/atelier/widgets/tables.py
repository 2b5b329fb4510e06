"""Tables that keep the columns that matter on screen at 80 columns.

DataTable gives every column its natural width and lets the last ones fall off the right
edge: a long title hid « Idées » and « Personnes », a long action hid its due date. Here the
text columns share what the short ones (numbers, dates, names of phases) leave, and their
texts are cut with an ellipsis in their own column.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable

CELL_PADDING = 2  # DataTable's default cell_padding, on both sides
SCROLLBAR = 2
MINIMUM = 8


def fill_table(
    table: DataTable,  # type: ignore[type-arg]
    rows: Sequence[Sequence[str]],
    keys: Sequence[str],
    available: int,
    flexible: dict[int, int],
) -> None:
    """Replace the rows of ``table`` by ``rows`` fitted to ``available`` cells (see fit_rows).

    Every column gets a fixed width: DataTable's automatic widths only grow."""
    table.clear()
    headers = [str(column.label) for column in table.columns.values()]
    widths, fitted = fit_rows(headers, rows, available, flexible)
    for column, width in zip(table.columns.values(), widths, strict=True):
        column.auto_width = False
        column.width = width
    for key, cells in zip(keys, fitted, strict=True):
        table.add_row(*cells, key=key)


def one_line(text: str) -> str:
    return " ".join(text.split())


def fit_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    available: int,
    flexible: dict[int, int],
) -> tuple[list[int], list[list[Text]]]:
    """The width of each column and rows of literal cells (never markup) that fit
    ``available`` cells.

    ``flexible`` maps the index of each column that may be cut to its share of the room
    left by the others (weights); a column needing less than its share gives the rest away.
    """
    lines = [[one_line(c) for c in row] for row in rows]
    widths = [
        max([cell_len(h), *(cell_len(line[i]) for line in lines)]) for i, h in enumerate(headers)
    ]
    fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    room = available - SCROLLBAR - fixed - CELL_PADDING * len(headers)
    pending = dict(flexible)
    while pending:  # share the room by weight; who needs less leaves the rest to others
        total = sum(pending.values())
        share = {i: max(MINIMUM, room * weight // total) for i, weight in pending.items()}
        satisfied = [i for i in pending if widths[i] <= share[i]]
        if not satisfied:
            for i in pending:
                widths[i] = share[i]
            break
        for i in satisfied:
            room -= widths[i]
            del pending[i]
    cells = [
        [
            Text(Content(c).truncate(widths[i], ellipsis=True).plain if i in flexible else c)
            for i, c in enumerate(line)
        ]
        for line in lines
    ]
    return widths, cells
