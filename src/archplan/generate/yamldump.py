"""Deterministic YAML: keys in the order written, block style, multi-line strings as literal blocks,
sequences indented under their key (as kubectl and Cloud Build examples are written).

The text is PyYAML's (`_Dumper` below) byte for byte. PyYAML's emitter is pure Python and was most of
`generate`'s time on large plans, so `dump` writes the shapes we produce itself (mappings, sequences, plain,
single-quoted and literal-block strings, numbers, booleans, null) and hands the whole document to PyYAML the
moment anything else appears: a double-quoted string, a line PyYAML would fold, a key it would not write as a
simple key, a type it would represent differently. Each scalar's style is PyYAML's own choice (its analysis
and resolver, cached per value); tests/generate/test_yamldump.py compares the two on hostile documents."""
from __future__ import annotations

from functools import lru_cache

import yaml
from yaml.emitter import Emitter
from yaml.resolver import Resolver

WIDTH = 110  # PyYAML's best_width for width=110
INDENT = 2
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null"))
_ODD_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True  # repeat shared values in full: no &anchors in generated files


def _string(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _string)


def _pyyaml(document) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=WIDTH,
                     allow_unicode=True)


class _Unsure(Exception):
    """The fast writer does not know PyYAML's text for this document exactly."""


_analyser = Emitter(None, allow_unicode=True)
_resolver = Resolver()


@lru_cache(maxsize=65536)
def _string_style(value: str) -> tuple[str, bool]:
    """(style, usable as a simple key) as PyYAML chooses for a str scalar outside flow context:
    '' plain, "'" single-quoted, '|' literal block; anything else raises _Unsure."""
    if any(ch in value for ch in _ODD_BREAKS):
        raise _Unsure()
    analysis = _analyser.analyze_scalar(value)
    implicit = _resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR
    simple = len(value) < 128 and not analysis.empty and not analysis.multiline
    if "\n" in value:  # represented with style '|'
        if analysis.allow_block and not value.endswith("\n\n") and value != "\n":
            return "|", False
        raise _Unsure()
    if implicit and analysis.allow_block_plain and not analysis.empty:
        plain_as_key = True
        return "", simple and plain_as_key
    if analysis.allow_single_quoted:
        return "'", simple
    raise _Unsure()


def _float_text(value: float) -> str:
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == float("-inf"):
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


@lru_cache(maxsize=4096)
def _implicit(text: str, tag: str) -> bool:
    return _resolver.resolve(yaml.ScalarNode, text, (True, False)) == tag


def _other_scalar(value) -> str | None:
    """The plain text of a non-string scalar, or None when `value` is a collection."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is int:
        text, tag = str(value), _INT
    elif kind is float:
        text, tag = _float_text(value), _FLOAT
    else:
        raise _Unsure()
    if not _implicit(text, tag):
        raise _Unsure()
    return text


def _inline(value, column: int, out: list, indent: int) -> bool:
    """Write a scalar or empty collection after an indicator (`key:` or `-`), starting at `column`.
    True when written; False when `value` is a non-empty collection the caller writes as a block."""
    kind = type(value)
    if kind is str:
        style, _simple = _string_style(value)
        if style == "":
            if " " in value and column + 1 + len(value) > WIDTH:
                raise _Unsure()  # PyYAML may fold it
            out.append(" " + value + "\n")
        elif style == "'":
            quoted = value.replace("'", "''")
            if " " in value and column + 3 + len(quoted) > WIDTH:
                raise _Unsure()
            out.append(" '" + quoted + "'\n")
        else:
            hints = (str(INDENT) if value[0] in " \n" else "") + ("" if value.endswith("\n") else "-")
            out.append(" |" + hints + "\n")
            pad = " " * (indent + INDENT)
            for line in (value[:-1] if value.endswith("\n") else value).split("\n"):
                out.append(pad + line + "\n" if line else "\n")
        return True
    if kind is dict or kind is list:
        if value:
            return False
        out.append(" {}\n" if kind is dict else " []\n")
        return True
    out.append(" " + _other_scalar(value) + "\n")
    return True


def _key(key) -> str:
    if type(key) is not str:
        raise _Unsure()
    style, simple = _string_style(key)
    if not simple or style == "|":
        raise _Unsure()
    return key if style == "" else "'" + key.replace("'", "''") + "'"


def _mapping(mapping: dict, indent: int, out: list, first_prefix: str | None) -> None:
    """Keys at `indent`; the first line begins with `first_prefix` (a sequence's dash) when given."""
    pad = " " * indent
    for position, (key, value) in enumerate(mapping.items()):
        head = (first_prefix if position == 0 and first_prefix is not None else pad) + _key(key) + ":"
        out.append(head)
        if not _inline(value, len(head), out, indent):
            out.append("\n")
            _block(value, indent + INDENT, out, None)


def _sequence(sequence: list, indent: int, out: list, first_prefix: str | None) -> None:
    pad = " " * indent
    for position, value in enumerate(sequence):
        head = (first_prefix if position == 0 and first_prefix is not None else pad) + "-"
        if type(value) in (dict, list) and value:
            _block(value, indent + INDENT, out, head + " ")
        else:
            out.append(head)
            _inline(value, len(head), out, indent)


def _block(value, indent: int, out: list, first_prefix: str | None) -> None:
    if type(value) is dict:
        _mapping(value, indent, out, first_prefix)
    else:
        _sequence(value, indent, out, first_prefix)


def _fast(document) -> str:
    if type(document) not in (dict, list):
        raise _Unsure()
    if not document:
        return "{}\n" if type(document) is dict else "[]\n"
    out: list[str] = []
    _block(document, 0, out, None)
    return "".join(out)


def dump(document) -> str:
    try:
        return _fast(document)
    except (_Unsure, RecursionError):
        return _pyyaml(document)


def dump_all(documents: list) -> str:
    """Several documents separated by `---`."""
    return "---\n".join(dump(document) for document in documents)
