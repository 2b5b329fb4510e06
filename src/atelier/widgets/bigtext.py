"""Block letters for the room: text drawn with █ ▀ ▄ so it reads from the back of a hall.

A terminal has no font sizes, so "very large type" is drawn. The font is data: one table
of five-row glyphs (``#`` is ink) for A–Z, digits and common punctuation, plus two-row
accent marks placed above a base glyph, so every French capital (É È Ê Ë À Â Ç Î Ï Ô Û Ù Ü
Ÿ…) is built from its letter and a mark. Lower case is folded to capitals.

Four sizes, largest first: ``large`` (a pixel is two cells wide and two lines high),
``double`` (two cells wide), ``full`` (one cell) and ``half`` (two pixels per cell, ▀ ▄).
:func:`fit` picks the largest that fits a region, wrapping between words; text it cannot
draw (emoji, other scripts, a word too wide) is left to the caller, who shows it as plain
bold text instead: never a broken drawing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

# One glyph per line: the character, then its five rows (top to bottom), then optionally a
# sixth row drawn below the baseline (the tail of , and ;). Rows of a glyph share one width.
_FONT = """
A .##. #..# #### #..# #..#
B ###. #..# ###. #..# ###.
C .### #... #... #... .###
D ###. #..# #..# #..# ###.
E #### #... ###. #... ####
F #### #... ###. #... #...
G .### #... #.## #..# .###
H #..# #..# #### #..# #..#
I ### .#. .#. .#. ###
J ..## ...# ...# #..# .##.
K #..# #.#. ##.. #.#. #..#
L #... #... #... #... ####
M #...# ##.## #.#.# #...# #...#
N #..# ##.# #.## #..# #..#
O .###. #...# #...# #...# .###.
P ###. #..# ###. #... #...
Q .###. #...# #.#.# #..#. .##.#
R ###. #..# ###. #.#. #..#
S .### #... .##. ...# ###.
T ##### ..#.. ..#.. ..#.. ..#..
U #..# #..# #..# #..# .##.
V #...# #...# #...# .#.#. ..#..
W #...# #...# #.#.# ##.## #...#
X #...# .#.#. ..#.. .#.#. #...#
Y #...# .#.#. ..#.. ..#.. ..#..
Z #### ...# .##. #... ####
Œ .##### #..#.. #..### #..#.. .#####
Æ .#### #.#.. ####. #.#.. #.###
0 .##. #..# #..# #..# .##.
1 .#. ##. .#. .#. ###
2 ###. ...# .##. #... ####
3 ###. ...# .##. ...# ###.
4 #..# #..# #### ...# ...#
5 #### #... ###. ...# ###.
6 .##. #... ###. #..# .##.
7 #### ...# ..#. .#.. .#..
8 .##. #..# .##. #..# .##.
9 .##. #..# .### ...# .##.
. . . . . #
, .. .. .. .# .# #.
; .. .# .. .# .# #.
: . # . # .
! # # # . #
? ###. ...# .##. .... .#..
' # # . . .
" #.# #.# ... ... ...
- ... ... ### ... ...
– .... .... #### .... ....
— ..... ..... ##### ..... .....
_ .... .... .... .... ####
( .# #. #. #. .#
) #. .# .# .# #.
/ ..# ..# .#. #.. #..
+ ... .#. ### .#. ...
= ... ### ... ### ...
% #...# ...#. ..#.. .#... #...#
& .#.. #.#. .#.. #.#. .#.#
« .... .#.# #.#. .#.# ....
» .... #.#. .#.# #.#. ....
€ .### #... ###. #... .###
° ### #.# ### ... ...
"""

# Accent marks drawn in the two rows above a capital, centred on it (combining characters).
_ABOVE = {
    "\u0301": ("..#", ".#."),  # acute  É
    "\u0300": ("#..", ".#."),  # grave  È À Ù
    "\u0302": (".#.", "#.#"),  # circumflex  Ê Â Î Ô Û
    "\u0308": ("#.#", "..."),  # diaeresis  Ë Ï Ü Ÿ
    "\u0303": (".#.#", "#.#."),  # tilde  Ñ
}
# Marks drawn in the row below the baseline.
_BELOW = {"\u0327": ".#."}  # cedilla  Ç

# Characters drawn as another one (typographic quotes and dashes, ellipsis).
_ALIASES = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‐": "-",
    "‑": "-",
    "−": "-",
    "…": "...",
    "‹": "«",
    "›": "»",
}
# Spaces: their width in pixels; the non-breaking ones (French « : ; ! ? ») glue words.
_SPACE_WIDTH = {" ": 2, "\u00a0": 1, "\u202f": 1}
_BREAKS = re.compile(r"[ \t\r\n]+")

ROWS = 8  # 2 accent rows + 5 letter rows + 1 row below the baseline
LETTER_TOP = 2
SCALES: tuple[str, ...] = ("large", "double", "full", "half")
_CELLS_PER_PIXEL = {"large": 2, "double": 2, "full": 1, "half": 1}


@dataclass(frozen=True, slots=True)
class Glyph:
    """A drawable character: ``ROWS`` rows of ``#``/``.``, all ``width`` long."""

    rows: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.rows[0])

    def inked(self, row: int) -> bool:
        return "#" in self.rows[row]


def _parse_font(source: str) -> dict[str, Glyph]:
    table: dict[str, Glyph] = {}
    for line in source.strip().splitlines():
        char, *rows = line.split()
        below = rows[5] if len(rows) > 5 else "." * len(rows[0])
        blank = "." * len(rows[0])
        if len(rows) not in (5, 6) or len({len(r) for r in rows}) != 1:
            raise ValueError(f"bad glyph for {char!r}")
        table[char] = Glyph((blank, blank, *rows[:5], below))
    for space, width in _SPACE_WIDTH.items():
        table[space] = Glyph(("." * width,) * ROWS)
    return table


GLYPHS = _parse_font(_FONT)


def _centred(mark: str, width: int) -> str:
    """A mark row placed in the middle of a glyph ``width`` wide."""
    if len(mark) >= width:
        return mark[:width]
    left = (width - len(mark) + 1) // 2
    return "." * left + mark + "." * (width - len(mark) - left)


@lru_cache(maxsize=4096)
def glyph(char: str) -> Glyph | None:
    """The glyph of one (capital) character, composing accents; None if not drawable."""
    char = _ALIASES.get(char, char)
    if char in GLYPHS:
        return GLYPHS[char]
    decomposed = unicodedata.normalize("NFD", char)
    if not decomposed:
        return None
    base, marks = decomposed[0], decomposed[1:]
    found = GLYPHS.get(base)
    if found is None or not marks or len(marks) > 2:
        return None
    rows = list(found.rows)
    for mark in marks:
        if mark in _ABOVE and rows[0] == rows[1] == "." * found.width:
            rows[0], rows[1] = (_centred(r, found.width) for r in _ABOVE[mark])
        elif mark in _BELOW and "#" not in rows[ROWS - 1]:
            rows[ROWS - 1] = _centred(_BELOW[mark], found.width)
        else:
            return None
    return Glyph(tuple(rows))


def _chars(text: str) -> list[str]:
    """Capitals, one drawable unit each (« é » → « É », « … » → three dots)."""
    upper = unicodedata.normalize("NFC", text).upper()
    out: list[str] = []
    for char in upper:
        alias = _ALIASES.get(char, char)
        out.extend(alias if len(alias) > 1 else [char])
    return out


def drawable(text: str) -> bool:
    """True when every character of ``text`` has a glyph (spaces and line breaks included)."""
    return all(ch in "\t\r\n" or glyph(ch) is not None for ch in _chars(text))


def words(text: str) -> list[str]:
    """The words of ``text``; non-breaking spaces stay inside their word."""
    return [w for w in _BREAKS.split(text.strip()) if w]


def word_width(word: str) -> int:
    """Width in pixels of a word (glyphs plus one pixel between them)."""
    widths = [g.width for g in (glyph(ch) for ch in _chars(word)) if g is not None]
    return sum(widths) + max(0, len(widths) - 1)


def cells(pixels: int, scale: str) -> int:
    return pixels * _CELLS_PER_PIXEL[scale]


@dataclass(frozen=True, slots=True)
class Block:
    """Text drawn at one scale: ``lines`` of strings, each line as wide as it needs."""

    lines: tuple[str, ...]
    scale: str

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)

    @property
    def height(self) -> int:
        return len(self.lines)


def _wrap(text: str, max_pixels: int) -> list[list[str]] | None:
    """Words grouped into lines at most ``max_pixels`` wide; None if a word is wider."""
    space = GLYPHS[" "].width + 2
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0
    for word in words(text):
        width = word_width(word)
        if width > max_pixels:
            return None
        if current and used + space + width <= max_pixels:
            current.append(word)
            used += space + width
        else:
            current = [word]
            used = width
            lines.append(current)
    return lines


def _pixel_rows(units: list[Glyph], top: int, bottom: int) -> list[str]:
    """The ink of a line of glyphs, rows ``top``..``bottom`` inclusive, one pixel apart."""
    rows: list[str] = []
    for row in range(top, bottom + 1):
        rows.append(".".join(g.rows[row] for g in units))
    return rows


def _paint(rows: list[str], scale: str) -> list[str]:
    """Pixel rows → terminal lines at ``scale``."""
    if scale in ("large", "double"):
        wide = [row.replace("#", "██").replace(".", "  ") for row in rows]
        return [line for line in wide for _ in range(2)] if scale == "large" else wide
    if scale == "full":
        return [row.replace("#", "█").replace(".", " ") for row in rows]
    if len(rows) % 2:
        rows = [*rows, "." * len(rows[0])]
    halves = {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄", (".", "."): " "}
    return [
        "".join(halves[pair] for pair in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def _top(line: list[Glyph]) -> int:
    """The first row of a line: its accent rows only when one of its letters has one."""
    for row in range(LETTER_TOP):
        if any(g.inked(row) for g in line):
            return row
    return LETTER_TOP


def draw(text: str, scale: str, max_width: int | None = None) -> Block | None:
    """``text`` in block letters at ``scale``, wrapped between words to ``max_width`` cells.

    None when a character has no glyph or a single word is wider than ``max_width``."""
    if not drawable(text) or not words(text):
        return None
    per = _CELLS_PER_PIXEL[scale]
    limit = 10**9 if max_width is None else max_width // per
    grouped = _wrap(text, limit)
    if grouped is None:
        return None
    lines = [[g for g in (glyph(ch) for ch in _chars(" ".join(line))) if g] for line in grouped]
    out: list[str] = []
    for number, line in enumerate(lines):
        top = _top(line)
        if number and not (scale == "half" and top < LETTER_TOP):
            out.append("")  # a blank line between lines (half size: the accent row is one)
        bottom = ROWS - 1 if any(g.inked(ROWS - 1) for g in line) else ROWS - 2
        out.extend(_paint(_pixel_rows(line, top, bottom), scale))
    return Block(tuple(out), scale)


def fit(text: str, width: int, height: int, scales: tuple[str, ...] = SCALES) -> Block | None:
    """The largest drawing of ``text`` that fits ``width`` × ``height`` cells, or None."""
    if width <= 0 or height <= 0:
        return None
    for scale in scales:
        block = draw(text, scale, width)
        if block is not None and block.height <= height and block.width <= width:
            return block
    return None


def centre(line: Content, width: int) -> Content:
    """A line centred in ``width`` cells (cut with … if longer)."""
    line = line.rstrip().truncate(width, ellipsis=True)
    left = (width - line.cell_length) // 2
    return line.pad(left, width - line.cell_length - left)


def plain_lines(text: str, width: int, height: int | None) -> list[Content]:
    """The fallback: bold literal text, centred and wrapped, a blank line between lines
    when there is room, cut with « … » when there is not."""
    if width <= 0:
        return []
    lines = Content(" ".join(words(text))).wrap(width)
    lines = [centre(line, width) for line in lines]
    if height is None:
        return lines
    if len(lines) > height > 0:
        last = Content.assemble(lines[height - 1].rstrip(), " …")
        lines = [*lines[: height - 1], centre(last, width)]
    if 2 * len(lines) - 1 <= height:
        spaced: list[Content] = []
        for line in lines:
            if spaced:
                spaced.append(Content(""))
            spaced.append(line)
        lines = spaced
    return lines[: max(height, 0)]


class BigText(Widget):
    """Text as large as its region allows: block letters, else bold centred wrapped text.

    With ``height: 1fr`` (the default) the drawing fits the region; with ``height: auto``
    it fits the width and at most ``max_rows`` lines. Text is always literal, never markup.
    """

    DEFAULT_CSS = """
    BigText { height: 1fr; text-style: bold; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        scales: tuple[str, ...] = SCALES,
        max_rows: int | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = text
        self.scales = scales
        self.max_rows = max_rows

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh(layout=True)

    @property
    def drawn(self) -> Block | None:
        """The block drawing currently shown (None: plain text)."""
        return fit(self._text, self.size.width, self._height_limit(self.size.height), self.scales)

    def _height_limit(self, height: int) -> int:
        return height if self.max_rows is None else min(height, self.max_rows)

    def _lines(self, width: int, height: int) -> list[Content]:
        block = fit(self._text, width, height, self.scales)
        if block is None:
            return plain_lines(self._text, width, height)
        return [Content(line.center(width)) for line in block.lines]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        limit = self.max_rows if self.max_rows is not None else max(viewport.height, 1)
        return len(self._lines(width, limit))

    def render(self) -> Content:
        width, height = self.size
        lines = self._lines(width, self._height_limit(height))
        pad = max(0, (height - len(lines)) // 2)
        return Content("\n").join([*([Content("")] * pad), *lines])
