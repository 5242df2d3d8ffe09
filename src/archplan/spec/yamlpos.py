"""Load YAML into plain Python data while remembering the line of every key.

PyYAML's composer gives nodes with marks; we walk them once, building dicts and lists and a map from
each key path (a tuple like ("components", "api", "cpu")) to its 1-based line number.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from archplan.errors import SpecError

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

KeyPath = tuple[Any, ...]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


class Positions(dict):
    """Maps a key path to the line it stands on; looks up the nearest known ancestor."""

    def line_of(self, path: KeyPath) -> int | None:
        path = tuple(path)
        while path:
            if path in self:
                return self[path]
            path = path[:-1]
        return self.get((), None)


def _scalar(node: yaml.ScalarNode, constructor: yaml.constructor.SafeConstructor) -> Any:
    return constructor.construct_object(node, deep=True)


def _walk(node: yaml.Node, path: KeyPath, positions: Positions, constructor, file: str) -> Any:
    positions.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise SpecError("YAML merge keys (<<) are not supported; write the keys out",
                                file, key_node.start_mark.line + 1, _dotted(path))
            if not isinstance(key_node, yaml.ScalarNode):
                raise SpecError("a key must be a plain string", file, key_node.start_mark.line + 1,
                                _dotted(path))
            key = _scalar(key_node, constructor)
            if not isinstance(key, str):
                key = str(key)
            child = path + (key,)
            if key in result:
                raise SpecError(f"duplicate key (first at line {positions[child]})", file,
                                key_node.start_mark.line + 1, _dotted(child))
            positions[child] = key_node.start_mark.line + 1
            result[key] = _walk(value_node, child, positions, constructor, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (index,), positions, constructor, file)
                for index, item in enumerate(node.value)]
    return _scalar(node, constructor)


def _dotted(path: KeyPath) -> str:
    """('components', 'api', 'depends_on', 0) -> 'components.api.depends_on[0]'; odd keys are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(str(part)):
            text += f"[{str(part)!r}]"
        else:
            text += f".{part}" if text else str(part)
    return text


dotted = _dotted


def load_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text; return (data, positions). Syntax errors become SpecError with the line."""
    positions = Positions()
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError(f"invalid YAML: {problem}", file, line) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise SpecError(f"invalid YAML: character {exc.character!r} is not allowed", file, line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file) from None
    if node is None:
        raise SpecError("the file is empty", file, 1)
    constructor = yaml.constructor.SafeConstructor()
    try:
        data = _walk(node, (), positions, constructor, file)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise SpecError(f"invalid YAML value: {exc.problem}", file, mark.line + 1 if mark else None) from None
    return data, positions


def load_yaml_file(path: str | Path) -> tuple[Any, Positions]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError("no such file", str(path)) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a YAML file", str(path)) from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text ({exc.reason})", str(path)) from None
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror}", str(path)) from None
    return load_yaml(text, str(path))
