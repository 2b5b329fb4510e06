"""OpenDocument text (.odt) from a report, for LibreOffice and Word: headings, lists, tables.

odfdo builds the package: template, styles, metadata, manifest. The body is built in place
with lxml elements in odfdo's namespaces, because creating each paragraph or cell through
odfdo's constructors costs about a tenth of a millisecond (a 2,000-idea session would take
seconds). The zip is then rewritten with fixed entry dates so that one session always
gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from functools import cache
from typing import TypeAlias

from lxml import etree
from odfdo import Document, Style
from odfdo.element import ODF_NAMESPACES
from odfdo.style import create_table_cell_style

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

LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}
THUMBNAIL = "Thumbnails/thumbnail.png"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # zip entries carry no export time
_NS = {prefix: ODF_NAMESPACES[prefix] for prefix in ("office", "style", "text", "table", "fo")}

STRONG = "Strong_20_Emphasis"
EMPHASIS = "Emphasis"
NOTE = "Atelier_20_Note"
QUOTE = "Quotations"
BODY = "Text_20_body"
LIST_TEXT = "List"
CELL_TEXT = "Table_20_Contents"
CELL_HEAD = "Table_20_Heading"
CELL_NUMBER = "Atelier_20_Number"
TABLE = "Atelier_table"
CELL = "Atelier_cell"
HEAD = "Atelier_head"


def _styles() -> list[tuple[Style, bool]]:
    """(style, automatic) pairs; named like LibreOffice's own styles where one exists."""
    text = "text"
    return [
        (Style("text", STRONG, display_name="Strong Emphasis", bold=True), False),
        (Style("text", EMPHASIS, display_name="Emphasis", italic=True), False),
        (Style("paragraph", NOTE, "Note", BODY, area=text, italic=True), False),
        (Style("paragraph", QUOTE, "Quotations", BODY, area=text, italic=True), False),
        (Style("paragraph", CELL_TEXT, "Table Contents", "Standard"), False),
        (Style("paragraph", CELL_HEAD, "Table Heading", CELL_TEXT, area=text, bold=True), False),
        (Style("paragraph", CELL_NUMBER, "Table Number", CELL_TEXT, text_align="end"), False),
        (Style("table", TABLE, width="17cm", align="margins"), True),
        (_cell_style(CELL, None), True),
        (_cell_style(HEAD, "#eef2f6"), True),
    ]


def _cell_style(name: str, background: str | None) -> Style:
    style = create_table_cell_style(
        border="0.5pt solid #999999", padding="0.1cm", background_color=background
    )
    style.name = name
    return style


@cache
def _q(name: str) -> str:
    """'text:p' → lxml's '{urn:…text…}p'."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


Node: TypeAlias = etree._Element


def _sub(parent: Node, tag: str, attributes: dict[str, str] | None = None) -> Node:
    """A child element; ``attributes`` use prefixed names ("text:style-name")."""
    qualified = {_q(k): v for k, v in attributes.items()} if attributes else None
    return etree.SubElement(parent, _q(tag), qualified)


def _styled(parent: Node, tag: str, style: str, family: str = "text") -> Node:
    """A child with a style name; set() after creation is twice as fast as attrib=."""
    element = etree.SubElement(parent, _q(tag))
    element.set(_q(f"{family}:style-name"), style)
    return element


def _append_text(element: Node, text: str) -> None:
    """Add text at the end of ``element``; line breaks become <text:line-break/>."""
    if "\n" not in text and not len(element):
        element.text = (element.text or "") + text
        return
    for number, line in enumerate(text.split("\n")):
        if number:
            _sub(element, "text:line-break")
        if len(element):
            element[-1].tail = (element[-1].tail or "") + line
        else:
            element.text = (element.text or "") + line


def _paragraph(parent: Node, text: str, style: str) -> Node:
    paragraph = _styled(parent, "text:p", style)
    _append_text(paragraph, text)
    return paragraph


def _span(parent: Node, text: str, style: str) -> None:
    _append_text(_styled(parent, "text:span", style), text)


def _heading(root: Node, block: Heading) -> None:
    level = str(block.level)
    attributes = {"text:style-name": f"Heading_20_{level}", "text:outline-level": level}
    _append_text(_sub(root, "text:h", attributes), block.text)


def _fields(root: Node, block: Fields) -> None:
    for label, value in block.items:
        paragraph = _styled(root, "text:p", BODY)
        _span(paragraph, label, STRONG)
        _append_text(paragraph, " " + value)


def _items(root: Node, block: Items) -> None:
    style = "Numbering_20_1" if block.ordered else "List_20_1"
    listing = _styled(root, "text:list", style)
    for item in block.items:
        entry = _sub(listing, "text:list-item")
        paragraph = _paragraph(entry, item.text, LIST_TEXT)
        if item.detail:
            _append_text(paragraph, " — ")
            _span(paragraph, item.detail, EMPHASIS)
        if item.sub:
            nested = _sub(entry, "text:list")
            for text in item.sub:
                _paragraph(_sub(nested, "text:list-item"), text, LIST_TEXT)


def _row(
    parent: Node, cells: tuple[str, ...], numeric: tuple[bool, ...], styles: tuple[str, str, str]
) -> None:
    """One table row; ``styles`` = (cell style, text style, numeric text style)."""
    row = _sub(parent, "table:table-row")
    cell_style, text_style, number_style = styles
    for text, is_number in zip(cells, numeric, strict=False):
        cell = _styled(row, "table:table-cell", cell_style, "table")
        _paragraph(cell, text, number_style if is_number else text_style)


def _table(root: Node, block: Table, number: int) -> None:
    table = _sub(root, "table:table", {"table:name": f"Table{number}", "table:style-name": TABLE})
    _sub(table, "table:table-column", {"table:number-columns-repeated": str(len(block.headers))})
    head = _sub(table, "table:table-header-rows")
    _row(head, block.headers, block.numeric, (HEAD, CELL_HEAD, CELL_HEAD))
    for cells in block.rows:
        _row(table, cells, block.numeric, (CELL, CELL_TEXT, CELL_NUMBER))
    if block.footer:
        _row(table, block.footer, block.numeric, (HEAD, CELL_HEAD, CELL_HEAD))


def _block(root: Node, block: Block, number: int) -> None:
    if isinstance(block, Heading):
        _heading(root, block)
    elif isinstance(block, Fields):
        _fields(root, block)
    elif isinstance(block, Items):
        _items(root, block)
    elif isinstance(block, Table):
        _table(root, block, number)
    elif isinstance(block, Text):
        style = {"quote": QUOTE, "note": NOTE}.get(block.style, BODY)
        _paragraph(root, block.text, style)
    # charts are not drawn: the table that follows each one has every number


class _ReportDocument(Document):
    """A text document whose tables are regular by construction (one declared column per
    cell in every row), so odfdo's spreadsheet normalisation, which walks every row through
    its caches on save (0.2 s for 2,000 rows), has nothing to do."""

    def normalize_tables(self) -> None:
        return None


def _document(report: Report) -> Document:
    document = _ReportDocument("text")
    document.body.clear()
    document.del_part(THUMBNAIL)  # a picture of odfdo's template, not of this report
    document.manifest.del_full_path(THUMBNAIL)
    for style, automatic in _styles():
        document.insert_style(style, automatic=automatic)
    document.language = LANGUAGE_TAGS.get(report.lang, "en-GB")
    document.meta.set_title(report.title)
    try:
        document.meta.set_creation_date(datetime.fromisoformat(report.created_at))
    except ValueError:
        pass
    # Built in place: moving a finished subtree into the document makes lxml reconcile
    # the namespaces of every node, which costs more than building it.
    body = document.body._xml_element
    tables = 0
    for block in report.blocks:
        tables += isinstance(block, Table)
        _block(body, block, tables)
    return document


def _fixed_dates(package: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE; ``mimetype`` stays first and stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_report(report: Report) -> bytes:
    buffer = io.BytesIO()
    _document(report).save(buffer)
    return _fixed_dates(buffer.getvalue())


def render(summary: Summary) -> bytes:
    return render_report(summary_report(summary))
