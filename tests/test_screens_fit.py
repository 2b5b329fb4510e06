"""Every screen at 80×24 says everything in one language (issue 12, items 1 to 5).

What the room sees is read from the screen as drawn (the SVG Textual exports), not from
the widgets: a text cut by its container, or an English word drawn by Textual itself,
is caught here.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from test_snapshots import DIALOGS, HOME_DIALOGS, goto, press
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input

from atelier import i18n, model
from atelier.app import AtelierApp, create_app
from atelier.demo import DEMO_FILE, DEMO_ID
from atelier.store import SessionFolder
from atelier.widgets.fields import TextField
from atelier.widgets.tables import fit_rows
from atelier.widgets.tickbox import RadioChoice, TickBox
from atelier.widgets.typography import keep_no_break_spaces

SMALL = (80, 24)
DEMO = DEMO_FILE  # the demo shipped in the package


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen_clock) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "sessions").mkdir()
    shutil.copy(DEMO, tmp_path / "sessions" / "demo.json")
    return Path("sessions")


def drawn(app: AtelierApp) -> str:
    """The screen as the terminal shows it, one line per row (from Textual's SVG export)."""
    svg = app.export_screenshot()
    rows: dict[int, dict[int, str]] = {}
    pattern = r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
    for x, line, text in re.findall(pattern, svg):
        row = rows.setdefault(int(line), {})
        # the SVG writes every space as a no-break one: read them all as spaces
        for offset, char in enumerate(html.unescape(text).replace("\u00a0", " ")):
            row[round(float(x) / 12.2) + offset] = char
    height = app.size.height
    return "\n".join(
        "".join(rows[n].get(i, " ") for i in range(max(rows[n]) + 1)).rstrip()
        if rows.get(n)
        else ""
        for n in range(height)
    )


# --------------------------------------------------------------------------- one language

TEXTUAL_WORDS = [
    "Focus Next",
    "Focus Previous",
    "Copy selected text",
    "Search for commands",
    "No matches found",
    "Quit the application",
    "Toggle",
]


def english_phrases() -> list[str]:
    """atelier's own short English texts whose French differs (« Cancel » ≠ « Annuler »)."""
    phrases = []
    for msgid, french in i18n.catalog("fr").items():
        words = re.sub(r"\{[^}]*\}", " ", msgid).split()
        phrase = " ".join(words).strip(" .:…·")
        if 1 <= len(words) <= 4 and phrase.casefold() not in french.casefold():
            phrases.append(phrase)
    return sorted({p for p in phrases if len(p) >= 5 and re.search(r"[a-z]{3}", p)})


def english_in(text: str) -> list[str]:
    found = [w for w in TEXTUAL_WORDS if w in text]
    found += [p for p in english_phrases() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    return found


Scenario = Callable[[Pilot], Awaitable[None]]
SESSION_SCENARIOS: dict[str, Scenario] = {
    **{f"phase-{phase}": goto(phase) for phase in model.PHASES},
    "help": press("f1", phase="ideation"),
    "help-summary": press("f1", phase="summary"),
    "palette-search": press("ctrl+p", "z", "z", "z", "z", phase="ideation"),
    "overtime": press("f4", phase="rules"),
    **DIALOGS,
}


def test_the_english_detector_finds_english() -> None:
    assert english_in("Focus Next  Champ suivant") == ["Focus Next"]
    assert "Cancel" in english_in("Entrée : confirmer · Escape: Cancel")
    assert not english_in("Annuler « Vote principal » ? Entrée : confirmer")


@pytest.mark.parametrize("scenario", list(SESSION_SCENARIOS))
async def test_french_screens_show_no_english(demo: Path, scenario: str) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await SESSION_SCENARIOS[scenario](pilot)
        await pilot.pause(0.6)  # the palette's « no match » line comes after a delay
        text = drawn(app)
    assert not english_in(text), text


@pytest.mark.parametrize("scenario", ["home", *HOME_DIALOGS])
async def test_french_home_shows_no_english(demo: Path, scenario: str) -> None:
    app = create_app(demo, "fr")
    async with app.run_test(size=SMALL) as pilot:
        if scenario != "home":
            await HOME_DIALOGS[scenario](pilot)
        await pilot.pause()
        text = drawn(app)
    assert not english_in(text), text


def test_english_messages_use_english_quotes() -> None:
    """English msgids quote with “ ”; their French translations keep « »."""
    from test_i18n import all_msgids

    wrong = sorted(m for m in all_msgids() if "«" in m or "»" in m)
    assert not wrong, wrong
    french = i18n.catalog("fr")
    assert (
        french["No session “{id}” in {folder}."]
        == "Aucune session «\u00a0{id}\u00a0» dans {folder}."
    )


# --------------------------------------------------------------------------- whole texts


async def test_confirm_dialog_shows_its_whole_explanation(demo: Path) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await press("delete", phase="vote")(pilot)
        text = " ".join(drawn(app).split())
    assert "(ctrl+z pour annuler)" in text.replace("█", " ").replace("  ", " ")


async def test_export_dialog_fits_and_focus_stays_visible(demo: Path) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await press("x", phase="summary")(pilot)
        text = drawn(app)
        for shown in ("CSV avec BOM", "Dossier", "ctrl+s"):
            assert shown in text
        folder_field = app.screen.query_one("#export-folder", TextField)
        assert folder_field.value.endswith("sessions/exports")
        assert folder_field.value[:20] in text  # the path, from its start
        dialog = app.screen
        for _ in range(8):  # every widget focus reaches is inside the screen
            await pilot.press("tab")
            focused = dialog.focused
            assert focused is not None
            region = focused.region
            assert region.y >= 0 and region.bottom <= SMALL[1], focused
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = drawn(app)
    assert written.count("exports :") == 1  # the folder once (long here: it wraps)
    for suffix in (".md", ".html", ".odt"):
        assert re.search(rf"la-bienveillance-[\w-]+-2026-11-24{re.escape(suffix)}", written)


def test_tick_boxes_differ_by_character() -> None:
    """Under NO_COLOR a ticked box and an empty one differ by what they draw."""
    assert TickBox("x", value=True).BUTTON_INNER == "X"
    assert TickBox("x", value=False).BUTTON_INNER == " "
    assert RadioChoice("x", value=True).BUTTON_INNER == "●"
    assert RadioChoice("x", value=False).BUTTON_INNER == " "


async def test_the_kind_of_a_parked_point_reads_without_colour(demo: Path) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await press("f10", phase="ideation")(pilot)
        text = drawn(app)
    assert "▐●▌ Parking" in text and "▐ ▌ Note" in text and "▐ ▌ Verbatim" in text


def test_no_break_spaces_never_break_a_line() -> None:
    keep_no_break_spaces()
    text = "elles comptent comme la plus basse, «\u00a0À rejeter\u00a0»."
    for width in range(12, 40):
        for line in Content(text).wrap(width):
            assert not line.plain.strip().startswith("»"), width
            assert not line.plain.rstrip().endswith("«"), width


def test_fit_rows_keeps_numbers_and_dates_whole() -> None:
    long = "Une action au titre très long qui ne tiendrait jamais dans la colonne " * 2
    widths, rows = fit_rows(
        ["#", "Quoi", "Qui", "Échéance", "Lien"],
        [["12", long, "Marie-Christine Delacroix", "15/12/2026", long]],
        76,
        {1: 5, 2: 2, 4: 3},
    )
    cells = [str(c) for c in rows[0]]
    assert cells[0] == "12" and cells[3] == "15/12/2026"
    assert cells[1].endswith("…") and cells[4].endswith("…")
    assert sum(widths) + 2 * len(widths) <= 76 - 2


# --------------------------------------------------------------------------- stray or cut text


@pytest.mark.parametrize("phase", [*model.PHASES, "home"])
async def test_footer_shows_whole_keys_and_ends_with_palette(demo: Path, phase: str) -> None:
    """The palette key ends the footer (« palettea » was the keys under it showing through)
    and no key is cut in the middle of its words (« f8 Phase su »)."""
    app = create_app(demo, "fr", open_session=None if phase == "home" else DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        if phase != "home":
            await goto(phase)(pilot)
        await pilot.pause()
        last = drawn(app).splitlines()[-1]
        descriptions = {b.description for _n, b, _e, _t in app.screen.active_bindings.values()}
    assert last.endswith("palette"), last
    keys = last.split("▏")[0].rstrip()
    assert any(keys.endswith(" " + d) for d in descriptions if d), last


async def test_overtime_label_is_whole(demo: Path, frozen_clock) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await goto("rules")(pilot)  # the demo's rules phase has 0:00 left
        await pilot.press("f4")
        await pilot.pause()
        frozen_clock.advance(3)
        app.screen.query_one("#timer").tick()  # type: ignore[attr-defined]
        await pilot.pause()
        top = drawn(app).splitlines()[0]
    assert "Temps écoulé !" in top, top


async def test_similar_hint_keeps_the_whole_action(demo: Path) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await goto("ideation")(pilot)
        field = app.screen.query_one("#idea-input", Input)
        field.value = "Dire merci aux agents d'accueil qui gèrent les situations difficiles"
        await pilot.press("enter")
        await pilot.pause()
        text = drawn(app)
    assert "ctrl+f pour fusionner" in text, text
    assert "Proche de #16" in text


async def test_a_long_field_shows_its_start_once_left(demo: Path) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await goto("setup")(pilot)
        field = app.screen.query_one("#f-question", Input)
        field.focus()
        await pilot.press("end")
        await pilot.pause()
        assert field.scroll_offset.x > 0
        await pilot.press("tab")
        await pilot.pause()
        assert field.scroll_offset.x == 0
        assert "Comment rendre notre quotidien" in drawn(app)


# --------------------------------------------------------------------------- one name per phase


@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_a_phase_has_one_name_at_every_width(demo: Path, width: int) -> None:
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=(width, 24)) as pilot:
        await goto("summary")(pilot)
        top = drawn(app).splitlines()[0]
    assert "Compte rendu" in top and "Synthèse" not in top
    assert "Idées" not in top and "Regroup." not in top


async def test_lists_of_ideas_say_one_or_many(demo: Path) -> None:
    folder = SessionFolder(demo)
    session_id = folder.create("Vide", lang="fr")
    app = create_app(demo, "fr", open_session=session_id)
    async with app.run_test(size=SMALL) as pilot:
        await goto("clustering")(pilot)
        text = drawn(app)
    assert "Idées placées : 0 sur 0" in text
    english = i18n.plural("en", 1, "{count} suggestion", "{count} suggestions")
    assert english == "1 suggestion"


@pytest.mark.parametrize(
    "scenario", ["dissolve-cluster", "cancel-main-vote", "merge-cluster-picker"]
)
async def test_english_dialogs_quote_with_english_quotes(demo: Path, scenario: str) -> None:
    app = create_app(demo, "en", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await DIALOGS[scenario](pilot)
        text = drawn(app)
    assert "“" in text and "«" not in text, text


async def test_english_similar_hint_quotes_with_english_quotes(demo: Path) -> None:
    app = create_app(demo, "en", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await goto("ideation")(pilot)
        app.screen.query_one("#idea-input", Input).value = "Dire merci aux agents d'accueil"
        await pilot.press("enter")
        await pilot.pause()
        text = drawn(app)
    assert "Close to #16 “" in text and "ctrl+f to merge" in text, text


async def test_the_report_on_screen_never_starts_a_line_with_french_punctuation(
    demo: Path,
) -> None:
    """Textual's Markdown collapses every space, no-break ones too: « bienveillant ? » once
    ended one line and put « ? » alone on the next."""
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await goto("summary")(pilot)
        await pilot.pause()
        text = drawn(app)
    assert "bienveillant ?" in text
    orphans = [line for line in text.splitlines() if re.match(r"^\s*[?:;!»]", line)]
    assert not orphans, orphans


async def test_an_export_folder_typed_from_tilde_is_in_the_home_folder(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder typed « ~/… » is in the home folder, as in a shell; never a folder named
    « ~ » under the working folder (as once happened)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    app = create_app(demo, "fr", open_session=DEMO_ID)
    async with app.run_test(size=SMALL) as pilot:
        await press("x", phase="summary")(pilot)
        field = app.screen.query_one("#export-folder", TextField)
        field.value = "~/rapports"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = drawn(app)
    written = sorted(p.suffix for p in (home / "rapports").iterdir())
    assert written == [".html", ".md", ".odt"]
    assert not (tmp_path / "~").exists() and "rapports :" in text
