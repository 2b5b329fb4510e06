"""Exports: golden files for every format, each read back by a real parser, hostile texts,
safe file names, never overwriting, the French catalog and the UI-free layering."""

from __future__ import annotations

import ast
import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree
from markdown_it import MarkdownIt
from odfdo import Document
from test_summary import NBSP, at, check_golden, english_workshop, french_workshop

from atelier import atomicio, clock, codec, export, i18n, model
from atelier.errors import AtelierError
from atelier.export import csvfile, jsonfile
from atelier.export.markdown import escape
from atelier.model import Session

SRC = Path(__file__).parents[1] / "src" / "atelier"
MY_SOURCES = [*sorted((SRC / "summary").glob("*.py")), *sorted((SRC / "export").glob("*.py"))]

HOSTILE = (
    "=SUM(A1:A9)",
    "+33 1 23 45 67 89",
    "-2+3",
    "@cmd",
    "<script>alert('x')</script>",
    "<b>bold</b> & <i>entity &amp;</i>",
    "[bold red]rich[/] [/] [link=https://x]",
    "**not bold** _not em_ `code` # not a title | pipe",
    "1. not a list",
    "Fête 🎉 des équipes — ça marche ! 👩🏽‍💻",
    "x" * 5000,
)


@pytest.fixture(autouse=True)
def _restore_clock() -> Iterator[None]:
    yield
    clock.freeze(None)
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def french() -> Session:
    return french_workshop()


@pytest.fixture
def english() -> Session:
    return english_workshop()


def hostile_session() -> Session:
    """Hostile texts everywhere a person can type, built past the model's limits (a
    5,000-character idea) with dataclasses.replace; the vote is on ideas."""
    at(10, 0)
    s = model.new_session("hostile", "Atelier <script>")
    s = model.update_setup(s, facilitator="=HYPERLINK(1)", question="[/] <i>?</i>")
    s = model.add_participant(s, "@moi <b>")
    s = model.add_cluster(s, "<h1>cluster</h1> =1+1")
    ideas = tuple(
        model.Idea(n, text, "2026-11-25T10:00:00+01:00", 1, 1 if n % 2 else None, (text,))
        for n, text in enumerate(HOSTILE, start=1)
    )
    s = replace(s, ideas=ideas, seq={**s.seq, "ideas": len(ideas)})
    s = model.configure_vote(s, target="ideas", dots_per_voter=3)
    s = model.start_vote(s)
    s = model.set_tally(s, 1, "idea:5", [1])
    for n, text in enumerate(HOSTILE[:4], start=1):
        s = model.add_action(s, text, "+owner", None, f"idea:{n}")
    return s


# --------------------------------------------------------------------------- readers


def markdown_tokens(data: bytes) -> list:
    return MarkdownIt("commonmark").enable("table").parse(data.decode("utf-8"))


class Page(HTMLParser):
    """Collects start tags and the text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def open_odt(data: bytes, tmp_path: Path) -> Document:
    path = tmp_path / "report.odt"
    path.write_bytes(data)
    return Document(path)


def odt_content(data: bytes) -> str:
    """content.xml, indented for a readable golden diff."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("content.xml"))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def csv_sections(data: bytes, delimiter: str = ";") -> list[list[list[str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    blank = rows.index([])
    return [rows[:blank], rows[blank + 1 :]]


# --------------------------------------------------------------------------- golden files


def test_golden_files_for_every_format(french: Session, english: Session) -> None:
    check_golden("summary-fr.md", export.render(french, "md"))
    check_golden("summary-fr.html", export.render(french, "html"))
    check_golden("summary-fr.odt.xml", odt_content(export.render(french, "odt")))
    check_golden("summary-fr.csv", export.render(french, "csv"))
    check_golden("summary-fr.json", export.render(french, "json"))
    check_golden("summary-en.md", export.render(english, "md"))
    check_golden("summary-en.html", export.render(english, "html"))
    check_golden("summary-en.csv", export.render(english, "csv"))


def test_golden_synthesis(french: Session, english: Session, tmp_path: Path) -> None:
    for fmt in export.SYNTHESIS_FORMATS:
        path = export.export_synthesis(
            [french, english], fmt, tmp_path, title="Gouvernance : 2 groupes", lang="fr"
        )
        assert path.name == f"gouvernance-2-groupes-2026-11-25.{fmt}"
        data = path.read_bytes()
        name = f"synthesis.{fmt}.xml" if fmt == "odt" else f"synthesis.{fmt}"
        check_golden(name, odt_content(data) if fmt == "odt" else data)


def test_every_format_is_deterministic(french: Session) -> None:
    for fmt in export.FORMATS:
        assert export.render(french, fmt) == export.render(french, fmt), fmt


# --------------------------------------------------------------------------- real parsers


def test_markdown_parses_with_tables_and_headings(french: Session) -> None:
    tokens = markdown_tokens(export.render(french, "md"))
    kinds = [t.type for t in tokens]
    assert kinds.count("table_open") == 3  # two rounds, phases; the actions are too wide
    titles = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert titles[0] == "La bienveillance au travail" and "Plan d’action" in titles


def test_html_is_self_contained_printable_and_escaped(french: Session, english: Session) -> None:
    data = export.render(french, "html")
    page = read_html(data)
    assert "script" not in page.tags
    assert any("<script>alert('x')</script> [bold]oups[/]" in t for t in page.text)
    assert not [v for k, v in page.attributes if k in ("src", "href")]  # nothing fetched
    text = data.decode()
    assert "@media print" in text and "page-break-inside: avoid" in text
    assert page.tags.count("svg") == 2 and "table" in page.tags
    merit = export.render(english, "html").decode()
    assert 'stroke-dasharray="4 3"' in merit  # the median line of the merit profiles


def test_odt_reopens_with_headings_tables_and_lists(french: Session, tmp_path: Path) -> None:
    data = export.render(french, "odt")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        manifest = package.read("META-INF/manifest.xml").decode()
        assert all(
            name in package.namelist() for name in re.findall(r'full-path="([^"/]+)"', manifest)
        )
    document = open_odt(data, tmp_path)
    headings = [h.text_recursive for h in document.body.headers]
    assert headings[0] == "Décisions / priorités retenues" and "Temps par phase" in headings
    title = document.body.get_paragraphs()[0]
    assert (title.style, title.text_recursive) == ("Title", "La bienveillance au travail")
    tables = document.body.get_tables()
    assert len(tables) == 5  # two rounds, the final ranking, actions, phases
    assert tables[-1].get_cell((0, 2)).text_recursive.strip() == "Règles"  # row 0: header
    assert document.body.get_lists()
    assert document.meta.get_title() == "La bienveillance au travail"
    assert document.get_language() == "fr-FR"


def test_csv_reads_back_with_both_tables(french: Session) -> None:
    ideas, actions = csv_sections(export.render(french, "csv"))
    assert ideas[0][:4] == ["Idée n°", "Idée", "Auteur", "Regroupement"]
    assert [
        "3",
        "Des managers formés à l'écoute active",
        "Chloé Nguyen, Awa Diallo",
        "Écouter",
    ] == ideas[4][:4]
    assert actions[-1][:2] == ["3", "'-Rédiger la charte"]
    assert len(ideas) == 7 and len(actions) == 4


def test_csv_bom_and_english_delimiter(english: Session) -> None:
    data = export.render(english, "csv", bom=True)
    assert data.startswith(b"\xef\xbb\xbf") and not export.render(english, "csv").startswith(
        b"\xef"
    )
    ideas, _actions = csv_sections(data, ",")
    assert ideas[1][1] == "Say hello 👋"


def test_json_round_trip_is_exact(french: Session, english: Session, tmp_path: Path) -> None:
    for session in (french, english):
        path = export.export_session(session, "json", tmp_path)
        back = export.read_json_export(path)
        assert codec.to_document(back) == codec.to_document(session)
        assert replace(back, id=session.id) == session


# --------------------------------------------------------------------------- hostile texts


def test_hostile_texts_survive_every_format(tmp_path: Path) -> None:
    session = hostile_session()
    rendered = {fmt: export.render(session, fmt) for fmt in export.FORMATS}

    html_out = MarkdownIt("commonmark").enable("table").render(rendered["md"].decode())
    assert "<script" not in html_out and "<b>" not in html_out and "<h1>cluster" not in html_out
    assert "&lt;script&gt;alert(" in html_out and "[bold red]rich[/]" in html_out
    assert "**not bold** _not em_ `code` # not a title | pipe" in html_out.replace("&quot;", '"')
    assert "<ol" not in html_out.split("Idées par regroupement")[1]

    page = read_html(rendered["html"])
    assert "script" not in page.tags and "h1" in page.tags and page.tags.count("h1") == 1
    text = "".join(page.text)
    assert all(h in text for h in HOSTILE)

    document = open_odt(rendered["odt"], tmp_path)
    odt_text = "\n".join(p.text_recursive for p in document.body.paragraphs)
    assert all(h in odt_text for h in HOSTILE)

    ideas, actions = csv_sections(rendered["csv"])
    cells = [cell for row in ideas[1:] + actions[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=SUM(A1:A9)" in cells and "'+owner" in cells and "x" * 5000 in cells

    with pytest.raises(AtelierError, match="hostile.json: ideas #11: The idea is too long"):
        jsonfile.parse(rendered["json"], "hostile.json")  # past the limits: refused on import
    cut = tuple(
        replace(i, text=i.text[: model.IDEA_MAX], merged=(i.text[: model.IDEA_MAX],))
        for i in session.ideas
    )
    within = replace(session, ideas=cut)
    back = jsonfile.parse(export.render(within, "json"), "hostile.json")
    assert codec.to_document(back) == codec.to_document(within)


def test_markdown_escape_keeps_text_as_text() -> None:
    assert escape("a|b <c> *d* [e](f) &amp; #g") == r"a\|b \<c\> \*d\* \[e\](f) \&amp; \#g"
    assert escape("- x", line_start=True) == r"\- x" and escape("- x") == "- x"
    assert escape("12. x", line_start=True) == r"12\. x"


def test_csv_neutralises_formula_starts() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csvfile.neutralise(f"{start}1") == f"'{start}1"
    assert csvfile.neutralise("a=1") == "a=1" and csvfile.neutralise(3) == "3"
    assert csvfile.neutralise(None) == ""


# --------------------------------------------------------------------------- files


def test_default_filenames_are_safe_ascii(french: Session) -> None:
    assert export.default_filename(french, "md") == "la-bienveillance-au-travail-2026-11-25.md"
    for title in ("../../etc/passwd", "CON", "🎉🎉", "a\\b:c*d?e"):
        name = export.default_filename(replace(french, title=title, date="../x"), "odt")
        assert re.fullmatch(r"[a-z0-9-]+\.odt", name), name
    assert export.default_filename(replace(french, title="🎉"), "csv") == "atelier-2026-11-25.csv"


def test_an_existing_file_is_never_overwritten(french: Session, tmp_path: Path) -> None:
    first = export.export_session(french, "md", tmp_path)
    second = export.export_session(french, "md", tmp_path)
    assert second.name == first.stem + "-2.md"
    chosen = tmp_path / "cr.md"
    chosen.write_text("keep me")
    written = export.export_session(french, "md", chosen)
    assert written == tmp_path / "cr-2.md" and chosen.read_text() == "keep me"
    assert export.export_session(french, "html", folder=tmp_path).parent == tmp_path


def test_export_errors_are_readable(french: Session, tmp_path: Path) -> None:
    with pytest.raises(AtelierError, match="does not exist"):
        export.export_session(french, "md", tmp_path / "missing" / "x.md")
    with pytest.raises(AtelierError, match="Unknown export format"):
        export.render(french, "pdf")
    with pytest.raises(AtelierError, match="Unknown export format"):
        export.export_synthesis([french], "csv", tmp_path, title=None, lang="en")
    with pytest.raises(AtelierError, match="at least one"):
        export.export_synthesis([], "md", tmp_path, title=None, lang="en")


def test_export_all_writes_every_format(french: Session, tmp_path: Path) -> None:
    paths = export.export_all(french, tmp_path / "new" / "folder")
    assert [p.suffix for p in paths] == [".md", ".html", ".odt", ".csv", ".json"]
    assert all(p.is_file() for p in paths)
    again = export.export_all(french, tmp_path / "new" / "folder")
    assert all(p.stem.endswith("-2") for p in again)


def test_write_new_falls_back_where_hard_links_are_unsupported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomicio.os, "link", no_links)
    path = atomicio.write_new(tmp_path / "a.md", b"one")
    assert path.read_bytes() == b"one"
    with pytest.raises(FileExistsError):
        atomicio.write_new(tmp_path / "a.md", b"two")
    assert path.read_bytes() == b"one" and sorted(os.listdir(tmp_path)) == ["a.md"]


def test_read_json_export_names_the_file_it_refuses(tmp_path: Path) -> None:
    cases = {
        "notes.json": b"not json {",
        "latin1.json": "é".encode("latin-1"),
        "other.json": b'{"name": "something else"}',
        "newer.json": json.dumps({"atelier": {"1": {"schema_version": 99}}, "meta": {}}).encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(AtelierError, match=re.escape(name)):
            export.read_json_export(path)
    with pytest.raises(AtelierError, match="newer atelier"):
        export.read_json_export(tmp_path / "newer.json")
    with pytest.raises(AtelierError, match="missing.json"):
        export.read_json_export(tmp_path / "missing.json")


def test_synthesis_consolidates_actions_by_due_date(french: Session, english: Session) -> None:
    data = export.synthesis.synthesis_report([french, english], title=None, lang="en")
    assert data.title == "Synthesis of 2 workshops"
    table = [b for b in data.blocks if isinstance(b, export.synthesis.Table)]
    actions = next(t for t in table if t.headers[0] == "Action")
    assert [row[2] for row in actions.rows] == ["2026-12-04", "2027-01-15", "2027-03-31", ""]
    totals = table[-1]
    assert totals.footer[:5] == ("Total", "", "9", "9", "4")


# --------------------------------------------------------------------------- catalog, layers


def _msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_every_export_msgid_has_one_french_translation() -> None:
    used = set().union(*map(_msgids, MY_SOURCES))
    catalogs = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in (SRC / "locales" / "fr").glob("*.json")
    }
    ours = catalogs["export.json"]
    assert not used - set(i18n.catalog("fr")), "untranslated"
    everywhere = set().union(*(_msgids(p) for p in SRC.rglob("*.py")))
    assert not set(ours) - everywhere, "stale entries in export.json"
    for name, other in catalogs.items():
        clashes = {k for k in set(ours) & set(other) if ours[k] != other[k]}
        assert not clashes, f"export.json and {name} translate {clashes} differently"


def test_french_typography_in_the_catalog() -> None:
    """A no-break space before ; : ! ? % and inside « », the same placeholders."""
    ours = json.loads((SRC / "locales" / "fr" / "export.json").read_text(encoding="utf-8"))
    for msgid, french in ours.items():
        for match in re.finditer(r"[;:!?%»]", french):
            assert french[match.start() - 1] == NBSP, (msgid, french)
        for match in re.finditer("«", french):
            assert french[match.end()] == NBSP, (msgid, french)
        assert sorted(re.findall(r"\{\w+\}", msgid)) == sorted(re.findall(r"\{\w+\}", french))


def test_exports_never_import_textual_or_rich() -> None:
    code = (
        "import sys, atelier.export, atelier.summary\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=SRC.parents[1])
