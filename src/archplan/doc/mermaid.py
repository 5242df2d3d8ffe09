"""The architecture graph as Mermaid flowchart source, for Markdown hosts that draw it (GitHub, GitLab)."""
from __future__ import annotations

import re

from archplan.doc.graph import ArchitectureGraph


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


def to_mermaid(graph: ArchitectureGraph) -> str:
    ids = _identifiers([graph.users] + [n.name for n in graph.nodes])
    lines = ["flowchart TB"]
    if graph.entries:
        lines.append(f'  {ids[graph.users]}(["Users"])')
    for layer, members in graph.layers:
        lines.append(f'  subgraph layer_{layer.key}["{_text(layer.title)}"]')
        for node in members:
            label = f"<b>{_text(node.name)}</b><br/>{_text(node.kind_label)}<br/><small>{_text(node.brief)}</small>"
            opening, closing = ("[(", ")]") if node.shape == "cylinder" else ("[", "]")
            lines.append(f'    {ids[node.name]}{opening}"{label}"{closing}')
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
        lines.append(f"  style layer_{layer.key} fill:{layer.background},stroke:{layer.border}")
    return "\n".join(lines) + "\n"
