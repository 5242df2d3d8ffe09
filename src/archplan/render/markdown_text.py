"""Markdown pieces shared by the renderers that write it."""
from __future__ import annotations

import re


def code(text: str) -> str:
    """Inline code. Nothing is escaped inside a code span (a backslash shows as itself), so the fence is one
    backtick longer than the longest run in the text, padded with spaces when the text starts or ends with one;
    a line break would end the span's paragraph, so it is a space."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
