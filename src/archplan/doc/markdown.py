"""The architecture document as Markdown (GitHub-flavoured: tables, task lists, a Mermaid block)."""
from __future__ import annotations

from functools import lru_cache

from archplan.doc.blocks import (Bullets, Checklist, Diagram, Document, KeyFacts, Paragraph, Picture, Subheading,
                                 Table)
from archplan.escape import fence_for, markdown_text

CHECK_MARKS = {"done": "- [x] ", "todo": "- [ ] **change:** ", "task": "- [ ] "}


def _text(text: str) -> str:
    """One line of inline Markdown, plan values unable to form HTML or links (archplan.escape)."""
    return markdown_text(" ".join(text.split()))


@lru_cache(maxsize=1 << 16)  # table cells repeat (figures, kinds, "-"), and validate renders each environment
def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset(),
           strong: frozenset[int] = frozenset()) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |",
             "|" + "|".join("---:" if i in numeric else "---" for i in range(len(headers))) + "|"]
    for index, row in enumerate(rows):
        cells = [_cell(c) for c in row]
        if index in strong:
            cells = [f"**{c}**" if c and not c.startswith("**") else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _alt(text: str) -> str:
    """Text for an image's alt: brackets and backslashes escaped so it cannot close the link."""
    return "".join("\\" + c if c in "\\[]()" else c for c in " ".join(text.split()))


def render(document: Document, diagram_file: str, mermaid_source: str) -> str:
    out = [f"# {_text(document.title)}", "", f"_{_text(document.subtitle)}._", "", f"**{_text(document.total_line)}**", ""]
    out += ["## Contents", ""] + [f"- [{_text(s.title)}](#{s.key})" for s in document.sections] + [""]
    for section in document.sections:
        out += [f'<a id="{section.key}"></a>', "", f"## {_text(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out += [f"_{_text(block.text)}_" if block.style == "note" else _text(block.text), ""]
            elif isinstance(block, KeyFacts):
                out += _table(["", ""], [[f"**{label}**", value] for label, value in block.rows]) + [""]
            elif isinstance(block, Table):
                out += _table(block.headers, block.rows, block.numeric, block.strong) + [""]
            elif isinstance(block, Bullets):
                out += [f"- {_text(item)}" for item in block.items] + [""]
            elif isinstance(block, Checklist):
                out += [CHECK_MARKS[status] + _text(text) for status, text in block.items] + [""]
            elif isinstance(block, Subheading):
                out += [f"### {_text(block.text)}", ""]
            elif isinstance(block, Picture):
                out += [f"![{_alt(block.caption)}]({block.file})", ""]
            elif isinstance(block, Diagram):
                out += [f"![Architecture diagram]({diagram_file})", "",
                        "<details><summary>Mermaid source (also in architecture.mmd)</summary>", "",
                        fence_for(mermaid_source) + "mermaid", mermaid_source.rstrip("\n"), fence_for(mermaid_source),
                        "", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"
