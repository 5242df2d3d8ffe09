"""Load YAML into plain Python data while remembering the line of every key.

PyYAML's composer gives nodes with marks; we walk them once, building dicts and lists and a map from
each key path (a tuple like ("components", "api", "cpu")) to its 1-based line number.

A plan is untrusted input, so everything here is bounded (see docs/limits.md): the file's size, how deep
collections nest, how many values aliases may expand to, how long a list or mapping is, how many digits a
number has. Each limit is a one-line SpecError naming the line.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from archplan.errors import SpecError

try:
    _Loader = yaml.CSafeLoader
    _Parser = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    _Parser = yaml.SafeLoader

KeyPath = tuple[Any, ...]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")

# Input limits; docs/limits.md gives the reason for each.
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 1_000_000
MAX_ALIASES = 1_000
MAX_ITEMS = 50_000
MAX_NUMBER_DIGITS = 30
MAX_KEY_CHARS = 200
MAX_STRING_CHARS = 10_000

# Characters YAML 1.1 does not allow in a stream (PyYAML refuses them, libyaml with a byte offset).
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# Characters YAML reads as a line break but editors and error lines do not (NEL, LINE and PARAGRAPH SEPARATOR):
# every line number after one would be off, so they are refused where they stand.
_ODD_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# Control characters a value can only carry through a "\0"-style escape; no output format wants them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class Positions(dict):
    """Maps a key path to the line it stands on; looks up the nearest known ancestor.

    `origins` maps a path an environment override wrote to the path where the override is written, so an
    error in merged data names the key as the user wrote it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.origins: dict[KeyPath, KeyPath] = {}
        self.touched: dict[KeyPath, KeyPath] = {}  # a mapping an override merged into -> the override

    def line_of(self, path: KeyPath) -> int | None:
        path = self.written_at(path) if self.origins else tuple(path)
        while path:
            if path in self:
                return self[path]
            path = path[:-1]
        return self.get((), None)

    def written_at(self, path: KeyPath) -> KeyPath:
        """The path as written in the file: an override's own path where the value came from one."""
        path = tuple(path)
        if not self.origins:
            return path
        for cut in range(len(path), 0, -1):
            origin = self.origins.get(path[:cut])
            if origin is not None:
                return origin + path[cut:]
        return path

    def copy(self) -> "Positions":
        clone = Positions(self)
        clone.origins = dict(self.origins)
        clone.touched = dict(self.touched)
        return clone


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index (characters, not bytes)."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


class _Walker:
    """Builds plain data from a node tree, counting what aliases expand to and refusing alias cycles."""

    def __init__(self, file: str, positions: Positions):
        self.file = file
        self.positions = positions
        self.constructor = yaml.constructor.SafeConstructor()
        self.values = 0
        self.aliases = 0
        self.seen: set[int] = set()

    def error(self, message: str, node: yaml.Node, path: KeyPath) -> SpecError:
        return SpecError(message, self.file, node.start_mark.line + 1, _dotted(path))

    def walk(self, root: yaml.Node) -> Any:
        # An explicit stack instead of recursion: depth is bounded anyway, but aliases can nest further.
        result_holder: list[Any] = [None]
        stack: list[tuple[yaml.Node, KeyPath, Any, Any, frozenset[int]]] = [(root, (), result_holder, 0, frozenset())]
        while stack:
            node, path, parent, slot, ancestors = stack.pop()
            parent[slot] = self._build(node, path, ancestors, stack)
        return result_holder[0]

    def _count(self, node: yaml.Node, path: KeyPath, ancestors: frozenset[int]) -> None:
        if id(node) in ancestors:
            raise self.error("a YAML alias refers to the collection it is in (a recursive alias)", node, path)
        if id(node) in self.seen and isinstance(node, yaml.CollectionNode):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.error(f"more than {MAX_ALIASES} uses of YAML aliases", node, path)
        self.seen.add(id(node))
        self.values += 1 + (len(node.value) if isinstance(node, yaml.CollectionNode) else 0)
        if self.values > MAX_VALUES:
            raise self.error(f"the plan expands to more than {MAX_VALUES:,} values (YAML aliases?)", node, path)
        if len(path) > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep", node, path)
        if isinstance(node, yaml.CollectionNode) and len(node.value) > MAX_ITEMS:
            raise self.error(f"more than {MAX_ITEMS:,} entries in one list or mapping", node, path)

    def _build(self, node: yaml.Node, path: KeyPath, ancestors: frozenset[int], stack: list) -> Any:
        self._count(node, path, ancestors)
        self.positions.setdefault(path, node.start_mark.line + 1)
        inner = ancestors | {id(node)}
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.error("YAML merge keys (<<) are not supported; write the keys out", key_node, path)
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error("a key must be a plain string", key_node, path)
                key = self.scalar(key_node, path)
                key = key if isinstance(key, str) else str(key)
                if len(key) > MAX_KEY_CHARS:
                    raise self.error(f"a key longer than {MAX_KEY_CHARS} characters", key_node, path)
                child = path + (key,)
                if key in result:
                    raise SpecError(f"duplicate key (first at line {self.positions[child]})", self.file,
                                    key_node.start_mark.line + 1, _dotted(child))
                self.positions[child] = key_node.start_mark.line + 1
                result[key] = None
                stack.append((value_node, child, result, key, inner))
            return result
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = [None] * len(node.value)
            for index, item in enumerate(node.value):
                stack.append((item, path + (index,), items, index, inner))
            return items
        return self.scalar(node, path)

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        value = node.value
        if len(value) > MAX_STRING_CHARS:
            raise self.error(f"a value longer than {MAX_STRING_CHARS:,} characters", node, path)
        if node.tag in _NUMBER_TAGS and len(value) > MAX_NUMBER_DIGITS \
                and sum(ch.isdigit() for ch in value) > MAX_NUMBER_DIGITS:
            raise self.error(f"a number of more than {MAX_NUMBER_DIGITS} digits", node, path)
        if node.style in ('"', "'") or node.tag == "tag:yaml.org,2002:str":
            control = _CONTROL.search(value)
            if control:
                raise self.error(f"a value holds the control character U+{ord(control.group()):04X}", node, path)
            invisible = _format_character(value)
            if invisible:
                raise self.error(f"a value holds the invisible formatting character U+{ord(invisible):04X} "
                                 f"({unicodedata.name(invisible, 'format character').lower()}), which can "
                                 "make generated text read other than it is", node, path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise self.error(f"invalid YAML value: {exc.problem}", node, path) from None
        except (ValueError, KeyError, TypeError, OverflowError, ArithmeticError, AttributeError):
            tag = node.tag.rsplit(":", 1)[-1]
            raise self.error(f"not a valid !!{tag}: {_short(value)}", node, path) from None


def _format_character(value: str) -> str | None:
    """The first character of Unicode category Cf in the value: a bidirectional override (U+202E) reorders
    what a comment, a README or a spreadsheet shows; a zero-width one (U+200B) hides a difference."""
    if value.isascii():
        return None
    return next((ch for ch in value if unicodedata.category(ch) == "Cf"), None)


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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


def _check_events(text: str, file: str) -> None:
    """Refuse deep nesting before anything recursive sees it (the composer recurses per level)."""
    depth = 0
    loader = _Parser(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SpecError(f"nested more than {MAX_DEPTH} levels deep", file, event.start_mark.line + 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def load_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text; return (data, positions). Syntax errors become SpecError with the line."""
    positions = Positions()
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = line_and_column(text, bad.start())
        raise SpecError(f"invalid YAML: character {bad.group()!r} (column {column}) is not allowed", file, line)
    odd = _ODD_LINE_BREAKS.search(text)
    if odd:
        line, column = line_and_column(text, odd.start())
        raise SpecError(f"invalid YAML: character U+{ord(odd.group()):04X} (column {column}) is a line break to YAML "
                        "but not to an editor; use a newline or a space", file, line)
    try:
        _check_events(text, file)
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
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file) from None
    except RecursionError:
        raise SpecError(f"nested more than {MAX_DEPTH} levels deep", file) from None
    if node is None:
        raise SpecError("the file is empty", file, 1)
    data = _Walker(file, positions).walk(node)
    return data, positions


def read_plan_text(path: str | Path) -> str:
    """The file as text: at most MAX_FILE_BYTES, UTF-8, or a SpecError with the line and byte offset."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SpecError("no such file", str(path)) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a YAML file", str(path)) from None
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror}", str(path)) from None
    return plan_text(raw, str(path))


def too_large(file: str) -> SpecError:
    return SpecError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the most a plan may be", file)


def plan_text(raw: bytes, file: str) -> str:
    """A plan's bytes (a file's, or a git revision's) as text: at most MAX_FILE_BYTES, UTF-8, without a BOM."""
    if len(raw) > MAX_FILE_BYTES:
        raise too_large(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte_in_line = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(f"not UTF-8 text ({exc.reason} at byte offset {exc.start}, byte {byte_in_line} of the "
                        "line)", file, line) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_yaml_file(path: str | Path) -> tuple[Any, Positions]:
    return load_yaml(read_plan_text(path), str(path))
