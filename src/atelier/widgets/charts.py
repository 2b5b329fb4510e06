"""Vote charts drawn with text: dots as horizontal bars, majority judgment as merit profiles.

They take plain data (labels, numbers, grade names) rather than a session, so the results
screen and the projector draw the same pictures. Labels come from the room: they are
always literal content, cut to one line and truncated by cell width (emoji, CJK).
A merit profile stays readable without colour (``NO_COLOR``): every grade has its own
character as well as its own colour, and a legend names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from atelier import voting
from atelier.i18n import _

EIGHTHS = " ▏▎▍▌▋▊▉"  # partial blocks, 0/8 … 7/8 of a cell
FULL = "█"
# One character per grade, densest for the best: readable in monochrome. The worst is ×.
GRADE_GLYPHS = "█▓▒░▚≡+:·"
WORST_GLYPH = "×"
MEDIAN_MARK = "┃"
# Colour anchors from the best grade (green) to the worst (red), interpolated per scale.
_ANCHORS = ((26, 152, 80), (145, 207, 96), (217, 239, 139), (254, 224, 139), (252, 141, 89))
_WORST_COLOUR = (215, 48, 39)
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


def one_line(text: str) -> str:
    """A label on one line: whitespace collapsed, bidi overrides dropped (they would
    reverse the rest of the chart line in terminals that honour them)."""
    kept = "".join(ch for ch in text if ch not in _BIDI_CONTROLS)
    return " ".join(kept.split())


def fitted(text: str, width: int) -> Content:
    """Literal label cut (with …) or padded to exactly ``width`` cells."""
    if width <= 0:
        return Content("")
    return Content(one_line(text)).truncate(width, ellipsis=True, pad=True)


def _width_of(text: str) -> int:
    return Content(one_line(text)).cell_length


# --------------------------------------------------------------------------- dot bars


@dataclass(frozen=True, slots=True)
class Bar:
    """One option of a dot vote: its label, its dots and, optionally, its rank ("1", "2=")."""

    label: str
    value: int
    rank: str = ""


def bar_cells(value: int, maximum: int, width: int) -> str:
    """A bar of ``value`` out of ``maximum`` on ``width`` cells, to the eighth of a cell."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = round(min(value, maximum) / maximum * width * 8)
    eighths = max(eighths, 1)  # a dot is never invisible
    full, part = divmod(eighths, 8)
    return FULL * full + (EIGHTHS[part] if part else "")


def dot_chart(
    bars: Sequence[Bar], width: int, *, label_width: int | None = None, style: str = "$accent"
) -> Content:
    """One line per option: rank, label, bar scaled to the largest value, dots."""
    if not bars:
        return Content("")
    rank_w = max(_width_of(b.rank) for b in bars)
    rank_w = rank_w + 1 if rank_w else 0
    value_w = max(len(str(b.value)) for b in bars)
    longest = max(_width_of(b.label) for b in bars)
    if label_width is None:
        label_width = min(longest, max(8, width // 3))
    bar_w = max(1, width - rank_w - label_width - value_w - 2)
    top = max(b.value for b in bars)
    lines = []
    for b in bars:
        cells = bar_cells(b.value, top, bar_w)
        lines.append(
            Content.assemble(
                (fitted(b.rank, rank_w - 1).plain + " " if rank_w else "", "bold"),
                fitted(b.label, label_width),
                " ",
                (cells, style),
                " " * (bar_w - len(cells) + 1),
                (str(b.value).rjust(value_w), "bold"),
            )
        )
    return Content("\n").join(lines)


# --------------------------------------------------------------------------- merit profiles


@dataclass(frozen=True, slots=True)
class MeritRow:
    """One option of a majority-judgment vote.

    ``tally`` counts votes per grade WORST first, like the model's tallies (missing grades
    already counted as the lowest); ``rank`` is optional ("1", "2=")."""

    label: str
    tally: tuple[int, ...]
    rank: str = ""


def grade_glyph(best_first: int, scale: int) -> str:
    """The character of a grade, given its position from the best (0) on a scale."""
    if best_first >= scale - 1:
        return WORST_GLYPH
    return GRADE_GLYPHS[min(best_first, len(GRADE_GLYPHS) - 1)]


def grade_colour(best_first: int, scale: int) -> str:
    """A colour from green (best) to red (worst), spread over the scale."""
    if scale <= 1 or best_first >= scale - 1:
        red, green, blue = _WORST_COLOUR
        return f"#{red:02x}{green:02x}{blue:02x}"
    position = best_first / (scale - 2) * (len(_ANCHORS) - 1) if scale > 2 else 0.0
    low = int(position)
    high = min(low + 1, len(_ANCHORS) - 1)
    share = position - low
    red, green, blue = (
        round(a + (b - a) * share) for a, b in zip(_ANCHORS[low], _ANCHORS[high], strict=True)
    )
    return f"#{red:02x}{green:02x}{blue:02x}"


def _cells_per_grade(tally: Sequence[int], width: int) -> list[int]:
    """Cells for each grade (best first) adding up to ``width``: largest remainders."""
    best_first = list(reversed(tally))
    total = sum(best_first)
    if total <= 0:
        return [0] * len(best_first)
    exact = [count / total * width for count in best_first]
    cells = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - cells[i]), i))
    for i in order[: width - sum(cells)]:
        cells[i] += 1
    return cells


def merit_bar(tally: Sequence[int], width: int) -> Content:
    """A stacked bar, best grade on the left, with the median marked in the middle.

    ``width`` counts the marker; the grades share the other cells in proportion."""
    scale = len(tally)
    data = max(2, width - 1) // 2 * 2
    cells = _cells_per_grade(tally, data)
    padding = " " * max(0, width - data - 1)
    if not sum(cells):
        return Content.styled("·" * max(0, width), "dim")
    parts: list[tuple[str, str]] = []
    for position, count in enumerate(cells):
        if count:
            parts.append((grade_glyph(position, scale) * count, grade_colour(position, scale)))
    bar = Content.assemble(*parts)
    half = bar.cell_length // 2
    left, right = bar.divide([half])[:2] if half else (Content(""), bar)
    return Content.assemble(left, (MEDIAN_MARK, "bold"), right, padding)


def merit_legend(grades: Sequence[str], width: int) -> Content:
    """Each grade's character and colour with its name (best first), wrapped to ``width``."""
    scale = len(grades)
    items = [
        Content.assemble((grade_glyph(i, scale) * 2, grade_colour(i, scale)), " ", one_line(name))
        for i, name in enumerate(grades)
    ]
    items.append(Content.assemble((MEDIAN_MARK, "bold"), " ", _("median")))
    lines: list[Content] = []
    line = Content("")
    for item in items:
        if line.cell_length and line.cell_length + 3 + item.cell_length > width:
            lines.append(line)
            line = Content("")
        line = Content.assemble(line, "   ", item) if line.cell_length else item
    lines.append(line)
    return Content("\n").join(lines)


def merit_chart(
    rows: Sequence[MeritRow],
    grades: Sequence[str],
    width: int,
    *,
    label_width: int | None = None,
    legend: bool = True,
) -> Content:
    """One merit profile per option (label, bar, majority grade), then the legend.

    ``grades`` are the grade names BEST first, as stored in a vote round."""
    if not rows:
        return Content("")
    scale = len(grades)
    names = [one_line(g) for g in grades]
    rank_w = max(_width_of(r.rank) for r in rows)
    rank_w = rank_w + 1 if rank_w else 0
    grade_w = min(max((_width_of(n) for n in names), default=0), 16)
    longest = max(_width_of(r.label) for r in rows)
    if label_width is None:
        label_width = min(longest, max(8, width // 4))
    bar_w = max(3, width - rank_w - label_width - grade_w - 2)
    lines: list[Content] = []
    for row in rows:
        worst_first = voting.majority_grade(list(row.tally)) if scale else None
        grade = "" if worst_first is None else names[scale - 1 - worst_first]
        lines.append(
            Content.assemble(
                (fitted(row.rank, rank_w - 1).plain + " " if rank_w else "", "bold"),
                fitted(row.label, label_width),
                " ",
                merit_bar(row.tally, bar_w),
                " ",
                (fitted(grade, grade_w).plain, "bold"),
            )
        )
    if legend and scale:
        lines.append(Content(""))
        lines.append(merit_legend(grades, width))
    return Content("\n").join(lines)


# --------------------------------------------------------------------------- widgets


class DotChart(Widget):
    """Dots per option as horizontal bars; :meth:`update` with new :class:`Bar` rows."""

    DEFAULT_CSS = "DotChart { height: auto; }"

    def __init__(self, bars: Sequence[Bar] = (), **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.bars: tuple[Bar, ...] = tuple(bars)

    def update(self, bars: Sequence[Bar]) -> None:
        self.bars = tuple(bars)
        self.refresh(layout=True)

    def render(self) -> Content:
        return dot_chart(self.bars, self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.bars))


class MeritChart(Widget):
    """Merit profiles of a majority-judgment vote with their legend."""

    DEFAULT_CSS = "MeritChart { height: auto; }"

    def __init__(
        self, rows: Sequence[MeritRow] = (), grades: Sequence[str] = (), **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: tuple[MeritRow, ...] = tuple(rows)
        self.grades: tuple[str, ...] = tuple(grades)

    def update(self, rows: Sequence[MeritRow], grades: Sequence[str]) -> None:
        self.rows = tuple(rows)
        self.grades = tuple(grades)
        self.refresh(layout=True)

    def render(self) -> Content:
        return merit_chart(self.rows, self.grades, self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        chart = merit_chart(self.rows, self.grades, width)
        return max(1, len(chart.plain.split("\n")))
