"""Paper for rooms without screens (issue 14 item 6): ballot sheets and idea cards as ODT,
numbered as the tally screen numbers them, never overwriting a file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from atelier import clock, model
from atelier.cli import main
from atelier.demo import demo_session
from atelier.errors import AtelierError
from atelier.export import paper
from atelier.model import Session
from atelier.store import SessionFolder

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


@pytest.fixture(autouse=True)
def _restore_clock() -> Iterator[None]:
    yield
    clock.freeze(None)


@pytest.fixture
def demo() -> Session:
    return demo_session()


def content(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("content.xml"))


def paragraphs(root: etree._Element, style: str) -> list[str]:
    return [
        "".join(p.itertext())
        for p in root.iter(f"{{{TEXT}}}p")
        if p.get(f"{{{TEXT}}}style-name") == style
    ]


def rows(root: etree._Element) -> list[list[str]]:
    return [
        ["".join(cell.itertext()) for cell in row.iter(f"{{{TABLE}}}table-cell")]
        for row in root.iter(f"{{{TABLE}}}table-row")
    ]


def test_dot_ballots_one_page_per_participant_numbered_as_the_tally_screen(demo: Session) -> None:
    from atelier.screens.vote import option_name

    assert demo.main_round is not None and demo.main_round.method == "dot"
    demo = replace(demo, rounds=(demo.main_round,))  # the dot vote, before the later ones
    root = content(paper.ballots_document(demo))
    titles = paragraphs(root, paper.FIRST_SHEET) + paragraphs(root, paper.SHEET)
    assert len(titles) == len(demo.participants) == 8  # each sheet on its own page
    text = "".join(root.itertext())
    assert all(f"Participant\u00a0: {p.name}" in text for p in demo.participants)
    assert "Vous avez 6 gommettes\u00a0: cochez une case par gommette, au plus 3" in text
    main_round = demo.main_round
    assert main_round is not None
    expected = [
        [str(n), option_name(demo, key), "☐ ☐ ☐"]
        for n, key in enumerate(main_round.options, start=1)
    ]
    first_sheet = rows(root)[: len(expected) + 1]
    assert first_sheet[0] == ["N°", "Option", "Gommettes"]
    assert first_sheet[1:] == expected


def test_majority_judgment_ballots_are_a_grid_of_options_and_grades(demo: Session) -> None:
    before_vote = model.configure_vote(
        replace(demo, rounds=(), decisions=(), decisions_set=False), method="mj"
    )
    root = content(paper.ballots_document(before_vote, count=3))
    text = "".join(root.itertext())
    assert "1 / 3" in text and "3 / 3" in text and "Awa" not in text  # blank, unnamed
    grades = model.grades_for(before_vote)
    header = rows(root)[0]
    assert header == ["N°", "Option", *grades]
    body = rows(root)[1 : len(before_vote.vote_options()) + 1]
    assert [row[0] for row in body] == [str(n) for n in range(1, len(body) + 1)]
    assert all(row[2:] == ["☐"] * len(grades) for row in body)
    assert f"compte comme «\u00a0{grades[-1]}\u00a0»" in text


def test_ballots_of_a_run_off_and_of_ideas_keep_the_screen_numbers() -> None:
    s = model.new_session("x", "Atelier", vote=model.VoteSettings(target="ideas"))
    for text in ("Vélos [/]", "<b>Trams</b>", "# Parcs"):
        s = model.add_idea(s, text)
    s = model.set_tally(model.set_voters(model.start_vote(s), 1, 2), 1, "idea:1", [1])
    s = model.set_tally(s, 1, "idea:3", [1])
    s = model.start_runoff(model.close_round(s, 1), 1, ["idea:3", "idea:1"])
    ballot = paper.ballot_paper(s)
    assert ballot.title == "Vote de départage 1"
    assert ballot.options == ("#3 # Parcs", "#1 Vélos [/]")  # hostile text stays text


def test_ballot_counts_are_checked(demo: Session) -> None:
    anonymous = model.update_setup(demo, anonymous=True, participant_count=5)
    root = content(paper.ballots_document(anonymous))
    assert len(paragraphs(root, paper.SHEET)) == 4  # 5 sheets: the count of the session
    nobody = model.new_session("x", "Atelier")
    nobody = model.add_idea(nobody, "Une idée")
    nobody = model.configure_vote(nobody, target="ideas")
    for count in (None, 0, 10_000):
        with pytest.raises(AtelierError, match="--count"):
            paper.ballots_document(nobody, count=count)
    with pytest.raises(AtelierError, match="Nothing to vote on"):
        paper.ballots_document(model.new_session("y", "Vide"), count=2)


def test_idea_cards_eight_to_a_page_with_their_numbers(demo: Session) -> None:
    root = content(paper.cards_document(demo))
    tables = list(root.iter(f"{{{TABLE}}}table"))
    assert len(tables) == 3  # 17 ideas: 8 + 8 + 1
    assert [t.get(f"{{{TABLE}}}style-name") for t in tables] == [
        paper.CARD_TABLE,
        paper.CARD_TABLE_NEXT,
        paper.CARD_TABLE_NEXT,
    ]
    numbers = paragraphs(root, paper.CARD_NUMBER)
    assert numbers == [f"#{idea.id}" for idea in demo.ideas]
    assert "Se dire bonjour le matin, dans tous les services" in paragraphs(root, paper.CARD_TEXT)
    long = model.add_idea(demo, "x" * 1000)
    texts = paragraphs(content(paper.cards_document(long)), paper.CARD_TEXT)
    assert max(len(t) for t in texts) == paper.CARD_TEXT_MAX and texts[-1].endswith("…")
    with pytest.raises(AtelierError):
        paper.cards_document(model.new_session("x", "Vide"))


def test_print_never_overwrites_and_says_where(demo: Session, tmp_path: Path) -> None:
    first = paper.print_cards(demo, tmp_path)
    first.write_bytes(b"annotated by hand")
    second = paper.print_cards(demo, tmp_path)
    assert first != second and first.read_bytes() == b"annotated by hand"
    assert second.name.endswith("-fiches-2.odt")
    assert paper.print_ballots(demo, tmp_path).name.endswith("-bulletins.odt")
    with pytest.raises(AtelierError, match="does not exist"):
        paper.print_cards(demo, tmp_path / "missing")


def test_print_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = SessionFolder(tmp_path / "sessions")
    session_id = folder.save_new(demo_session())
    clock.freeze(None)
    out = tmp_path / "out"
    out.mkdir()
    base = ["--dir", str(folder.root), "--lang", "en", "print", session_id]
    assert main([*base, "ballots", "-o", str(out), "--count", "2"]) == 0
    assert main([*base, "cards", "-o", str(out)]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).parent for p in written] == [out, out]
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in written)
    assert main([*base, "cards", "-o", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main([*base, "ballots", "-o", str(out), "--count", "0"]) == 1
    assert "Traceback" not in capsys.readouterr().err
