"""hcl.quote's fast path (nothing to escape) gives what the full escaper gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archplan.generate import hcl


def _reference(text: str, interpolate: bool) -> str:
    """The escaper without its shortcut: every character looked at."""
    if not interpolate:
        return '"' + hcl._escape(text).replace("${", "$${").replace("%{", "%%{") + '"'
    out, depth, index = [], 0, 0
    while index < len(text):
        if text.startswith("${", index):
            depth, index = depth + 1, index + 2
            out.append("${")
            continue
        char = text[index]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
            out.append(char)
        else:
            out.append(hcl._escape(char))
        index += 1
    return '"' + "".join(out) + '"'


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab-_.${}%"\\\n\t/é ', max_size=30), st.booleans())
def test_quote_matches_the_full_escaper(text, interpolate):
    assert hcl.quote(text, interpolate) == _reference(text, interpolate)
