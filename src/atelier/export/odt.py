"""OpenDocument text (.odt) from a report, for LibreOffice and Word: headings, lists, tables.

It should look made by hand: the title is a Title paragraph and headings are not numbered
(the outline style numbers nothing), lists use a list style whose label sits in its own
indent, each table column is as wide as its content asks (words are never cut), and the
vote charts are the HTML report's SVG drawings, embedded as pictures.

odfdo builds the package: template, styles, metadata, manifest. The body is built in place
with lxml elements in odfdo's namespaces, because creating each paragraph or cell through
odfdo's constructors costs about a tenth of a millisecond (a 2,000-idea session would take
seconds). The zip is then rewritten with fixed entry dates so that one session always
gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from functools import cache
from typing import Any, TypeAlias

from lxml import etree
from odfdo import Document, Style
from odfdo.element import ODF_NAMESPACES
from odfdo.style import create_table_cell_style

from atelier.export.html import chart_svg
from atelier.summary import (
    Block,
    Chart,
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
_NS = {
    prefix: ODF_NAMESPACES[prefix]
    for prefix in ("office", "style", "text", "table", "fo", "draw", "svg", "xlink")
}

STRONG = "Strong_20_Emphasis"
EMPHASIS = "Emphasis"
NOTE = "Atelier_20_Note"
QUOTE = "Quotations"
BODY = "Text_20_body"
LIST_TEXT = "Atelier_20_List"
TITLE = "Title"
BULLETS = "Atelier_20_Bullets"
NUMBERS = "Atelier_20_Numbers"
FRAME = "Atelier_chart"
FIGURE = "Atelier_20_Figure"
PAGE_WIDTH_CM = 17.0  # A4 between the template's 2 cm margins
CHART_WIDTH_CM = 16.0
CHAR_CM = 0.21  # an average character of the table font (10–11 pt), for column widths
CELL_PADDING_CM = 0.3  # both sides of a cell
WORD_CM = 0.25  # a character of a word that must not be cut (headers are bold): wider
CELL_TEXT = "Table_20_Contents"
CELL_HEAD = "Table_20_Heading"
CELL_NUMBER = "Atelier_20_Number"
CELL_HEAD_NUMBER = "Atelier_20_Number_20_Heading"
TABLE = "Atelier_table"
TABLE_WHOLE = "Atelier_table_whole"  # a short table: never split across two pages
WHOLE_ROWS = 15
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
        (
            Style(
                "paragraph", CELL_HEAD_NUMBER, "Table Number Heading", CELL_HEAD, text_align="end"
            ),
            False,
        ),
        (_table_style(TABLE), True),
        (_table_style(TABLE_WHOLE, whole=True), True),
        (_cell_style(CELL, None), True),
        (_cell_style(HEAD, "#eef2f6"), True),
    ]


def _table_style(name: str, *, whole: bool = False) -> Style:
    style = Style("table", name, width=f"{PAGE_WIDTH_CM}cm", align="margins")
    properties = {"fo:margin-top": "0.15cm", "fo:margin-bottom": "0.3cm"}
    if whole:
        properties["style:may-break-between-rows"] = "false"
    style.set_properties(properties)
    return style


def _cell_style(name: str, background: str | None) -> Style:
    style = create_table_cell_style(
        border="0.5pt solid #999999", padding="0.1cm", background_color=background
    )
    style.name = name
    return style


def _label_alignment(level: int) -> str:
    """A list label in its own 0.6 cm, the text after a tab stop: « •   Awa », not « •Awa »."""
    margin = 0.7 * level
    return (
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="listtab" '
        f'text:list-tab-stop-position="{margin:.2f}cm" fo:text-indent="-0.6cm" '
        f'fo:margin-left="{margin:.2f}cm"/></style:list-level-properties>'
    )


def _named_styles_xml() -> str:
    """Title, unnumbered headings, list paragraphs, figure, outline and list styles."""

    def para(
        name: str, display: str, parent: str, props: str, text: str = "", extra: str = ""
    ) -> str:
        text_props = f"<style:text-properties {text}/>" if text else ""
        return (
            f'<style:style style:name="{name}" style:display-name="{display}" '
            f'style:family="paragraph" style:parent-style-name="{parent}" {extra}>'
            f"<style:paragraph-properties {props}/>{text_props}</style:style>"
        )

    def font(size: str, colour: str = "") -> str:
        tint = f'fo:color="{colour}" ' if colour else ""
        return (
            f'{tint}fo:font-size="{size}" fo:font-weight="bold" style:font-size-asian="{size}" '
            f'style:font-weight-asian="bold" style:font-size-complex="{size}" '
            'style:font-weight-complex="bold"'
        )

    heading = f'style:next-style-name="{BODY}" style:class="chapter"'
    outline = "".join(
        f'<text:outline-level-style text:level="{level}" style:num-format="">'
        "<style:list-level-properties/></text:outline-level-style>"
        for level in range(1, 11)
    )
    bullets = "".join(
        f'<text:list-level-style-bullet text:level="{level}" text:bullet-char="{char}">'
        f"{_label_alignment(level)}</text:list-level-style-bullet>"
        for level, char in ((1, "•"), (2, "◦"), (3, "▪"))
    )
    numbers = "".join(
        f'<text:list-level-style-number text:level="{level}" style:num-suffix="." '
        f'style:num-format="1">{_label_alignment(level)}</text:list-level-style-number>'
        for level in (1, 2, 3)
    )
    return (
        f'<office:styles xmlns:office="{_NS["office"]}" xmlns:style="{_NS["style"]}" '
        f'xmlns:text="{_NS["text"]}" xmlns:fo="{_NS["fo"]}">'
        + para(
            TITLE,
            "Title",
            "Heading",
            'fo:margin-top="0cm" fo:margin-bottom="0.4cm"',
            font("20pt", "#1f4e79"),
            heading,
        )
        + para(
            "Heading_20_1",
            "Heading 1",
            "Heading",
            'fo:margin-top="0.6cm" fo:margin-bottom="0.2cm" fo:padding-bottom="0.05cm" '
            'fo:border-bottom="1.2pt solid #1f4e79" fo:border-top="none" '
            'fo:border-left="none" fo:border-right="none"',
            font("15pt", "#1f4e79"),
            heading + ' style:default-outline-level="1"',
        )
        + para(
            "Heading_20_2",
            "Heading 2",
            "Heading",
            'fo:margin-top="0.4cm" fo:margin-bottom="0.15cm"',
            font("12.5pt"),
            heading + ' style:default-outline-level="2"',
        )
        + para(LIST_TEXT, "Atelier List", BODY, 'fo:margin-top="0cm" fo:margin-bottom="0.1cm"')
        + para(
            FIGURE, "Atelier Figure", "Standard", 'fo:margin-top="0.2cm" fo:margin-bottom="0.3cm"'
        )
        + f'<text:outline-style style:name="Outline">{outline}</text:outline-style>'
        + f'<text:list-style style:name="{BULLETS}" style:display-name="Atelier Bullets">'
        + f"{bullets}</text:list-style>"
        + f'<text:list-style style:name="{NUMBERS}" style:display-name="Atelier Numbers">'
        + f"{numbers}</text:list-style></office:styles>"
    )


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
    """The report's title is a Title paragraph (outside the outline); its sections are
    headings of outline level 1, their subsections level 2."""
    if block.level <= 1:
        _paragraph(root, block.text, TITLE)
        return
    level = str(min(block.level - 1, 10))
    attributes = {"text:style-name": f"Heading_20_{level}", "text:outline-level": level}
    _append_text(_sub(root, "text:h", attributes), block.text)


def _fields(root: Node, block: Fields) -> None:
    for label, value in block.items:
        paragraph = _styled(root, "text:p", BODY)
        _span(paragraph, label, STRONG)
        _append_text(paragraph, " " + value)


def _items(root: Node, block: Items) -> None:
    listing = _styled(root, "text:list", NUMBERS if block.ordered else BULLETS)
    for item in block.items:
        entry = _sub(listing, "text:list-item")
        paragraph = _styled(entry, "text:p", LIST_TEXT)
        if item.mark:
            _span(paragraph, item.mark, STRONG)
            _append_text(paragraph, " ")
        _append_text(paragraph, item.text)
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


_WORD = re.compile(r"\S+")


def column_widths(block: Table) -> list[float]:
    """Column widths in cm, summing to the page width, from what the columns hold.

    A column is never narrower than its longest word (so « Reconnaissance » is not cut
    into « Reconnaissanc / e »); the width left is shared in proportion to how much
    more each column's longest text would take on one line."""
    rows = [block.headers, *block.rows, *((block.footer,) if block.footer else ())]
    count = len(block.headers)
    least, natural = [0.0] * count, [0.0] * count
    for row in rows:
        for i, cell in enumerate(row[:count]):
            words = _WORD.findall(cell)
            longest = max((len(w) for w in words), default=0)
            least[i] = max(least[i], longest * WORD_CM + CELL_PADDING_CM)
            natural[i] = max(natural[i], len(cell) * CHAR_CM + CELL_PADDING_CM)
    least = [max(w, 1.0) for w in least]
    natural = [max(n, w) for n, w in zip(natural, least, strict=True)]
    numeric = [i < len(block.numeric) and block.numeric[i] for i in range(count)]
    if sum(least) >= PAGE_WIDTH_CM:
        # Too many columns (a majority-judgment grid): the texts keep their longest word;
        # the number columns take what is left, their headers wrapping where they must.
        kept = sum(w for w, n in zip(least, numeric, strict=True) if not n)
        numbers = [w for w, n in zip(least, numeric, strict=True) if n]
        if numbers and kept < PAGE_WIDTH_CM - len(numbers) * 1.0:
            scale = (PAGE_WIDTH_CM - kept) / sum(numbers)
            return [w * scale if n else w for w, n in zip(least, numeric, strict=True)]
        scale = PAGE_WIDTH_CM / sum(least)  # still too wide: shrink them all alike
        return [w * scale for w in least]
    if sum(natural) <= PAGE_WIDTH_CM:  # everything fits on one line: widen the texts
        spare = PAGE_WIDTH_CM - sum(natural)
        texts = [0.0 if numeric[i] else n for i, n in enumerate(natural)]
        weights = texts if sum(texts) else natural
        return [n + spare * w / sum(weights) for n, w in zip(natural, weights, strict=True)]
    spare = PAGE_WIDTH_CM - sum(least)
    wants = [n - w for n, w in zip(natural, least, strict=True)]
    return [w + spare * want / sum(wants) for w, want in zip(least, wants, strict=True)]


def _table(root: Node, block: Table, number: int, styles: Node) -> None:
    name = f"Table{number}"
    style = TABLE_WHOLE if len(block.rows) <= WHOLE_ROWS else TABLE
    table = _sub(root, "table:table", {"table:name": name, "table:style-name": style})
    for index, width in enumerate(column_widths(block)):
        column_style = f"{name}.{chr(ord('A') + index) if index < 26 else index}"
        style = _sub(
            styles, "style:style", {"style:name": column_style, "style:family": "table-column"}
        )
        _sub(
            style,
            "style:table-column-properties",
            {"style:column-width": f"{width:.2f}cm", "style:rel-width": f"{round(width * 1000)}*"},
        )
        _sub(table, "table:table-column", {"table:style-name": column_style})
    head = _sub(table, "table:table-header-rows")
    _row(head, block.headers, block.numeric, (HEAD, CELL_HEAD, CELL_HEAD_NUMBER))
    for cells in block.rows:
        _row(table, cells, block.numeric, (CELL, CELL_TEXT, CELL_NUMBER))
    if block.footer:
        _row(table, block.footer, block.numeric, (HEAD, CELL_HEAD, CELL_HEAD_NUMBER))


def _chart(document: Document, root: Node, chart: Chart, number: int, lang: str) -> None:
    """The HTML report's SVG drawing as a picture in its own paragraph, as wide as the
    text; its title is the picture's description. The table that follows has the numbers."""
    if not chart.bars:
        return
    svg, width, height = chart_svg(chart, lang, number)
    path = f"Pictures/chart{number}.svg"
    container = document.container
    assert container is not None  # a new document always has one
    container.set_part(path, svg.encode("utf-8"))
    document.manifest.add_full_path(path, "image/svg+xml")
    paragraph = _styled(root, "text:p", FIGURE)
    frame = _sub(
        paragraph,
        "draw:frame",
        {
            "draw:style-name": FRAME,
            "draw:name": f"Chart{number}",
            "text:anchor-type": "as-char",
            "svg:width": f"{CHART_WIDTH_CM:.2f}cm",
            "svg:height": f"{CHART_WIDTH_CM * height / width:.2f}cm",
        },
    )
    image = _sub(frame, "draw:image", {"xlink:href": path, "xlink:type": "simple"})
    image.set(_q("xlink:show"), "embed")
    image.set(_q("xlink:actuate"), "onLoad")
    _append_text(_sub(frame, "svg:desc"), chart.title)
    if chart.more:
        _paragraph(root, chart.more, NOTE)


def _block(root: Node, block: Block, number: int, styles: Node) -> None:
    if isinstance(block, Heading):
        _heading(root, block)
    elif isinstance(block, Fields):
        _fields(root, block)
    elif isinstance(block, Items):
        _items(root, block)
    elif isinstance(block, Table):
        _table(root, block, number, styles)
    elif isinstance(block, Text):
        style = {"quote": QUOTE, "note": NOTE}.get(block.style, BODY)
        _paragraph(root, block.text, style)


class _ReportDocument(Document):
    """A text document whose tables are regular by construction (one declared column per
    cell in every row), so odfdo's spreadsheet normalisation, which walks every row through
    its caches on save (0.2 s for 2,000 rows), has nothing to do."""

    def normalize_tables(self) -> None:
        return None


def new_document(title: str, lang: str, created_at: str) -> Document:
    """An empty text document with atelier's styles: the start of a report or of paper."""
    document = _ReportDocument("text")
    document.body.clear()
    document.del_part(THUMBNAIL)  # a picture of odfdo's template, not of this report
    document.manifest.del_full_path(THUMBNAIL)
    _install_named_styles(document)
    for style, automatic in _styles():
        document.insert_style(style, automatic=automatic)
    frame = Style("graphic", FRAME)
    frame.set_properties(
        {"style:vertical-pos": "top", "style:vertical-rel": "baseline", "fo:border": "none"},
        area="graphic",
    )
    document.insert_style(frame, automatic=True)
    document.language = LANGUAGE_TAGS.get(lang, "en-GB")
    document.meta.set_title(title)
    try:
        document.meta.set_creation_date(datetime.fromisoformat(created_at))
    except ValueError:
        pass
    return document


def _part_element(part: Any, xpath: str) -> Node:
    """The lxml element at ``xpath`` of a package part; the template always has it."""
    element = part.get_element(xpath)
    if element is None:
        raise ValueError(f"{xpath} missing from odfdo's template")
    return element._xml_element


def automatic_styles(document: Document) -> Node:
    """content.xml's automatic styles, where per-table column styles go."""
    return _part_element(document.content, "//office:automatic-styles")


def _document(report: Report) -> Document:
    document = new_document(report.title, report.lang, report.created_at)
    # Built in place: moving a finished subtree into the document makes lxml reconcile
    # the namespaces of every node, which costs more than building it.
    body = document.body._xml_element
    automatic = automatic_styles(document)
    tables = charts = 0
    for block in report.blocks:
        if isinstance(block, Chart):
            charts += 1
            _chart(document, body, block, charts, report.lang)
            continue
        tables += isinstance(block, Table)
        _block(body, block, tables, automatic)
    return document


def _install_named_styles(document: Document) -> None:
    """Replace the template's numbered outline, its lists and headings with ours."""
    styles = _part_element(document.styles, "//office:styles")
    ours = etree.fromstring(_named_styles_xml())
    names = {element.get(_q("style:name")) for element in ours}
    for element in list(styles):
        if element.tag == _q("text:outline-style") or element.get(_q("style:name")) in names:
            styles.remove(element)
    for element in ours:
        styles.append(element)


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


def package(document: Document) -> bytes:
    """The .odt bytes, the same for the same content (no export time inside)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_dates(buffer.getvalue())


def render_report(report: Report) -> bytes:
    return package(_document(report))


def render(summary: Summary) -> bytes:
    return render_report(summary_report(summary))
