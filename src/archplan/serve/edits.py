"""What-if changes to a plan, applied to a round-trip YAML document so that a saved plan keeps its comments
and key order. A change is {"path": [...keys...], "value": scalar or null}; null removes the key.

Changes are made in the user's words: `components.api.max_instances`, `traffic.daily_active_users`. When an
environment is selected they are written into that environment's overrides, so the what-if is about the
environment the page shows and a saved file keeps the base plan as it was.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

# Where a change may go: the sections that drive the figures. Anything else is refused, so the API can never
# rewrite the project's identity, claims or checks.
EDITABLE_ROOTS = ("traffic", "components", "slo")
MAX_CHANGES = 200
MAX_KEY_LENGTH = 100
MAX_STRING_LENGTH = 200


class EditError(ValueError):
    """A change that cannot be applied: one line, shown by the page and returned as HTTP 400."""


@dataclass(frozen=True)
class Change:
    path: tuple[str, ...]
    value: object


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 110
    return yaml


def parse_changes(raw) -> list[Change]:
    """Validate the JSON body's `changes` list; every problem is one EditError line."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise EditError("changes: expected a list of {path, value}")
    if len(raw) > MAX_CHANGES:
        raise EditError(f"changes: at most {MAX_CHANGES} changes at once (got {len(raw)})")
    changes = []
    for index, item in enumerate(raw):
        where = f"changes[{index}]"
        if not isinstance(item, dict) or set(item) - {"path", "value"} or "path" not in item:
            raise EditError(f"{where}: expected {{path: [keys], value: scalar}}")
        path = item["path"]
        if isinstance(path, str):
            path = path.split(".")
        if not isinstance(path, list) or not 2 <= len(path) <= 4 or not all(isinstance(k, str) and k for k in path):
            raise EditError(f"{where}.path: expected 2 to 4 keys, e.g. [\"components\", \"api\", \"max_instances\"]")
        if any(len(key) > MAX_KEY_LENGTH or not key.isprintable() for key in path):
            raise EditError(f"{where}.path: keys are printable and at most {MAX_KEY_LENGTH} characters")
        if path[0] not in EDITABLE_ROOTS:
            raise EditError(f"{where}.path: {path[0]!r} cannot be changed here; editable: "
                            + ", ".join(EDITABLE_ROOTS))
        if path[0] == "components" and len(path) < 3:
            raise EditError(f"{where}.path: name a setting of the component, e.g. components.api.max_instances")
        value = item.get("value")
        if isinstance(value, float):
            try:
                value = Decimal(repr(value))
            except InvalidOperation:
                raise EditError(f"{where}.value: not a finite number") from None
            if not value.is_finite():
                raise EditError(f"{where}.value: not a finite number")
        if not (value is None or isinstance(value, (bool, int, str, Decimal))):
            raise EditError(f"{where}.value: expected a number, true/false, text or null")
        if isinstance(value, str) and (len(value) > MAX_STRING_LENGTH or not value.isprintable()):
            raise EditError(f"{where}.value: text is printable and at most {MAX_STRING_LENGTH} characters")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 15:
            raise EditError(f"{where}.value: at most 10^15 in size")
        changes.append(Change(tuple(path), value))
    return changes


def _plain(value):
    """A YAML scalar for a JSON value: whole Decimals become ints so the file reads as the user wrote it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class View:
    """What the page shows: the base plan, an environment, a growth phase (at its index in `phases:`), or an
    environment with a phase on top. Changes go into the overrides of the last of these."""

    environment: str | None = None
    phase: str | None = None
    phase_index: int | None = None

    @property
    def label(self) -> str:
        parts = [p for p in (self.environment, f"phase {self.phase}" if self.phase else None) if p]
        return ", ".join(parts) or "base plan"


def _target_path(change: Change, view: View) -> tuple:
    if change.path[0] == "slo":
        return change.path
    if view.phase_index is not None:
        return ("phases", view.phase_index) + change.path
    if view.environment is not None:
        return ("project", "environments", view.environment) + change.path
    return change.path


def apply(document: dict, changes: list[Change], view: View, components: set[str],
          mapping=CommentedMap) -> None:
    """Apply changes in place. Components must exist in the plan; intermediate mappings are created (as
    `mapping`: CommentedMap for a document to save, dict for plain data to evaluate)."""
    for index, change in enumerate(changes):
        if change.path[0] == "components" and change.path[1] not in components:
            raise EditError(f"changes[{index}].path: no component {change.path[1]!r} in the plan")
        node = document
        path = _target_path(change, view)
        for position, key in enumerate(path[:-1]):
            if isinstance(key, int):
                node = node[key]  # a phase, found by name in this very document
                continue
            child = node.get(key) if isinstance(node, dict) else None
            if isinstance(child, list) and isinstance(path[position + 1], int):
                node = child
                continue
            if child is None:
                if change.value is None:
                    break
                child = mapping()
                node[key] = child
            if not isinstance(child, dict):
                raise EditError(f"changes[{index}].path: {'.'.join(map(str, path))} is not a mapping in the plan")
            node = child
        else:
            if change.value is None:
                node.pop(path[-1], None)
            else:
                node[path[-1]] = _plain(change.value) if mapping is CommentedMap else change.value


@dataclass
class Document:
    """A round-trip YAML document and the indentation it was written with, so a dump changes only the
    values that were changed."""

    root: CommentedMap
    mapping_indent: int
    sequence_indent: int
    sequence_dash_offset: int


def _scalar_text(value) -> str:
    """The YAML text of a changed scalar: plain for numbers and booleans, double-quoted (JSON) for text, so
    it is right in block and flow context alike."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _shared_nodes(root) -> set[int]:
    """The ids of the nodes that stand in more than one place: a YAML anchor and its aliases share one node."""
    import yaml

    seen, shared, stack = set(), set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
    return shared


def _nodes_along(root, change: Change, view: View) -> list:
    """The nodes the change's keys lead through, its own value last (fewer when a key is not in the file)."""
    import yaml

    node, along = root, []
    for key in _target_path(change, view):
        found = None
        if isinstance(key, int) and isinstance(node, yaml.SequenceNode) and key < len(node.value):
            found = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        node = found
        if node is None:
            break
        along.append(node)
    return along


def _compose(text: str):
    import yaml

    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def refuse_shared(text: str, changes: list[Change], view: View, root=None) -> None:
    """An EditError for a change to a value an anchor shares with other keys (`max_instances: *mx`, or the
    `&mx` itself): written in place it would change every key that shares it, not the one asked for."""
    if "&" not in text and root is None:
        return  # no anchor, nothing shared (the common plan, on every what-if)
    root = _compose(text) if root is None else root
    shared = _shared_nodes(root)
    if not shared:
        return
    for index, change in enumerate(changes):
        if any(id(node) in shared for node in _nodes_along(root, change, view)):
            raise EditError(f"changes[{index}].path: {'.'.join(change.path)} is shared with other keys through a "
                            "YAML anchor (&name) and its aliases (*name); edit it in the file, where both show")


def splice(text: str, changes: list[Change], view: View) -> tuple[str, list[Change]]:
    """Replace the text of every changed value that already stands in the file as a scalar, leaving every
    other character (comments, quotes, wrapping) as it was. Returns the new text and the changes that need
    a structural edit (a new or removed key). A value shared through an anchor is refused (refuse_shared)."""
    import yaml

    root = _compose(text)
    refuse_shared(text, changes, view, root)
    replacements, remaining = [], []
    for change in changes:
        along = _nodes_along(root, change, view)
        node = along[-1] if len(along) == len(_target_path(change, view)) else None
        if change.value is None or not isinstance(node, yaml.ScalarNode) or node.tag != node.tag.strip() \
                or node.end_mark.index <= node.start_mark.index:
            remaining.append(change)
            continue
        replacements.append((node.start_mark.index, node.end_mark.index, _scalar_text(change.value)))
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text, remaining


def load(text: str) -> Document:
    from archplan.spec import indent

    root = _yaml().load(text)  # with quotes preserved, which the guessing loader does not do
    return Document(root, *indent.guess(text))


def dump(document: Document) -> str:
    yaml = _yaml()
    yaml.indent(mapping=document.mapping_indent, sequence=document.sequence_indent,
                offset=document.sequence_dash_offset)
    stream = io.StringIO()
    yaml.dump(document.root, stream)
    return stream.getvalue()
