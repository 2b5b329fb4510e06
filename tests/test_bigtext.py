"""Block letters for the projector: glyph table, French accents, fitting, literal fallback."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from atelier.widgets import bigtext
from atelier.widgets.bigtext import BigText, draw, drawable, fit, glyph, plain_lines

FRENCH_CAPITALS = "ÉÈÀÇÊÔÎÛÙËÏŒÂÜŸ"
PUNCTUATION = ".,;:!?'’\"-–—()/+=%&«»€…"


def ink(char: str) -> list[int]:
    """The rows of a glyph that hold ink."""
    found = glyph(char)
    assert found is not None, char
    return [row for row in range(bigtext.ROWS) if found.inked(row)]


def test_every_glyph_is_a_rectangle_of_eight_rows() -> None:
    for char, found in bigtext.GLYPHS.items():
        assert len(found.rows) == bigtext.ROWS, char
        assert {len(row) for row in found.rows} == {found.width}, char
        assert set("".join(found.rows)) <= {"#", "."}, char


def test_letters_digits_punctuation_and_french_capitals_are_drawable() -> None:
    text = string.ascii_uppercase + string.ascii_lowercase + string.digits
    assert drawable(text + PUNCTUATION + FRENCH_CAPITALS + FRENCH_CAPITALS.lower())
    assert drawable("L'accueil des usagers — « Être bienveillant »\u00a0!")


def test_lower_case_is_folded_to_capitals() -> None:
    assert draw("écouter", "full") == draw("ÉCOUTER", "full")
    assert draw("œuvre", "half") == draw("ŒUVRE", "half")


def test_accents_sit_above_the_letter_and_the_cedilla_below() -> None:
    letter = list(range(bigtext.LETTER_TOP, bigtext.ROWS - 1))
    assert ink("E") == letter
    assert ink("É")[0] < bigtext.LETTER_TOP
    assert ink("Ç")[-1] == bigtext.ROWS - 1
    assert ink("É")[1:] == letter or ink("É")[2:] == letter
    accented = {glyph(c) for c in "EÉÈÊË"}
    assert len(accented) == 5  # each accent is its own drawing
    assert glyph("0") != glyph("O")
    assert glyph("’") == glyph("'")


def test_unknown_characters_are_not_drawn() -> None:
    for text in ("🎉 fête", "مرحبا", "会议", "x\u0301\u0302\u0303"):
        assert not drawable(text)
        assert draw(text, "half") is None
        assert fit(text, 200, 50) is None


def test_scales_differ_in_size_and_half_uses_half_blocks() -> None:
    large = draw("MERCI", "large")
    full = draw("MERCI", "full")
    double = draw("MERCI", "double")
    half = draw("MERCI", "half")
    assert large and full and double and half
    assert large.width == double.width == 2 * full.width
    assert large.height == 2 * double.height == 10
    assert half.width == full.width
    assert half.height == 3 and full.height == 5
    assert set("".join(half.lines)) <= set(" ▀▄█")
    assert set("".join(full.lines)) <= {" ", "█"}


def test_fit_prefers_the_largest_scale_that_fits() -> None:
    assert fit("OUI", 80, 24).scale == "large"  # type: ignore[union-attr]
    assert fit("OUI", 80, 8).scale == "double"  # type: ignore[union-attr]
    assert fit("OUI", 20, 24).scale == "full"  # type: ignore[union-attr]
    assert fit("OUI", 20, 4).scale == "half"  # type: ignore[union-attr]
    assert fit("OUI", 20, 2) is None
    assert fit("", 80, 24) is None


def test_wrapping_happens_between_words_only() -> None:
    block = draw("SE FAIRE CONFIANCE", "half", 50)
    assert block is not None and block.width <= 50
    assert block.height > 3  # more than one line
    assert draw("ANTICONSTITUTIONNELLEMENT", "full", 40) is None  # a word never breaks


def test_non_breaking_spaces_keep_punctuation_with_its_word() -> None:
    word = bigtext.word_width("CONTRAINT")
    assert draw("CONTRAINT :", "full", word + 1) is not None  # breaks before « : »
    assert draw("CONTRAINT\u00a0:", "full", word + 1) is None  # never before « : »


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters + "ÉÈÇàô' ,.!?\u00a0", max_size=80),
    st.integers(min_value=1, max_value=160),
    st.integers(min_value=1, max_value=45),
)
def test_a_fitted_drawing_never_exceeds_its_region(text: str, width: int, height: int) -> None:
    block = fit(text, width, height)
    if block is not None:
        assert block.width <= width
        assert block.height <= height
        assert all(len(line) <= width for line in block.lines)


def test_plain_fallback_is_literal_centred_spaced_and_cut() -> None:
    lines = plain_lines("[bold]x[/] [link=x]y", 40, 10)
    assert "[bold]x[/] [link=x]y" in lines[0].plain
    assert lines[0].cell_length == 40
    spaced = plain_lines("un deux trois quatre", 6, 10)
    assert [line.plain.strip() for line in spaced] == ["un", "", "deux", "", "trois", "", "quatre"]
    cut = plain_lines("mot " * 500, 20, 3)
    assert len(cut) == 3
    assert cut[-1].plain.rstrip().endswith("…")


class Shown(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield BigText(self.text, id="big")


async def test_widget_draws_short_text_and_shows_the_rest_literally() -> None:
    app = Shown("Merci")
    async with app.run_test(size=(80, 24)) as pilot:
        big = app.query_one(BigText)
        assert big.drawn is not None and big.drawn.scale == "large"
        big.update("[/] 🎉 [bold]x[/]")
        await pilot.pause()
        assert big.drawn is None
        rendered = big.render().plain
        assert "[/] 🎉 [bold]x[/]" in rendered
