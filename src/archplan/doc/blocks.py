"""The pieces the architecture document is made of. Text anywhere may carry two inline marks, **bold** and
`code`; both renderers understand them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "lead", "note", "total"


@dataclass
class KeyFacts:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    strong: frozenset[int] = frozenset()  # rows shown in bold (totals)
    style: str = ""


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Checklist:
    items: list[tuple[str, str]]  # (status: done | todo | task, text)


@dataclass
class Subheading:
    text: str


@dataclass
class Diagram:
    """Where the architecture diagram goes."""


@dataclass
class Picture:
    """A chart written next to the document (`file`), inlined in the HTML page (`svg`)."""

    file: str
    caption: str
    svg: str


Block = Paragraph | KeyFacts | Table | Bullets | Checklist | Subheading | Diagram | Picture


@dataclass
class Section:
    key: str  # anchor
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    total_line: str  # the monthly total, as the page's headline
    sections: list[Section]
