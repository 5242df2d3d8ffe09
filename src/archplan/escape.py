"""Escaping for every format archplan writes a plan's values into. Each function takes any text and returns
it in a form that format reads back as exactly that text (or, for comments, as one harmless line).

HCL strings: archplan.generate.hcl.quote. YAML: the PyYAML dumper (generate/yamldump.py) quotes as needed.
HTML: html.escape. DOT: archplan.doc.dot.quote / html_text. The rest are here."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHELL_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]*")


def comment_text(text: str) -> str:
    """Text for a `# ...` comment line: one line, no control characters (a newline would end the comment
    and start code)."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def shell_value(text: str) -> str:
    """A value for a sourced `KEY=value` file: bare when it is plainly safe, else single-quoted ('\\'' for a
    quote), so neither a shell nor docker compose expands or runs anything in it."""
    text = str(text)
    if _SHELL_SAFE.fullmatch(text) and text:
        return text
    return "'" + text.replace("'", "'\\''") + "'"


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_MARKDOWN_HTML = str.maketrans({"<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "~": "\\~"})
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # only an & that would start an entity needs escaping


_MARKDOWN_SPECIAL = re.compile(r"[`&<>\[\]~]")


def markdown_text(text: str) -> str:
    """Markdown inline text with the content's own `code` spans kept: outside them, no HTML tag, entity,
    link or strikethrough can form (& < > as entities, [ ] ~ escaped: GitHub strikes through text between two
    tildes, even single ones, as in "~1 min ... ~$20"); inside them text is literal already."""
    if not _MARKDOWN_SPECIAL.search(text):
        return text  # most table cells (names, figures): nothing to escape, nothing to keep
    if "`" not in text:
        return _markdown_plain(text)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_markdown_plain(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_markdown_plain(text[last:]))
    return "".join(out)


def _markdown_plain(text: str) -> str:
    return (_ENTITY.sub("&amp;", text) if "&" in text else text).translate(_MARKDOWN_HTML)


def fence_for(source: str) -> str:
    """A code fence longer than any run of backticks in the source, so nothing in it can close the block."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    return "`" * max(3, longest + 1)
