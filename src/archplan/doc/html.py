"""The architecture document as one self-contained HTML page: CSS and the SVG diagram inline, no script,
no font, image or link fetched from anywhere. Responsive for phones; @media print for paper."""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from archplan.doc.blocks import (Bullets, Checklist, Diagram, Document, KeyFacts, Paragraph, Picture, Subheading,
                                 Table)

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"')

NUM = ' class="num"'
CHECK_MARKS = {"done": ("✓", "in the plan"), "todo": ("✗", "change the plan"), "task": ("☐", "to do")}

STYLE = """
:root { --ink: #202124; --muted: #5f6368; --line: #dadce0; --accent: #1a73e8; --soft: #f8f9fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Verdana, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 0 20px 48px; }
header.page { padding: 28px 0 14px; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 1.45rem; margin: 38px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 24px 0 8px; }
p { margin: 8px 0; }
code { font: .9em/1.3 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--soft);
  padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.subtitle { color: var(--muted); margin: 0; }
.total { font-size: 1.35rem; font-weight: 700; color: var(--accent); margin: 12px 0 0; }
nav.toc ol { list-style: none; padding: 0; margin: 14px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.lead { font-size: 1.05rem; }
.note { color: var(--muted); font-size: .93rem; }
p.total-line { font-size: 1.1rem; }
dl.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 6px 18px; margin: 12px 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0 18px;
  border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: 6px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
tr:last-child td { border-bottom: none; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.strong td { font-weight: 700; }
table.components td { min-width: 7rem; }
table.components td:first-child, table.line-items td:first-child { white-space: nowrap; }
table.findings td:nth-child(4) { min-width: 16rem; }
table.findings td:nth-child(-n+2), table.phases td:nth-child(odd) { white-space: nowrap; }
table.phases td:nth-child(2) { min-width: 18rem; }
.tag { display: inline-block; font-size: .75rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: .03em; padding: 1px 7px; border-radius: 9px; background: var(--soft); }
.tag.error { background: #fce8e6; color: #a50e0e; }
.tag.warning { background: #fef7e0; color: #8a4b00; }
.tag.info { background: #e8f0fe; color: #174ea6; }
ul.checklist { list-style: none; padding-left: 0; margin: 6px 0 14px; }
ul.checklist li { position: relative; padding: 3px 0 3px 1.9em; }
ul.checklist .mark { position: absolute; left: 0; width: 1.4em; text-align: center; font-weight: 700; }
ul.checklist .done .mark { color: #188038; }
ul.checklist .todo .mark { color: #c5221f; }
ul.checklist .task .mark { color: var(--muted); }
ul.checklist .todo .label { color: #c5221f; font-weight: 600; }
figure.diagram { margin: 8px 0 12px; }
.diagram-scroll { overflow: auto; -webkit-overflow-scrolling: touch; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; }
.diagram-scroll svg { display: block; width: 100%; height: auto; }
#full-size:checked ~ .diagram-scroll svg { width: var(--natural-width, 100%); max-width: none; }
.fit-toggle { font-size: .9rem; color: var(--muted); display: inline-block; margin-bottom: 6px; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: 6px; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); margin-top: 40px;
  padding-top: 12px; }
@media (max-width: 700px) {
  body { font-size: 15px; }
  main { padding: 0 12px 32px; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: 8px; }
  th, td { padding: 5px 7px; }
  table.components td { min-width: 6rem; }
  /* The amount column stays in view while a wide table scrolls sideways. */
  td.num:last-child, th.num:last-child { position: sticky; right: 0; background: #fff;
    box-shadow: -6px 0 6px -4px rgba(0, 0, 0, .25); }
  th.num:last-child { background: var(--soft); }
}
figure.picture { margin: 10px 0 18px; max-width: 680px; overflow-x: auto; }
figure.picture svg.chart, figure.picture svg.time-series { width: 100%; min-width: 520px; height: auto; }
figure.picture > svg { max-width: 100%; height: auto; }  /* matplotlib's charts state a width in pt */
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; color: #000; }
  main { max-width: none; padding: 0; }
  nav.toc, .fit-toggle, #full-size { display: none; }
  h2 { margin-top: 18pt; }
  h2, h3 { break-after: avoid; }
  tr, li, dl.facts dt, dl.facts dd, figure.diagram, figure.picture { break-inside: avoid; }
  .table-wrap, .diagram-scroll { overflow: visible; border: none; }
  .diagram-scroll svg, #full-size:checked ~ .diagram-scroll svg { width: 100%; max-height: 240mm; }
  table { font-size: 8pt; }
  th, td { padding: 3px 5px; }
  table.components td, table.findings td, table.phases td { min-width: 0; }
  a { color: inherit; text-decoration: none; }
}
"""


@lru_cache(maxsize=1 << 16)  # table cells repeat (figures, kinds, "-"), and validate renders each environment
def inline(text: str) -> str:
    """Escaped text with the content's **bold** and `code` marks as HTML."""
    escaped = escape(" ".join(text.split()), quote=False)
    if "*" not in escaped and "`" not in escaped:
        return escaped  # no marks (most table cells)
    return _BOLD.sub(r"<strong>\1</strong>", _CODE.sub(r"<code>\1</code>", escaped))


def _table(block: Table) -> str:
    head = "".join(f'<th{NUM if i in block.numeric else ""} scope="col">{inline(h)}</th>'
                   for i, h in enumerate(block.headers))
    rows = []
    for index, row in enumerate(block.rows):
        cells = []
        for i, cell in enumerate(row):
            content = inline(cell)
            if block.style == "findings" and i == 0:
                content = f'<span class="tag {escape(cell)}">{content}</span>'
            cells.append(f'<td{NUM if i in block.numeric else ""}>{content}</td>')
        strong = ' class="strong"' if index in block.strong else ""
        rows.append(f"<tr{strong}>{''.join(cells)}</tr>")
    css = f' class="{block.style}"' if block.style else ""
    return (f'<div class="table-wrap"><table{css}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _diagram(svg_element: str, files: list[str]) -> str:
    match = _SVG_WIDTH.search(svg_element)
    # Fitted to the page by default; the box toggles to the drawn size (1pt = 4/3 px) and scrolls.
    natural = f' style="--natural-width: {round(float(match.group(1)) * 4 / 3)}px"' if match else ""
    names = ", ".join(f"<code>{escape(name)}</code>" for name in files)
    return ('<figure class="diagram">'
            '<input type="checkbox" id="full-size"> <label class="fit-toggle" for="full-size">'
            "Show the diagram at full size (scroll to move around)</label>"
            f'<div class="diagram-scroll"{natural}>{svg_element}</div>'
            f"<figcaption>The architecture, drawn from the plan. The same diagram: {names}.</figcaption></figure>")


def _block(block, svg_element: str, files: list[str]) -> str:
    if isinstance(block, Paragraph):
        css = {"lead": "lead", "note": "note", "total": "total-line"}.get(block.style)
        attribute = f' class="{css}"' if css else ""
        return f"<p{attribute}>{inline(block.text)}</p>"
    if isinstance(block, KeyFacts):
        items = "".join(f"<dt>{inline(label)}</dt><dd>{inline(value)}</dd>" for label, value in block.rows)
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{inline(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Checklist):
        items = []
        for status, text in block.items:
            mark, meaning = CHECK_MARKS[status]
            label = '<span class="label">Change: </span>' if status == "todo" else ""
            items.append(f'<li class="{status}"><span class="mark" title="{meaning}">{mark}</span>'
                         f"{label}{inline(text)}</li>")
        return '<ul class="checklist">' + "".join(items) + "</ul>"
    if isinstance(block, Subheading):
        return f"<h3>{inline(block.text)}</h3>"
    if isinstance(block, Diagram):
        return _diagram(svg_element, files)
    if isinstance(block, Picture):
        return (f'<figure class="picture">{block.svg}<figcaption>{inline(block.caption)} '
                f"(also {escape(block.file)})</figcaption></figure>")
    raise TypeError(f"no HTML for {type(block).__name__}")


def render(document: Document, svg_element: str, diagram_files: list[str], generator: str) -> str:
    toc = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in document.sections)
    body = []
    for section in document.sections:
        blocks = "\n".join(_block(block, svg_element, diagram_files) for block in section.blocks)
        body.append(f'<section id="{section.key}">\n<h2>{escape(section.title)}</h2>\n{blocks}\n</section>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="page">\n<h1>{inline(document.title)}</h1>\n'
        f'<p class="subtitle">{inline(document.subtitle)}</p>\n'
        f'<p class="total" id="total">{inline(document.total_line)}</p>\n'
        f'<nav class="toc" aria-label="Contents"><ol>{toc}</ol></nav>\n</header>\n'
        + "\n".join(body)
        + f"\n<footer>{inline(generator)}</footer>\n</main>\n</body>\n</html>\n")
