"""Setting paths in `vary:`: `tier`, `backups.pitr`, `node_pools[default-pool].nodes` (a named list item).
One reader and one writer, used on validated settings, on plan data and on the round-trip YAML alike."""
from __future__ import annotations

import re

_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]+)\])?$")


def parse(path: str) -> list[tuple[str, str | None]]:
    """'node_pools[p].nodes' -> [('node_pools', 'p'), ('nodes', None)]."""
    out = []
    for segment in str(path).split("."):
        match = _SEGMENT.match(segment)
        if not match:
            raise ValueError(f"{path!r} is not a setting path (e.g. tier, backups.pitr, node_pools[pool].nodes)")
        out.append((match.group(1), match.group(2)))
    return out


def _item(items, name: str, create: bool):
    for item in items:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    if not create:
        raise KeyError(name)
    items.append({"name": name})
    return items[-1]


def get(data, path: str):
    node = data
    for key, name in parse(path):
        node = node[key]
        if name is not None:
            node = _item(node, name, False)
    return node


def put(data, path: str, value, create: bool = False, new_map=dict) -> None:
    """Set the value at path; with `create`, missing mappings and named items are added (an environment's
    overrides hold only what they change)."""
    segments = parse(path)
    node = data
    for index, (key, name) in enumerate(segments):
        last = index == len(segments) - 1
        if last and name is None:
            node[key] = value
            return
        if key not in node or node[key] is None:
            if not create:
                raise KeyError(key)
            node[key] = [] if name is not None else new_map()
        node = node[key]
        if name is not None:
            node = _item(node, name, create)
            if last:
                raise ValueError(f"{path!r} ends at a list item; name one of its settings")
