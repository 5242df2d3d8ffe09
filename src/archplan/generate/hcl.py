"""A small HCL writer whose output is what `terraform fmt` would leave unchanged.

A body is a dict: a key maps to a value (an attribute), to a `Block` or list of `Block`s (nested blocks), or is
a comment (a key starting with "#", value None). Values: str (a literal string, `${` escaped), `Tpl` (a string
with interpolations), `Expr` (a raw expression), bool, int, Decimal, None, list and dict (an object).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

INDENT = "  "
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ONE_LINE_LIST_WIDTH = 100


class Expr(str):
    """A raw HCL expression: a reference, a function call, a conditional."""


class Tpl(str):
    """A quoted string whose ${...} interpolations are kept."""


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


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


_PLAIN = re.compile(r'[^\\"\n\t$%]*')  # nothing to escape: most names and values


def quote(text: str, interpolate: bool = False) -> str:
    if _PLAIN.fullmatch(text):
        return '"' + text + '"'
    if not interpolate:
        return '"' + _escape(text).replace("${", "$${").replace("%{", "%%{") + '"'
    if not any(char in text for char in '\\"\n\t'):
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


def _value_lines(value, depth: int) -> list[str]:
    """A value as lines; the first line continues the `name = ` it follows."""
    one = _scalar(value)
    if one is not None:
        return [one]
    pad = INDENT * (depth + 1)
    if isinstance(value, (list, tuple)):
        if not value:
            return ["[]"]
        items = [_scalar(item) for item in value]
        if all(item is not None for item in items):
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
        lines.extend(_body_lines(value, depth + 1, object_keys=True))
        lines.append(INDENT * depth + "}")
        return lines
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def _key(name: str, object_keys: bool) -> str:
    if object_keys and not _IDENTIFIER.match(name):
        return quote(name)
    return name


def _is_blocks(value) -> bool:
    return isinstance(value, Block) or (isinstance(value, list) and bool(value)
                                        and all(isinstance(v, Block) for v in value))


def _body_lines(body: dict, depth: int, object_keys: bool = False) -> list[str]:
    pad = INDENT * depth
    lines: list[str] = []
    group: list[tuple[str, str]] = []  # consecutive one-line attributes, aligned on "="
    items = list(body.items())

    def flush():
        if group:
            width = max(len(name) for name, _ in group)
            lines.extend(f"{pad}{name.ljust(width)} = {text}" for name, text in group)
            group.clear()

    def separate():
        if lines and lines[-1] != "" and not lines[-1].endswith("{"):
            lines.append("")

    previous_was_block = False
    for index, (name, value) in enumerate(items):
        if name.startswith("#"):
            flush()
            following = next((v for k, v in items[index + 1:] if not k.startswith("#")), None)
            if (previous_was_block or _is_blocks(following)) and not lines[-1:] == [pad + name] and \
                    not (lines and lines[-1].lstrip().startswith("#")):
                separate()
            lines.append(pad + name)
            previous_was_block = False
            continue
        if _is_blocks(value):
            flush()
            for item in (value if isinstance(value, list) else [value]):
                if not (lines and lines[-1].lstrip().startswith("#")):
                    separate()
                lines.extend(_block_lines(Block(name, item.labels, item.body), depth))
            previous_was_block = True
            continue
        if previous_was_block:
            lines.append("")
            previous_was_block = False
        value_lines = _value_lines(value, depth)
        key = _key(name, object_keys)
        if len(value_lines) == 1:
            group.append((key, value_lines[0]))
        else:
            flush()
            lines.append(f"{pad}{key} = {value_lines[0]}")
            lines.extend(value_lines[1:])
    flush()
    return lines


def _block_lines(item: Block, depth: int) -> list[str]:
    pad = INDENT * depth
    head = " ".join([item.type] + [quote(label) for label in item.labels])
    if not item.body:
        return [f"{pad}{head} {{", f"{pad}}}"]
    return [f"{pad}{head} {{", *_body_lines(item.body, depth + 1), f"{pad}}}"]


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
