"""A small HCL writer whose output is what `terraform fmt` would leave unchanged.

A body is a dict: a key maps to a value (an attribute), to a `Block` or list of `Block`s (nested blocks), or is
a comment (a key starting with "#", value None). Values: str (a literal string, `${` escaped), `Tpl` (a string
with interpolations), `Expr` (a raw expression), `Text` (a literal multi-line text, written as a heredoc a
reviewer can read), bool, int, Decimal, None, list and dict (an object).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

INDENT = "  "
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ONE_LINE_LIST_WIDTH = 100


class Expr(str):
    """A raw HCL expression: a reference, a function call, a conditional."""


class Tpl(str):
    """A quoted string whose ${...} interpolations are kept."""


class Text(str):
    """A literal multi-line text (a script, a policy document): written as an indented heredoc, `<<-EOT`, whose
    lines read as they will run. `${` and `%{` are escaped as in a quoted string (heredocs are templates);
    backslashes are not (a heredoc has no backslash escapes). A text a heredoc cannot carry exactly is written
    as a quoted string (_heredoc_lines)."""


@dataclass
class Block:
    type: str
    labels: tuple[str, ...] = ()
    body: dict = field(default_factory=dict)


def resource(type_: str, name: str, body: dict) -> Block:
    """A resource block; checkov skip comments go first, where a reader looks for them."""
    skips = {k: v for k, v in body.items() if k.startswith("#checkov:skip=")}
    return Block("resource", (type_, name), {**skips, **{k: v for k, v in body.items() if k not in skips}})


def data(type_: str, name: str, body: dict) -> Block:
    return Block("data", (type_, name), body)


def nested(body: dict, *labels: str) -> Block:
    """A nested block; its type is the key it is stored under."""
    return Block("", labels, body)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")  # besides \n and \t: as \uNNNN


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_PLAIN = re.compile(r'[^\\"\n\t$%\x00-\x08\x0b-\x1f\x7f\u2028\u2029]*')  # nothing to escape: most names


@lru_cache(maxsize=65536)
def quote(text: str, interpolate: bool = False) -> str:
    """A string literal; remembered per text, as generated files repeat the same names and roles often."""
    if _PLAIN.fullmatch(text):
        return '"' + text + '"'
    if not interpolate:
        return '"' + _escape(text).replace("${", "$${").replace("%{", "%%{") + '"'
    if not any(char in text for char in '\\"\n\t') and not _CONTROL.search(text):
        return '"' + text + '"'  # `${` and `%{` are kept as written in a template
    # Escape only outside ${...}: inside an interpolation, quotes belong to the expression.
    out, depth, index = [], 0, 0
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            out.append("${")
            index += 2
            continue
        char = text[index]
        if depth:
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            out.append(char)
        else:
            out.append(_escape(char))
        index += 1
    return '"' + "".join(out) + '"'


def number(value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if "." not in text else text.rstrip("0").rstrip(".")
    return str(value)


def _scalar(value) -> str | None:
    """The one-line form of a scalar, or None for lists and objects."""
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is Text:
        return None  # a heredoc: several lines (_value_lines)
    if kind is Expr:
        return str(value)
    if kind is Tpl:
        return quote(value, interpolate=True)
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, Tpl):
        return quote(value, interpolate=True)
    if isinstance(value, str):
        return quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return number(value)
    return None


def _heredoc_lines(text: str, depth: int) -> list[str]:
    """`<<-MARK`, the text's lines indented one level deeper (terraform strips the common indentation), and
    MARK at the attribute's own indentation; MARK is a word no line of the text is. A text the indented form
    cannot carry exactly (no line starting in its first column, lines of only blanks, tabs or carriage returns
    at a line's start) is one quoted string instead."""
    lines = text[:-1].split("\n")
    exact = text.endswith("\n") and "\r" not in text and \
        any(line[:1] not in ("", " ", "\t") for line in lines) and \
        all(line == "" or (line.strip() and line[:1] != "\t") for line in lines)
    if not exact:
        return [quote(str(text))]
    marker, suffix = "EOT", 0
    while any(line.strip() == marker for line in lines):
        suffix += 1
        marker = f"EOT{suffix}"
    pad = INDENT * (depth + 1)
    body = [pad + line.replace("${", "$${").replace("%{", "%%{") if line else "" for line in lines]
    return [f"<<-{marker}", *body, INDENT * depth + marker]


def _value_lines(value, depth: int) -> list[str]:
    """A value as lines; the first line continues the `name = ` it follows."""
    if type(value) is Text:
        return _heredoc_lines(value, depth)
    one = _scalar(value)
    if one is not None:
        return [one]
    pad = INDENT * (depth + 1)
    if isinstance(value, (list, tuple)):
        if not value:
            return ["[]"]
        items = [_scalar(item) for item in value]
        if None not in items:
            joined = "[" + ", ".join(items) + "]"
            if len(joined) + len(pad) <= _ONE_LINE_LIST_WIDTH:
                return [joined]
        lines = ["["]
        for item in value:
            item_lines = _value_lines(item, depth + 1)
            lines.append(pad + item_lines[0])
            lines.extend(item_lines[1:])
            lines[-1] += ","
        lines.append(INDENT * depth + "]")
        return lines
    if isinstance(value, dict):
        if not value:
            return ["{}"]
        lines = ["{"]
        _body_into(lines, value, depth + 1, True)
        lines.append(INDENT * depth + "}")
        return lines
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def _is_blocks(value) -> bool:
    kind = type(value)
    if kind is Block:
        return True
    return kind is list and bool(value) and all(type(v) is Block for v in value)


def _is_comment_line(line: str) -> bool:
    return line.lstrip().startswith("#")


def _body_into(out: list[str], body: dict, depth: int, object_keys: bool) -> None:
    """Append a body's lines to `out` (which holds at least the line opening the body)."""
    pad = INDENT * depth
    start = len(out)  # lines before `start` belong to the caller: this body's first line follows a `{`
    group: list[tuple[str, str]] = []  # consecutive one-line attributes, aligned on "="
    items = None
    previous_was_block = False
    for index, (name, value) in enumerate(body.items()):
        if name[:1] == "#":
            if group:
                _flush(out, group, pad)
            if items is None:
                items = list(body.items())
            if not previous_was_block:
                following = next((items[later][1] for later in range(index + 1, len(items))
                                  if items[later][0][:1] != "#"), None)
            if (previous_was_block or _is_blocks(following)) and len(out) > start and \
                    out[-1] != pad + name and not _is_comment_line(out[-1]):
                if out[-1] != "" and not out[-1].endswith("{"):
                    out.append("")
            out.append(pad + name)
            previous_was_block = False
            continue
        kind = type(value)
        if kind is Block or (kind is list and value and type(value[0]) is Block and _is_blocks(value)):
            if group:
                _flush(out, group, pad)
            for item in (value if kind is list else (value,)):
                if len(out) > start and not _is_comment_line(out[-1]) and out[-1] != "" and \
                        not out[-1].endswith("{"):
                    out.append("")
                _block_into(out, name, item.labels, item.body, depth)
            previous_was_block = True
            continue
        if previous_was_block:
            out.append("")
            previous_was_block = False
        key = quote(name) if object_keys and not _IDENTIFIER.match(name) else name
        one = quote(value) if kind is str else _scalar(value)
        if one is not None:
            group.append((key, one))
            continue
        value_lines = _value_lines(value, depth)
        if len(value_lines) == 1 or kind is Text:  # terraform fmt aligns a heredoc's `=` with its neighbours
            group.append((key, "\n".join(value_lines)))
        else:
            if group:
                _flush(out, group, pad)
            out.append(f"{pad}{key} = {value_lines[0]}")
            out.extend(value_lines[1:])
    if group:
        _flush(out, group, pad)


def _flush(out: list[str], group: list[tuple[str, str]], pad: str) -> None:
    if len(group) == 1:
        name, text = group[0]
        out.append(f"{pad}{name} = {text}")
    else:
        width = max([len(name) for name, _ in group])
        out.extend([f"{pad}{name.ljust(width)} = {text}" for name, text in group])
    group.clear()


def _block_into(out: list[str], type_: str, labels: tuple, body: dict, depth: int) -> None:
    pad = INDENT * depth
    head = " ".join([type_, *[quote(label) for label in labels]])
    out.append(f"{pad}{head} {{")
    if body:
        _body_into(out, body, depth + 1, False)
    out.append(f"{pad}}}")


def _block_lines(item: Block, depth: int) -> list[str]:
    lines: list[str] = []
    _block_into(lines, item.type, item.labels, item.body, depth)
    return lines


def render(items: list) -> str:
    """Top-level blocks separated by one blank line, with a final newline. A str item is a comment written
    directly above the block that follows it."""
    chunks: list[str] = []
    pending: list[str] = []
    for item in items:
        if isinstance(item, str):
            pending.extend(comment_lines(item))
            continue
        chunks.append("\n".join(pending + _block_lines(item, 0)))
        pending = []
    if pending:
        chunks.append("\n".join(pending))
    return "\n\n".join(chunks) + "\n"


def comment_lines(text: str) -> list[str]:
    return [f"# {line}" if line else "#" for line in text.splitlines()]
