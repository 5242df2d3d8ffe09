"""The architecture graph as Mermaid flowchart source, for Markdown hosts that draw it (GitHub, GitLab)."""
from __future__ import annotations

import re

from archplan.doc.graph import ArchitectureGraph, global_layers


def _text(text: str) -> str:
    """Text inside a quoted Mermaid label, on one line: # (which starts an entity code), quotes, markup
    characters and backticks (Mermaid's Markdown strings) as entity codes."""
    text = " ".join(text.split()).replace("#", "#35;").replace("`", "#96;")
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;"))


def _identifiers(names: list[str]) -> dict[str, str]:
    """Mermaid node ids: letters, digits and underscores, unique, never a keyword such as `end`."""
    taken: set[str] = set()
    ids = {}
    for name in names:
        base = "n_" + (re.sub(r"[^A-Za-z0-9_]", "_", name) or "x")
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(candidate)
        ids[name] = candidate
    return ids


def _layer_group(ids: dict[str, str], layer, members, group_id: str, pad: str) -> list[str]:
    lines = [f'{pad}subgraph {group_id}["{_text(layer.title)}"]']
    for node in members:
        label = f"<b>{_text(node.name)}</b><br/>{_text(node.kind_label)}<br/><small>{_text(node.brief)}</small>"
        opening, closing = ("[(", ")]") if node.shape == "cylinder" else ("[", "]")
        lines.append(f'{pad}  {ids[node.name]}{opening}"{label}"{closing}')
    lines.append(f"{pad}end")
    return lines


def to_mermaid(graph: ArchitectureGraph) -> str:
    ids = _identifiers([graph.users] + [n.name for n in graph.nodes])
    lines = ["flowchart TB"]
    if graph.entries:
        lines.append(f'  {ids[graph.users]}(["Users"])')
    for layer, members in global_layers(graph):
        lines += _layer_group(ids, layer, members, f"layer_{layer.key}", "  ")
    for index, (region, layers) in enumerate(graph.regions):
        lines.append(f'  subgraph region_{index}["{_text(region)}"]')
        for layer, members in layers:
            lines += _layer_group(ids, layer, members, f"region_{index}_{layer.key}", "    ")
        lines.append("  end")
    # Mermaid has no ports: a cluster's deployments' edges to one target are one line naming them.
    drawn: dict[tuple[str, str, str, str], list[str]] = {}
    for edge in graph.edges:
        callers = drawn.setdefault((edge.source, edge.target, edge.style, edge.label), [])
        if edge.source_port:
            callers.append(edge.source_port + (f" -> {edge.target_port}" if edge.source == edge.target else ""))
    for (source, target, style, text), callers in drawn.items():
        arrow = {"observe": "-.->", "soft": "-.->", "reference": "-.-o"}.get(style, "-->")
        if style == "users":
            arrow = "==>"
        text = ", ".join(dict.fromkeys(callers)) + (f": {text}" if text and callers else "") if callers else text
        label = f'|"{_text(text)}"|' if text else ""
        lines.append(f"  {ids[source]} {arrow}{label} {ids[target]}")
    for layer, members in graph.layers:
        lines.append(f"  classDef {layer.key} fill:{layer.fill},stroke:{layer.border},color:#202124")
        lines.append(f"  class {','.join(ids[n.name] for n in members)} {layer.key}")
        if not graph.regions:
            lines.append(f"  style layer_{layer.key} fill:{layer.background},stroke:{layer.border}")
    for layer, _members in global_layers(graph) if graph.regions else []:
        lines.append(f"  style layer_{layer.key} fill:{layer.background},stroke:{layer.border}")
    for index, (_region, layers) in enumerate(graph.regions):
        lines.append(f"  style region_{index} fill:#ffffff,stroke:#202124,stroke-dasharray:4")
        for layer, _members in layers:
            lines.append(f"  style region_{index}_{layer.key} fill:{layer.background},stroke:{layer.border}")
    return "\n".join(lines) + "\n"
