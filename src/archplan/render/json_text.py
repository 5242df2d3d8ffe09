"""JSON text exactly as `json.dumps(data, indent=2, ensure_ascii=False)` writes it, without the standard
library's pure-Python indenting encoder (its C encoder does not indent): the cost and check reports of a
large plan hold hundreds of thousands of values, and `validate` renders each in every environment.

Strings go through the standard library's own escaping (json.encoder.encode_basestring), numbers through
the same repr; anything else (a non-string key, a type JSON has no form for) is left to json.dumps itself,
so its output and its errors are the standard library's."""
from __future__ import annotations

import json
from json.encoder import encode_basestring

_INFINITY = float("inf")


class _Unusual(Exception):
    """A value this writer leaves to json.dumps."""


def dumps(data) -> str:
    out: list[str] = []
    try:
        _value(data, out, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


def _value(value, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(_float(value))
    elif kind is dict or kind is list or kind is tuple:
        _container(value, kind is dict, out, newline)
    else:
        raise _Unusual


def _container(value, mapping: bool, out: list[str], newline: str) -> None:
    """A non-empty dict, list or tuple; its scalars are written here, not by a call each (most values are)."""
    if not value:
        out.append("{}" if mapping else "[]")
        return
    append = out.append
    inner = newline + "  "
    separator = "," + inner
    append("{" + inner if mapping else "[" + inner)
    first = True
    for entry in value.items() if mapping else value:
        if first:
            first = False
        else:
            append(separator)
        if mapping:
            key, entry = entry
            if type(key) is not str:
                raise _Unusual
            append(encode_basestring(key))
            append(": ")
        kind = type(entry)
        if kind is str:
            append(encode_basestring(entry))
        elif kind is float:
            append(_float(entry))
        elif kind is int:
            append(int.__repr__(entry))
        elif entry is None:
            append("null")
        elif entry is True:
            append("true")
        elif entry is False:
            append("false")
        elif kind is dict or kind is list or kind is tuple:
            _container(entry, kind is dict, out, inner)
        else:
            raise _Unusual
    append(newline + ("}" if mapping else "]"))


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)
