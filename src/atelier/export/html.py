"""One self-contained, printable HTML page from a report: inline CSS, inline SVG charts.

Nothing is fetched (a Content-Security-Policy forbids it, and scripts too), every text is
escaped with :func:`html.escape`, and the print stylesheet keeps tables, charts and
headings from being split across pages where it can.
"""

from __future__ import annotations

from html import escape as _escape

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
    percent,
    shorten,
    summary_report,
)

CSS = """\
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1d1d1f; line-height: 1.45;
  font-family: system-ui, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
main { max-width: 54rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; overflow-wrap: break-word; }
h1 { font-size: 1.8rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; color: #1f4e79;
  border-bottom: 2px solid #1f4e79; }
h3 { font-size: 1.08rem; margin: 1.4rem 0 .4rem; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem;
  margin: .4rem 0 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; }
ul, ol { padding-left: 1.4rem; }
li { margin: .15rem 0; }
.detail { color: #555; font-style: italic; }
.mark { font-variant-numeric: tabular-nums; color: #1f4e79; }
ul.sub { margin: .1rem 0; color: #444; font-size: .95em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid #c8ccd2; padding: .3rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eef2f6; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 600; background: #f6f7f9; }
p.note { color: #555; font-style: italic; font-size: .95rem; }
blockquote { margin: 2rem 0 0; padding: .6rem 1rem; border-left: 4px solid #1f4e79;
  background: #f3f6fa; font-style: italic; }
figure.chart { margin: .6rem 0 1rem; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #555; }
@page { size: A4; margin: 1.6cm 1.4cm; }
@media print {
  body { font-size: 10.5pt; color: #000; }
  main { max-width: none; padding: 0; }
  h2 { color: #000; border-color: #000; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, figure, dl, blockquote { break-inside: avoid; page-break-inside: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th, tfoot td, blockquote { background: none; }
}
"""

# Content-Security-Policy: the page may use its own inline styles and nothing else.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Merit-profile colours, best grade (green) to worst (red); readable in black and white too.
PALETTE = ("#1a7f3c", "#5aae61", "#a6d96a", "#e6d05a", "#fdae61", "#f46d43", "#c9302c")
BAR_COLOUR = "#1f4e79"
CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_X = 228
BAR_WIDTH = 330
ROW = 24


def esc(text: str) -> str:
    """Escape a text for HTML or inline SVG, keeping its line breaks."""
    return _escape(text, quote=True).replace("\n", "<br>")


def _fields(block: Fields) -> list[str]:
    rows = [
        f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>" for label, value in block.items
    ]
    return ['<dl class="fields">', *rows, "</dl>"]


def _items(block: Items) -> list[str]:
    tag = "ol" if block.ordered else "ul"
    lines = [f"<{tag}>"]
    for item in block.items:
        detail = f' <span class="detail">— {esc(item.detail)}</span>' if item.detail else ""
        sub = ""
        if item.sub:
            sub = '<ul class="sub">' + "".join(f"<li>{esc(s)}</li>" for s in item.sub) + "</ul>"
        mark = f'<strong class="mark">{esc(item.mark)}</strong> ' if item.mark else ""
        lines.append(f"<li>{mark}{esc(item.text)}{detail}{sub}</li>")
    return [*lines, f"</{tag}>"]


def _cells(cells: tuple[str, ...], numeric: tuple[bool, ...], tag: str = "td") -> str:
    return "".join(
        f'<{tag} class="num">{esc(c)}</{tag}>' if n else f"<{tag}>{esc(c)}</{tag}>"
        for c, n in zip(cells, numeric, strict=False)
    )


def _table(block: Table) -> list[str]:
    lines = ["<table>", f"<thead><tr>{_cells(block.headers, block.numeric, 'th')}</tr></thead>"]
    lines.append("<tbody>")
    lines += [f"<tr>{_cells(row, block.numeric)}</tr>" for row in block.rows]
    lines.append("</tbody>")
    if block.footer:
        lines.append(f"<tfoot><tr>{_cells(block.footer, block.numeric)}</tr></tfoot>")
    return [*lines, "</table>"]


def _colours(count: int) -> list[str]:
    """``count`` colours spread over the palette, best grade first."""
    if count <= 1:
        return [PALETTE[0]]
    last = len(PALETTE) - 1
    return [PALETTE[round(i * last / (count - 1))] for i in range(count)]


def _svg_open(height: int, title: str, number: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'width="{CHART_WIDTH}" height="{height}" role="img" aria-labelledby="chart{number}" '
        'font-size="12" font-family="system-ui, Arial, sans-serif">',
        f'<title id="chart{number}">{esc(title)}</title>',
    ]


def _label(y: float, text: str) -> str:
    return (
        f'<text x="{LABEL_WIDTH}" y="{y:.1f}" text-anchor="end" fill="#1d1d1f">'
        f"{esc(shorten(text, 34))}</text>"
    )


def _dot_chart(chart: Chart, number: int) -> list[str]:
    top = max((bar.value for bar in chart.bars), default=0) or 1
    height = len(chart.bars) * ROW + 8
    lines = _svg_open(height, chart.title, number)
    for row, bar in enumerate(chart.bars):
        y = 4 + row * ROW
        width = BAR_WIDTH * bar.value / top
        lines += [
            f"<g><title>{esc(bar.label)}: {bar.value}</title>",
            _label(y + 13, bar.label),
            f'<rect x="{BAR_X}" y="{y}" width="{width:.1f}" height="16" fill="{BAR_COLOUR}"/>',
            f'<text x="{BAR_X + width + 6:.1f}" y="{y + 13}">{bar.value}</text></g>',
        ]
    return [*lines, "</svg>"]


def _legend(grades: tuple[str, ...], colours: list[str], y: int) -> tuple[list[str], int]:
    """Grade swatches in rows that fit the chart width; returns the lines and the next y."""
    lines, x = [], BAR_X
    for grade, colour in zip(grades, colours, strict=True):
        label = shorten(grade, 24)
        width = 18 + 7 * len(label) + 12
        if x + width > CHART_WIDTH and x > BAR_X:
            x, y = BAR_X, y + 18
        lines += [
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>',
            f'<text x="{x + 16}" y="{y + 10}">{esc(label)}</text>',
        ]
        x += width
    return lines, y + 22


def _merit_chart(chart: Chart, number: int, lang: str) -> list[str]:
    colours = _colours(len(chart.grades))
    legend, top = _legend(chart.grades, colours, 4)
    bars_top = top + 14
    height = bars_top + len(chart.bars) * ROW + 4
    lines = [*_svg_open(height, chart.title, number), *legend]
    for row, bar in enumerate(chart.bars):
        y = bars_top + row * ROW
        lines += [
            f"<g><title>{esc(bar.label)}: {esc(bar.grade)}</title>",
            _label(y + 13, bar.label),
        ]
        x = float(BAR_X)
        for grade, share, colour in zip(chart.grades, bar.shares, colours, strict=True):
            if share <= 0:
                continue
            width = BAR_WIDTH * share
            lines.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="16" fill="{colour}">'
                f"<title>{esc(grade)}: {esc(percent(share, lang))}</title></rect>"
            )
            x += width
        lines.append(f'<text x="{BAR_X + BAR_WIDTH + 6}" y="{y + 13}">{esc(bar.grade)}</text></g>')
    middle = BAR_X + BAR_WIDTH / 2
    lines += [
        f'<line x1="{middle:.1f}" y1="{bars_top - 4}" x2="{middle:.1f}" y2="{height - 2}" '
        'stroke="#000" stroke-width="1.5" stroke-dasharray="4 3"/>',
        f'<text x="{middle:.1f}" y="{bars_top - 6}" text-anchor="middle" font-size="10">'
        f"{esc(chart.median_label)}</text>",
    ]
    return [*lines, "</svg>"]


def _chart(chart: Chart, number: int, lang: str) -> list[str]:
    if not chart.bars:
        return []
    svg = _merit_chart(chart, number, lang) if chart.kind == "merit" else _dot_chart(chart, number)
    caption = [f"<figcaption>{esc(chart.more)}</figcaption>"] if chart.more else []
    return ['<figure class="chart">', *svg, *caption, "</figure>"]


def chart_svg(chart: Chart, lang: str, number: int = 1) -> tuple[str, int, int]:
    """A chart as a standalone SVG file (for the ODT) and its width and height in pixels."""
    lines = (
        _merit_chart(chart, number, lang) if chart.kind == "merit" else _dot_chart(chart, number)
    )
    height = int(lines[0].split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()[1])
    return "\n".join(lines) + "\n", CHART_WIDTH, height


def _block(block: Block, number: int, lang: str) -> list[str]:
    if isinstance(block, Heading):
        return [f"<h{block.level}>{esc(block.text)}</h{block.level}>"]
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Items):
        return _items(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Text):
        if block.style == "quote":
            return [f"<blockquote><p>{esc(block.text)}</p></blockquote>"]
        css = ' class="note"' if block.style == "note" else ""
        return [f"<p{css}>{esc(block.text)}</p>"]
    return _chart(block, number, lang)


def _body(report: Report) -> list[str]:
    """Blocks in order, each level-2 heading opening a <section> up to the next one."""
    lines: list[str] = []
    open_section = False
    for number, block in enumerate(report.blocks, start=1):
        if isinstance(block, Heading) and block.level <= 2:
            if open_section:
                lines.append("</section>")
            open_section = block.level == 2
            if open_section:
                lines.append("<section>")
        lines += _block(block, number, report.lang)
    if open_section:
        lines.append("</section>")
    return lines


def render_report(report: Report) -> bytes:
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(report.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="generator" content="atelier">',
        f"<title>{esc(report.title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        *_body(report),
        "</main>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")


def render(summary: Summary) -> bytes:
    return render_report(summary_report(summary))
