"""The report a facilitator sends (issue 14 items 3–4): header, decisions, parking and notes,
numbered ideas with their cluster's result, actions by due date, an anonymous report that
names nobody in any format, e-mail-wide Markdown, and an ODT that LibreOffice renders as if
made by hand (checked through odfdo, and through LibreOffice itself when installed)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from odfdo import Document
from test_summary import NBSP, english_workshop, french_workshop

from atelier import clock, codec, export, i18n, model
from atelier.cli import main
from atelier.demo import demo_session
from atelier.errors import AtelierError
from atelier.export import markdown, odt
from atelier.export.paper import ballots_document, cards_document
from atelier.export.synthesis import synthesis_report
from atelier.model import Session
from atelier.store import SessionFolder
from atelier.summary import Heading, Table, anonymized, build_summary, summary_report

NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    yield
    clock.freeze(None)
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(scope="module")
def french() -> Session:
    session = french_workshop()
    clock.freeze(None)
    return session


def markdown_of(session: Session, **options: bool) -> str:
    return export.render(session, "md", **options).decode("utf-8")


# --------------------------------------------------------------------------- the header


def test_header_says_where_when_who_and_what_next(french: Session) -> None:
    text = markdown_of(french)
    header = text.split("\n## ")[0]
    assert f"- **Horaires{NBSP}:** 14:00 – 16:30" in header
    assert f"- **Lieu{NBSP}:** Salle des fêtes, 1er étage" in header
    assert f"- **Participants{NBSP}:** Awa Diallo, Bruno Lefèvre" in header
    assert f"- **Prochaine réunion{NBSP}:** Bilan le 15/01/2027" in header
    # The template is the title here, and the reader is reading the language: neither said.
    assert "Modèle" not in header and "Langue" not in header and "Français" not in header


def test_empty_header_fields_are_left_out_and_hours_read_naturally() -> None:
    bare = model.new_session("x", "Atelier")
    header = markdown_of(bare).split("\n## ")[0]
    assert "Horaires" not in header and "Lieu" not in header and "Prochaine" not in header
    assert "Animation" not in header and "Participants" not in header
    start_only = markdown_of(model.update_setup(bare, start_time="9h"))
    assert f"Horaires{NBSP}:** à partir de 09:00" in start_only
    en = model.update_setup(model.new_session("y", "Workshop", lang="en"), end_time="17:00")
    assert "- **Hours:** until 17:00" in markdown_of(en)
    template = model.new_session("z", "Budget 2027", template="contexte-financier")
    assert "Modèle" in markdown_of(template)  # a template the title does not name


def test_timing_table_only_when_phases_were_timed(french: Session) -> None:
    assert "## Temps par phase" in markdown_of(french)
    untimed = model.new_session("x", "Atelier")
    text = markdown_of(untimed)
    assert "Temps par phase" not in text and "Temps" not in text


# --------------------------------------------------------------------------- the body


def test_decisions_come_first_with_their_actions(french: Session) -> None:
    report = summary_report(build_summary(french))
    headings = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings[0] == "Décisions / priorités retenues"
    (decision,) = build_summary(french).decisions.items  # the run-off broke the tie
    assert decision.text == "Se saluer, accueillir"
    assert [a.what for a in decision.actions] == ["Organiser un café d'accueil mensuel"]


def test_ideas_carry_their_number_and_clusters_their_result(french: Session) -> None:
    text = markdown_of(french)
    cluster = text.split("### Se saluer, accueillir (3)")[1].split("###")[0]
    assert f"*Vote{NBSP}: rang 1, 5 gommettes*" in cluster
    assert "- #1 Dire bonjour à chaque collègue le matin" in cluster
    assert "- #7 Un « café d'accueil »" in cluster
    page = export.render(french, "html").decode("utf-8")
    assert '<strong class="mark">#7</strong> Un « café d&#x27;accueil »' in page
    assert "#7 Un « café d'accueil »" in _text_of("odt", export.render(french, "odt")).replace(
        '<text:span text:style-name="Strong_20_Emphasis">#7</text:span>', "#7"
    )
    english = markdown_of(english_workshop())  # a vote on ideas: the result is per idea
    assert "- #2 Thank people — *Vote: rank 2, Good*" in english


def test_actions_are_sorted_by_due_date_undated_last() -> None:
    s = model.new_session("x", "Atelier")
    for what, due in (("Late", "2027-06-01"), ("Someday", None), ("Soon", "2026-12-01")):
        s = model.add_action(s, what, "", due)
    lines = build_summary(s).actions
    assert [(a.number, a.what) for a in lines] == [(1, "Soon"), (2, "Late"), (3, "Someday")]


def test_parking_notes_and_quotes_reach_every_format(french: Session, tmp_path: Path) -> None:
    for fmt in ("md", "html", "odt", "csv", "json"):
        data = export.render(french, fmt)
        text = _text_of(fmt, data)
        if fmt in ("md", "html", "odt"):
            assert "Le parking des agents" in text, fmt
            assert "On se sent enfin écoutés" in text, fmt
            assert "Reparler du télétravail" in text, fmt
    assert "Le parking des agents \\| \\# trop petit" in markdown_of(french)  # escaped


def test_markdown_tables_fit_an_email_and_long_texts_wrap_outside(french: Session) -> None:
    text = markdown_of(demo_session())
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert table_lines and max(len(line) for line in table_lines) <= markdown.TABLE_WIDTH
    actions = text.split("## Plan d’action")[1].split("##")[0]
    assert "1. Rédiger et diffuser un livret d'accueil des nouveaux agents — " in actions
    assert f"Responsable{NBSP}: Chloé · Échéance{NBSP}: 15/12/2026" in actions
    long = model.add_idea(french, "Une idée " + "très " * 60 + "longue")
    fresh = replace(long, rounds=(), decisions=(), decisions_set=False)
    ranked = model.start_vote(model.configure_vote(fresh, target="ideas"))
    assert "très très" in markdown_of(ranked).split("\n## Vote\n")[1]
    assert all(len(line) <= 78 for line in markdown_of(ranked).splitlines() if line[:1] == "|")


# --------------------------------------------------------------------------- anonymous


def _names(session: Session) -> set[str]:
    names = {p.name for p in session.participants}
    return names | {part for name in names for part in name.split() if len(part) >= 3}


def _text_of(fmt: str, data: bytes) -> str:
    if fmt != "odt":
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".svg", ".rdf"))
        )


@pytest.mark.parametrize("build", [french_workshop, demo_session], ids=["french", "demo"])
def test_an_anonymous_report_names_no_participant_in_any_format(build: object) -> None:
    session = build()  # type: ignore[operator]
    # A name typed inside a text (an idea, an action, a note) is hidden too.
    session = model.add_idea(session, f"Merci à {session.participants[0].name.upper()} !")
    session = model.add_note(session, f"Demander à {session.participants[1].name}", "note")
    names = _names(session)
    assert names
    for fmt in export.FORMATS:
        plain = _text_of(fmt, export.render(session, fmt))
        assert any(name in plain for name in names), fmt  # the normal report names them
        text = _text_of(fmt, export.render(session, fmt, anonymous=True)).casefold()
        found = [name for name in names if re.search(rf"\b{re.escape(name.casefold())}\b", text)]
        assert not found, (fmt, found)
    hidden = anonymized(session)
    assert hidden.participants == () and hidden.anonymous
    assert hidden.participant_count == len(session.participants)
    assert all(i.author_id is None for i in hidden.ideas)
    assert all(a.owner == "" for a in hidden.actions)
    assert "Merci à […] !" in [i.text for i in hidden.ideas]
    # an anonymous JSON export imports cleanly
    assert codec.from_document(codec.to_document(hidden), hidden.id) == hidden


def test_anonymous_export_from_the_cli_every_format(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path / "sessions")
    session = french_workshop()
    clock.freeze(None)
    session_id = folder.save_new(session)
    out = tmp_path / "out"
    out.mkdir()
    args = ["--dir", str(folder.root), "export", session_id, "--all", "-o", str(out)]
    assert main([*args, "--anonymous"]) == 0
    written = sorted(out.iterdir())
    assert len(written) == len(export.FORMATS)
    assert all("-anonymous." in p.name or "-anonyme." in p.name for p in written)
    for path in written:
        text = _text_of(path.suffix[1:], path.read_bytes()).casefold()
        assert not [n for n in _names(session) if n.casefold() in text], path.name
    assert main([*args, "--anonymous"]) == 0  # again: new names, nothing overwritten
    assert len(list(out.iterdir())) == 2 * len(export.FORMATS)


# --------------------------------------------------------------------------- ODT structure


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        return {name: package.read(name) for name in package.namelist()}


ODT_NAMES = (
    "report-fr",
    "report-en",
    "report-demo",
    "anonymous",
    "synthesis",
    "ballots-dot",
    "ballots-mj",
    "cards",
)


@cache
def odt_files() -> dict[str, bytes]:
    """Every kind of ODT atelier writes, built once for the module's tests."""
    files = dict(every_odt())
    assert tuple(files) == ODT_NAMES
    return files


def every_odt() -> Iterator[tuple[str, bytes]]:
    french, english, demo = french_workshop(), english_workshop(), demo_session()
    clock.freeze(None)
    yield "report-fr", export.render(french, "odt")
    yield "report-en", export.render(english, "odt")
    yield "report-demo", export.render(demo, "odt")
    yield "anonymous", export.render(demo, "odt", anonymous=True)
    yield "synthesis", odt.render_report(synthesis_report([french, english], title=None, lang="fr"))
    yield "ballots-dot", ballots_document(demo)
    mj = model.configure_vote(
        replace(demo, rounds=(), decisions=(), decisions_set=False), method="mj"
    )
    yield "ballots-mj", ballots_document(mj, count=3)
    yield "cards", cards_document(demo)


def check_odt(data: bytes, tmp_path: Path) -> Document:
    """Valid package, every used style defined, no numbering, real lists, regular tables."""
    parts = _parts(data)
    manifest = etree.fromstring(parts["META-INF/manifest.xml"])
    listed = {
        e.get(f"{{{NS['manifest']}}}full-path")
        for e in manifest.iter(f"{{{NS['manifest']}}}file-entry")
    }
    own = [n for n in parts if not n.endswith("/") and not n.startswith("Configurations2/")]
    assert all(n in listed for n in own if n not in ("mimetype", "META-INF/manifest.xml"))
    content = etree.fromstring(parts["content.xml"])
    styles = etree.fromstring(parts["styles.xml"])
    defined = {
        e.get(f"{{{NS['style']}}}name")
        for root in (content, styles)
        for e in root.iter()
        if e.get(f"{{{NS['style']}}}name")
    }
    used = {
        value
        for e in content.iter()
        for key, value in e.attrib.items()
        if key.endswith("}style-name")
    }
    assert used <= defined, used - defined
    # No heading numbering: every outline level formats no number.
    for level in styles.iter(f"{{{NS['text']}}}outline-level-style"):
        assert level.get(f"{{{NS['style']}}}num-format") == ""
    # Lists: a list style whose labels sit in their own indent, followed by a tab.
    for listing in content.iter(f"{{{NS['text']}}}list"):
        name = listing.get(f"{{{NS['text']}}}style-name")
        if name is None:  # a nested list continues its parent's style
            continue
        (style,) = [
            s
            for s in styles.iter(f"{{{NS['text']}}}list-style")
            if s.get(f"{{{NS['style']}}}name") == name
        ]
        alignment = style.find(".//style:list-level-label-alignment", NS)
        assert (
            alignment is not None
            and alignment.get(f"{{{NS['text']}}}label-followed-by") == "listtab"
        )
        assert all(item.tag == f"{{{NS['text']}}}list-item" for item in listing)
    # Tables: as many cells per row as declared columns, each column with a width.
    for table in content.iter(f"{{{NS['table']}}}table"):
        columns = table.findall("table:table-column", NS)
        declared = sum(
            int(c.get(f"{{{NS['table']}}}number-columns-repeated", "1")) for c in columns
        )
        for row in table.iter(f"{{{NS['table']}}}table-row"):
            assert len(row.findall("table:table-cell", NS)) == declared
    # Pictures are in the package.
    for image in content.iter(f"{{{NS['draw']}}}image"):
        assert image.get(f"{{{NS['xlink']}}}href") in parts
    path = tmp_path / "check.odt"
    path.write_bytes(data)
    return Document(path)


@pytest.mark.parametrize("name", ODT_NAMES)
def test_every_odt_opens_with_odfdo_with_styles_lists_and_tables(name: str, tmp_path: Path) -> None:
    data = odt_files()[name]
    document = check_odt(data, tmp_path)
    assert document.get_type() == "text"
    if name.startswith(("report", "anonymous")):
        first = document.body.get_paragraphs()[0]
        assert first.style == "Title"  # the title is not a (numbered) heading
        assert document.body.get_lists()


def test_report_odt_column_widths_follow_the_content() -> None:
    block = Table(
        ("No.", "Action", "Owner", "Due date"),
        (
            (
                "1",
                "Write and send a welcome booklet to every new colleague",
                "Reconnaissance",
                "15/12/2026",
            ),
        ),
        (True, False, False, False),
    )
    widths = odt.column_widths(block)
    assert abs(sum(widths) - odt.PAGE_WIDTH_CM) < 0.01
    assert widths[1] == max(widths) and widths[0] == min(widths)
    assert widths[2] >= len("Reconnaissance") * odt.WORD_CM  # never « Reconnaissanc e »


def test_report_odt_embeds_the_vote_charts_as_svg_pictures() -> None:
    parts = _parts(export.render(demo_session(), "odt"))
    pictures = [name for name in parts if name.startswith("Pictures/")]
    assert pictures == [f"Pictures/chart{n}.svg" for n in range(1, len(pictures) + 1)]
    assert len(pictures) == len(demo_session().rounds)  # one chart per vote
    svg = etree.fromstring(parts["Pictures/chart1.svg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    manifest = etree.fromstring(parts["META-INF/manifest.xml"])
    media = {
        e.get(f"{{{NS['manifest']}}}full-path"): e.get(f"{{{NS['manifest']}}}media-type")
        for e in manifest
    }
    assert media["Pictures/chart1.svg"] == "image/svg+xml"


# --------------------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) is missing: .ci/run installs libreoffice-writer-nogui"
            )
        pytest.skip("LibreOffice is not installed")
    return found


def test_libreoffice_renders_the_demo_report_as_made_by_hand(tmp_path: Path) -> None:
    soffice = _soffice()
    source = tmp_path / "demo.odt"
    source.write_bytes(export.render(demo_session(), "odt"))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
        ).stdout.decode("utf-8")
    else:  # pragma: no cover - poppler-utils comes with .ci/run
        pytest.fail("pdftotext (poppler-utils) is missing")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "La bienveillance au travail – service Population"  # not « 1. La… »
    assert not [line for line in lines if re.match(r"^\d+(\.\d+)+\.?\S", line)]  # « 1.4.1.Rel… »
    assert not [line for line in lines if re.match(r"^[•◦]\S", line)]  # « •Awa »
    assert "Décisions / priorités retenues" in lines
    assert any(re.match(r"^•\s+#1\s+Se dire bonjour", line) for line in lines)
    for word in ("Reconnaissance", "Gommettes", "Responsable", "Échéance"):
        assert word[:-1] not in text.replace(word, ""), word  # no word cut in a cell


@pytest.mark.parametrize(
    ("table", "change", "message"),
    [
        ("meta", {"place": 42}, "meta: place must be a text"),
        ("meta", {"next_meeting": ["?"]}, "meta: next_meeting must be a text"),
        ("meta", {"end_time": 930}, "meta: end_time must be a text"),
        ("meta", {"start_time": "25h"}, "meta: start_time is not a time of day"),
        ("notes", {"text": 12345}, "notes #1: text must be a text"),
        ("notes", {"kind": "rumour"}, "notes #1: kind: unknown value"),
        ("notes", {"phase": "no such phase"}, "notes #1: phase: unknown value"),
    ],
)
def test_a_hand_edited_header_or_note_is_refused_by_name(
    table: str, change: dict[str, object], message: str
) -> None:
    session = model.add_note(model.new_session("x", "Atelier"), "Parking")
    document = codec.to_document(session)
    document[table]["1"].update(change)
    with pytest.raises(AtelierError, match=message):
        codec.from_document(document, "x")


def test_hand_typed_times_and_multiline_notes_are_read_as_atelier_writes_them() -> None:
    session = model.add_note(model.new_session("x", "Atelier"), "Ligne 1\nLigne 2", "quote")
    document = codec.to_document(session)
    document["meta"]["1"].update(start_time="9h30", end_time="")
    read = codec.from_document(document, "x")
    assert (read.start_time, read.end_time) == ("09:30", "")
    assert read.notes[0].text == "Ligne 1\nLigne 2"
    for fmt in export.FORMATS:
        assert export.render(read, fmt)
