"""The architecture graph as Graphviz DOT, and DOT turned into SVG or PNG by the `dot` program.

Layers are clusters in rows, top to bottom: an invisible separator point sits between consecutive rows
(every node of one row above the point, every node of the next below it), so a layer never slides
into another's row. Edge labels are real labels, which dot lays out as space of their own: they never sit on
a node or on another label. A layer with many components side by side wraps into rows."""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections import defaultdict

from archplan.doc.graph import ArchitectureGraph, Edge, Node, global_layers
from archplan.doc.layers import LAYER_BY_KEY
from archplan.errors import UsageError

FONT = "DejaVu Sans,Verdana,Arial,sans-serif"  # Verdana has DejaVu Sans's widths: text fits where it is shown
MAX_PER_ROW = 5  # components side by side in a layer before it wraps
BRIEF_WIDTH = 30  # characters per line of a node's summary
PNG_DPI = 110
KIND_FONT = ' POINT-SIZE="9" COLOR="#3c4043"'
BRIEF_FONT = ' POINT-SIZE="8" COLOR="#5f6368"'
WORKLOAD_FONT = ' POINT-SIZE="8"'


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quote(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, control characters (a NUL ends dot's input) as
    spaces."""
    return '"' + _CONTROL.sub(" ", text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def html_text(text: str) -> str:
    """Text inside a DOT HTML-like label."""
    return _CONTROL.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("]", "&#93;").replace("\\", "\\\\")  # graphviz reads \N, \E, \G as names


def styled(tag: str, text: str, attributes: str = "") -> str:
    """Text inside a DOT HTML-like element (<B>, <FONT ...>), or nothing when the text is empty: dot rejects
    an element with no content (`<FONT></FONT>` is a syntax error), so an empty brief or label draws no row text."""
    inner = html_text(text)
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else ""


def _node_label(node: Node) -> str:
    rows = [f'<TR><TD>{styled("B", node.name)}</TD></TR>',
            f'<TR><TD>{styled("FONT", node.kind_label, KIND_FONT)}</TD></TR>']
    for line in textwrap.wrap(node.brief, BRIEF_WIDTH, break_on_hyphens=False) or [""]:  # "long-term", "us-west1" stay whole
        rows.append(f'<TR><TD>{styled("FONT", line, BRIEF_FONT)}</TD></TR>')
    if node.workloads:
        ports = [f' PORT="{port_id(node, name)}"' for name in node.ports] or [""] * len(node.workloads)
        cells = [f'<TD ALIGN="LEFT"{port}>{styled("FONT", w, WORKLOAD_FONT)}</TD>'
                 for w, port in zip(node.workloads, ports)]
        pairs = ["".join(cells[i:i + 2]) + ("<TD></TD>" if i + 1 == len(cells) else "")
                 for i in range(0, len(cells), 2)]
        inner = "".join(f"<TR>{pair}</TR>" for pair in pairs)
        rows.append('<TR><TD><TABLE BORDER="1" COLOR="#b7c2cc" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
                    f"{inner}</TABLE></TD></TR>")
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _depths(members: list[Node], edges: list[Edge]) -> dict[str, int]:
    """Longest chain of calls inside the layer leading to each node (0 for the layer's top)."""
    names = {n.name for n in members}
    callees: dict[str, list[str]] = defaultdict(list)
    waiting = {n.name: 0 for n in members}
    for edge in edges:
        if edge.source in names and edge.target in names and edge.source != edge.target:
            callees[edge.source].append(edge.target)
            waiting[edge.target] += 1
    depth = {n.name: 0 for n in members}
    ready = [name for name, count in waiting.items() if count == 0]
    while ready:  # longest path in topological order; the plan's depends_on has no cycles
        name = ready.pop()
        for target in callees[name]:
            depth[target] = max(depth[target], depth[name] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return depth


def _layer_cluster(layer, members: list[Node], cluster_id: str, pad: str) -> list[str]:
    lines = [f"{pad}subgraph {quote(cluster_id)} {{",
             f'{pad}  label=<{styled("B", layer.title) or " "}>; style="rounded,filled"; '
             f'fillcolor="{layer.background}"; color="{layer.border}"; fontcolor="{layer.border}"; '
             'fontsize=12; margin=12;']
    for node in members:
        shape = node.shape
        style = "filled" if shape in ("cylinder", "folder", "cds", "component", "octagon") else "rounded,filled"
        lines.append(f'{pad}  {quote(node.name)} [id={quote("node:" + node.name)}, label={_node_label(node)}, '
                     f'shape={shape}, style="{style}", '
                     f'fillcolor="{layer.fill}", color="{layer.border}"];')
    lines.append(f"{pad}}}")
    return lines


def to_dot(graph: ArchitectureGraph) -> str:
    lines = [
        "digraph architecture {",
        f'  graph [rankdir=TB, newrank=true, fontname={quote(FONT)}, fontsize=13, labelloc=t, labeljust=l, '
        f'label={quote(graph.title)}, nodesep=0.3, ranksep=0.45, pad=0.25, bgcolor="white", '
        'outputorder=edgesfirst, splines=true];',
        f'  node [fontname={quote(FONT)}, fontsize=11, shape=box, style="rounded,filled", margin="0.12,0.06", '
        'penwidth=1.2];',
        f'  edge [fontname={quote(FONT)}, fontsize=9, arrowsize=0.7, penwidth=1.1];',
    ]
    if graph.entries:
        lines.append(f'  {quote(graph.users)} [label="Users", shape=box, style="rounded,filled,bold", '
                     'fillcolor="#ffffff", color="#202124", fontsize=12];')
    for layer, members in global_layers(graph):
        lines += _layer_cluster(layer, members, "cluster_" + layer.key, "  ")
    for index, (region, layers) in enumerate(graph.regions):
        # A region is a group of its own; its layers are groups inside it.
        lines.append(f"  subgraph {quote(f'cluster_region_{index}')} {{")
        lines.append(f'    label=<{styled("B", region) or " "}>; style="rounded,dashed"; color="#202124"; '
                     'fontcolor="#202124"; fontsize=13; margin=16;')
        for layer, members in layers:
            lines += _layer_cluster(layer, members, f"cluster_region_{index}_{layer.key}", "    ")
        lines.append("  }")

    # Keep the layers stacked: a separator point between each pair of consecutive rows of layers.
    invisible = 'style=invis'
    rows: dict[int, list[Node]] = defaultdict(list)
    for layer, members in graph.layers:
        rows[layer.row] += members
    ordered = [rows[row] for row in sorted(rows)]
    for index in range(len(ordered) - 1):
        point = quote(f"layer row {index}")
        lines.append(f'  {point} [shape=point, style=invis, width=0, height=0, label=""];')
        lines += [f"  {quote(n.name)} -> {point} [{invisible}];" for n in ordered[index]]
        lines += [f"  {point} -> {quote(n.name)} [{invisible}];" for n in ordered[index + 1]]
    if graph.entries and ordered:
        lines += [f"  {quote(graph.users)} -> {quote(n.name)} [{invisible}];" for n in ordered[0]]

    # Wrap wide rows: each node beyond MAX_PER_ROW at the same depth sits under the one MAX_PER_ROW before it.
    for _layer, members in graph.layers:
        depth = _depths(members, graph.edges)
        same_depth: dict[int, list[str]] = defaultdict(list)
        for node in members:
            same_depth[depth[node.name]].append(node.name)
        for names in same_depth.values():
            for i in range(MAX_PER_ROW, len(names)):
                lines.append(f"  {quote(names[i - MAX_PER_ROW])} -> {quote(names[i])} [{invisible}];")

    lines += _edges(graph)
    lines.append("}")
    return "\n".join(lines) + "\n"


def edge_id(source: str, target: str) -> str:
    """The SVG id of the line drawn for one `depends_on` entry (a deployment's: cluster/deployment)."""
    return f"edge:{source}->{target}"


def port_id(node: Node, deployment: str) -> str:
    """The port of a deployment's cell in its cluster's label: by position, so no name needs escaping."""
    return f"w{node.ports.index(deployment)}"


def _end(graph: ArchitectureGraph, name: str, port: str) -> str:
    """An edge's end: a node, or one deployment's cell inside its cluster's node."""
    if not port:
        return quote(name)
    return f"{quote(name)}:{quote(port_id(graph.node(name), port))}"


def _edges(graph: ArchitectureGraph) -> list[str]:
    """Every edge; edges with the same target and protocol meet at one label (a small junction node) on
    their way to the target, so a database called by six services carries one "Postgres", not six."""
    lines = []
    shared: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in graph.edges:
        if edge.style != "users" and edge.label and not graph.goes_up(edge):
            shared[(edge.target, edge.label, edge.style)].append(edge)
    junction_of = {}
    taken = {n.name for n in graph.nodes} | {graph.users}
    for (target, label, style), members in shared.items():
        if len(members) < 2:
            continue
        junction = f"{target} via {label}"
        while junction in taken:
            junction += " "
        taken.add(junction)
        colour = LAYER_BY_KEY[graph.node(target).layer].border
        line_style = _LINE_STYLES[style]
        lines.append(f'  {quote(junction)} [id={quote("junction:" + junction)}, label={quote(label)}, shape=box, '
                     f'style="rounded,filled", fillcolor="white", color="{colour}", fontcolor="{colour}", '
                     f'fontsize=9, height=0.22, width=0.3, margin="0.05,0.02"];')
        # Heavier than the lines coming in, so the label sits just above its target.
        lines.append(f"  {quote(junction)} -> {quote(target)} [color=\"{colour}\", weight={4 * len(members)}"
                     f"{line_style}];")
        for edge in members:
            junction_of[(edge.source_label, edge.target_label)] = junction
    for edge in graph.edges:
        junction = junction_of.get((edge.source_label, edge.target_label))
        attributes = f"id={quote(edge_id(edge.source_label, edge.target_label))}, " \
                     f"{_edge_attributes(graph, edge, labelled=junction is None)}"
        source = _end(graph, edge.source, edge.source_port)
        if junction is None:
            lines.append(f"  {source} -> {_end(graph, edge.target, edge.target_port)} [{attributes}];")
        else:
            lines.append(f"  {source} -> {quote(junction)} [{attributes}, arrowhead=none];")
    return lines


_LINE_STYLES = {"call": "", "users": "", "observe": ", style=dashed", "soft": ", style=dashed",
                "reference": ", style=dotted"}


def _edge_attributes(graph: ArchitectureGraph, edge: Edge, labelled: bool = True) -> str:
    if edge.style == "users":
        return 'color="#202124", penwidth=1.6'
    colour = LAYER_BY_KEY[graph.node(edge.target).layer].border
    attributes = [f'color="{colour}"', f'fontcolor="{colour}"']
    if edge.label and labelled:
        attributes.append(f"label={quote(' ' + edge.label + ' ')}")
    if edge.style in ("observe", "soft"):
        attributes.append("style=dashed")
    elif edge.style == "reference":
        attributes.append("style=dotted, arrowhead=odot")
    if graph.goes_up(edge):
        attributes.append("constraint=false")
    return ", ".join(attributes)


def dot_binary() -> str:
    found = shutil.which("dot")
    if found is None:
        raise UsageError("Graphviz is not installed (no `dot` on PATH): install the graphviz package "
                         "(tools/system-deps.sh does), or write the diagram as .dot or .mmd")
    return found


DOT_TIMEOUT_SECONDS = 60
DOT_MEMORY_BYTES = 2 * 1024**3


def _limit_memory() -> None:
    """In the dot child: a diagram never takes the machine's memory (dot reached 13 GiB on a huge plan)."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    # Never above a limit archplan already runs under (`ulimit -v`): raising it fails, and the run with it.
    limit = DOT_MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(DOT_MEMORY_BYTES, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_dot(source: str, output_format: str) -> bytes:
    """DOT -> SVG or PNG bytes."""
    arguments = [dot_binary(), f"-T{output_format}"]
    if output_format == "png":
        arguments.append(f"-Gdpi={PNG_DPI}")
    try:
        result = subprocess.run(arguments, input=source.encode("utf-8"), capture_output=True,
                                timeout=DOT_TIMEOUT_SECONDS, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        raise UsageError(f"Graphviz dot did not finish in {DOT_TIMEOUT_SECONDS} s; write the diagram as .dot or "
                         ".mmd instead") from None
    except OSError as exc:
        raise UsageError(f"cannot run Graphviz dot: {exc.strerror}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"Graphviz dot failed: {message[-1] if message else 'exit ' + str(result.returncode)}")
    return result.stdout


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


def svg(source: str) -> str:
    """The diagram as a standalone SVG with no DOCTYPE (nothing to fetch) and no generator comment (the same
    on every machine)."""
    text = run_dot(source, "svg").decode("utf-8")
    text = _COMMENT.sub("", _PROLOGUE.sub("", text, count=1))
    return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + text


def inline_svg(standalone: str) -> str:
    """The SVG element alone, to place in an HTML page."""
    text = _PROLOGUE.sub("", standalone, count=1)
    return text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "").strip()
