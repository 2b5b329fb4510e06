"""Paper for rooms without screens: ballot sheets for the current vote, idea cards for a wall.

Both are ODT files built with the report's styles. The numbers printed are the ones the
vote screen shows (options 1…n in the round's order, ideas #12), so what the room writes
on paper is typed into the tally as it is. Files are never overwritten
(:func:`atelier.export.write_free` → :func:`atomicio.write_new`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from odfdo import Document, Style

from atelier import i18n, voting
from atelier.errors import AtelierError
from atelier.export import odt, write_free
from atelier.export.odt import _append_text, _paragraph, _span, _styled, _sub
from atelier.i18n import plural, translator
from atelier.model import Session, VoteRound, grades_for
from atelier.summary import clean

CARDS_PER_PAGE = 8  # 2 columns × 4 rows of A4
CARD_COLUMNS = 2
CARD_TEXT_MAX = 280  # characters on a card; longer ideas end with « … »
MAX_SHEETS = 500
BOX = "☐"
SHEET = "Paper_sheet"  # a sheet's title, starting a new page
FIRST_SHEET = "Paper_first"
BOX_TEXT = "Paper_box"
CARD_NUMBER = "Paper_card_number"
CARD_TEXT = "Paper_card_text"
CARD_CLUSTER = "Paper_card_cluster"
CARD_TABLE = "Paper_cards"
CARD_TABLE_NEXT = "Paper_cards_next"
CARD_ROW = "Paper_card_row"
CARD_CELL = "Paper_card_cell"
NAMES = {"ballots": {"fr": "bulletins", "en": "ballots"}, "cards": {"fr": "fiches", "en": "cards"}}


@dataclass(frozen=True, slots=True)
class BallotPaper:
    """What one ballot sheet asks: the current vote's numbered options and its rules."""

    title: str  # « Main vote », « Run-off 1 »
    method: str  # "dot" or "mj"
    options: tuple[str, ...]  # labels, in the tally screen's order (numbered from 1)
    dots: int
    cap: int
    grades: tuple[str, ...]  # best first


def current_round(session: Session) -> VoteRound | None:
    """The round being collected: the latest open one, else the latest one."""
    open_rounds = [r for r in session.rounds if not r.closed_at]
    if open_rounds:
        return max(open_rounds, key=lambda r: r.id)
    return max(session.rounds, key=lambda r: r.id) if session.rounds else None


def _option_label(session: Session, key: str) -> str:
    kind, _sep, number = key.partition(":")
    label = clean(session.option_label(key)).replace("\n", " ")
    return f"#{number} {label}" if kind == "idea" else label


def ballot_paper(session: Session) -> BallotPaper:
    """The current round's ballot, or, before the vote starts, the one its settings make."""
    _ = translator(session.lang)
    vote_round = current_round(session)
    if vote_round is not None:
        keys = vote_round.options
        runoffs = [r.id for r in session.rounds if r.parent_id is not None]
        title = _("Main vote")
        if vote_round.parent_id is not None:
            title = _("Run-off {number}").format(number=runoffs.index(vote_round.id) + 1)
        method, dots, cap = vote_round.method, vote_round.dots_per_voter, vote_round.max_per_option
        grades = vote_round.grades
    else:
        keys = session.vote_options()
        title, method = _("Main vote"), session.vote.method
        dots = session.vote.dots_per_voter or voting.default_dots_per_voter(len(keys))
        cap, grades = session.vote.max_per_option, grades_for(session)
    if not keys:
        raise AtelierError(i18n._("Nothing to vote on yet: add ideas, or put ideas into clusters."))
    labels = tuple(_option_label(session, key) for key in keys)
    return BallotPaper(title, method, labels, dots, cap, tuple(clean(g) for g in grades))


def _font(size: str, *, bold: bool = False, italic: bool = False) -> dict[str, str]:
    props = {"fo:font-size": size, "style:font-size-asian": size, "style:font-size-complex": size}
    if bold:
        props["fo:font-weight"] = "bold"
    if italic:
        props["fo:font-style"] = "italic"
    return props


def _paper_styles(document: Document) -> None:
    """Automatic styles of the sheets: page breaks, tick boxes, cards."""
    paragraph: list[tuple[str, str, dict[str, str], dict[str, str]]] = [
        (SHEET, odt.TITLE, {"fo:break-before": "page"}, {}),
        (FIRST_SHEET, odt.TITLE, {}, {}),
        (BOX_TEXT, odt.CELL_TEXT, {"fo:text-align": "center"}, _font("16pt")),
        (CARD_NUMBER, "Standard", {"fo:margin-bottom": "0.2cm"}, _font("22pt", bold=True)),
        (CARD_TEXT, "Standard", {"fo:line-height": "115%"}, _font("16pt")),
        (CARD_CLUSTER, "Standard", {"fo:margin-top": "0.3cm"}, _font("10pt", italic=True)),
    ]
    for name, parent, props, text in paragraph:
        style = Style("paragraph", name, parent_style=parent)
        if props:
            style.set_properties(props)
        if text:
            style.set_properties(text, area="text")
        document.insert_style(style, automatic=True)
    for name, brk in ((CARD_TABLE, "auto"), (CARD_TABLE_NEXT, "page")):
        table = Style("table", name, width="17cm", align="margins")
        table.set_properties({"fo:break-before": brk})
        document.insert_style(table, automatic=True)
    row = Style("table-row", CARD_ROW)
    row.set_properties({"style:min-row-height": "6.1cm"}, area="table-row")
    document.insert_style(row, automatic=True)
    cell = Style("table-cell", CARD_CELL)
    cell.set_properties(
        {
            "fo:border": "0.75pt dashed #888888",
            "fo:padding": "0.45cm",
            "style:vertical-align": "top",
        },
        area="table-cell",
    )
    document.insert_style(cell, automatic=True)


def _sheet_head(
    body: odt.Node, session: Session, heading: str, first: bool, lines: list[tuple[str, str]]
) -> None:
    _ = translator(session.lang)
    _paragraph(body, clean(session.title), FIRST_SHEET if first else SHEET)
    _append_text(
        _sub(body, "text:h", {"text:style-name": "Heading_20_1", "text:outline-level": "1"}),
        heading,
    )
    for label, value in lines:
        paragraph = _styled(body, "text:p", odt.BODY)
        _span(paragraph, _("{label}:").format(label=label), odt.STRONG)
        _append_text(paragraph, " " + value)


def _grid(
    body: odt.Node,
    styles: odt.Node,
    number: int,
    headers: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    boxes: int,
) -> None:
    """A table whose last ``boxes`` columns are tick boxes, widths from the content."""
    numeric = (True, False, *(False for _b in range(len(headers) - 2)))
    block = odt.Table(headers, tuple(rows), numeric)
    odt._table(body, block, number, styles)
    table = body[-1]
    for row in table.iter(odt._q("table:table-row")):
        for cell in list(row)[len(headers) - boxes :]:
            for paragraph in cell:
                if paragraph.text and set(paragraph.text) <= {BOX, " "}:
                    paragraph.set(odt._q("text:style-name"), BOX_TEXT)


def ballots_document(session: Session, *, count: int | None = None) -> bytes:
    """One page per participant (named), or ``count`` blank numbered pages."""
    _ = translator(session.lang)
    paper = ballot_paper(session)
    names = [clean(p.name) for p in session.participants] if not session.anonymous else []
    if count is None and not names:
        count = session.voter_count
    if count is not None and not 1 <= count <= MAX_SHEETS:
        raise AtelierError(
            i18n._("Give a number of ballots between 1 and {limit} (--count).").format(
                limit=MAX_SHEETS
            )
        )
    sheets = [(_("Participant"), n) for n in names] if count is None else []
    if count is not None:
        sheets = [(_("Ballot no."), f"{n} / {count}") for n in range(1, count + 1)]
    document = odt.new_document(
        _("Ballots: {title}").format(title=clean(session.title)), session.lang, ""
    )
    _paper_styles(document)
    body, styles = document.body._xml_element, odt.automatic_styles(document)
    numbered = [(str(n), label) for n, label in enumerate(paper.options, start=1)]
    for index, (who, value) in enumerate(sheets):
        lines = [(who, value)]
        if session.question:
            lines.append((_("Question"), clean(session.question)))
        _sheet_head(body, session, _("Ballot — {vote}").format(vote=paper.title), not index, lines)
        if paper.method == "dot":
            rule = plural(
                session.lang,
                paper.dots,
                _("You have {count} dot: tick one box per dot, at most {cap} on one option."),
                _("You have {count} dots: tick one box per dot, at most {cap} on one option."),
                cap=paper.cap,
            )
            _paragraph(body, rule, odt.NOTE)
            boxes = " ".join(BOX * 1 for _b in range(min(paper.cap, paper.dots)))
            rows: list[tuple[str, ...]] = [(n, label, boxes) for n, label in numbered]
            _grid(body, styles, index + 1, (_("No."), _("Option"), _("Dots")), rows, 1)
        else:
            rule = _(
                "Give each option one grade: tick one box per line. "
                "An option left without a grade counts as “{grade}”."
            ).format(grade=paper.grades[-1] if paper.grades else "")
            _paragraph(body, rule, odt.NOTE)
            rows = [(n, label, *(BOX for _g in paper.grades)) for n, label in numbered]
            headers = (_("No."), _("Option"), *paper.grades)
            _grid(body, styles, index + 1, headers, rows, len(paper.grades))
    return odt.package(document)


def cards_document(session: Session) -> bytes:
    """The ideas as numbered cards, CARDS_PER_PAGE to an A4 page, to cut out for a wall."""
    _ = translator(session.lang)
    if not session.ideas:
        raise AtelierError(i18n._("No idea to print yet."))
    clusters = {c.id: clean(c.label) for c in session.clusters}
    document = odt.new_document(
        _("Idea cards: {title}").format(title=clean(session.title)), session.lang, ""
    )
    _paper_styles(document)
    body = document.body._xml_element
    ideas = list(session.ideas)
    for page, start in enumerate(range(0, len(ideas), CARDS_PER_PAGE)):
        chunk = ideas[start : start + CARDS_PER_PAGE]
        table = _sub(
            body,
            "table:table",
            {
                "table:name": f"Cards{page + 1}",
                "table:style-name": CARD_TABLE_NEXT if page else CARD_TABLE,
            },
        )
        _sub(table, "table:table-column", {"table:number-columns-repeated": str(CARD_COLUMNS)})
        for row_start in range(0, len(chunk), CARD_COLUMNS):
            row = _styled(table, "table:table-row", CARD_ROW, "table")
            for column in range(CARD_COLUMNS):
                cell = _styled(row, "table:table-cell", CARD_CELL, "table")
                if row_start + column >= len(chunk):
                    _paragraph(cell, "", CARD_TEXT)
                    continue
                idea = chunk[row_start + column]
                _paragraph(cell, f"#{idea.id}", CARD_NUMBER)
                text = clean(idea.text)
                if len(text) > CARD_TEXT_MAX:
                    text = text[: CARD_TEXT_MAX - 1].rstrip() + "…"
                _paragraph(cell, text, CARD_TEXT)
                if idea.cluster_id in clusters:
                    _paragraph(cell, clusters[idea.cluster_id or 0], CARD_CLUSTER)
    return odt.package(document)


def _name(session: Session, what: str) -> str:
    from atelier.export import default_filename

    stem = default_filename(session, "odt").removesuffix(".odt")
    return f"{stem}-{NAMES[what].get(session.lang, NAMES[what]['en'])}.odt"


def _folder(output: Path) -> Path:
    output = Path(output).expanduser()
    if not output.is_dir():
        raise AtelierError(i18n._("The folder {folder} does not exist.").format(folder=output))
    return output


def print_ballots(session: Session, output: Path, *, count: int | None = None) -> Path:
    """Write the ballot sheets into the folder ``output``; returns the file written."""
    data = ballots_document(session, count=count)
    return write_free(_folder(output) / _name(session, "ballots"), data)


def print_cards(session: Session, output: Path) -> Path:
    """Write the idea cards into the folder ``output``; returns the file written."""
    data = cards_document(session)
    return write_free(_folder(output) / _name(session, "cards"), data)
