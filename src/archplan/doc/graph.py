"""The architecture as a graph: one node per component in its layer, one edge per `depends_on` entry
(and per field that names another component), and the users' way in. Pure data; dot.py and mermaid.py
draw it."""
from __future__ import annotations

from dataclasses import dataclass, field

from archplan.components.base import SERVING_KINDS, stated_critical
from archplan.components.pubsub import delivery, eventarc_receivers
from archplan.doc.describe import facts
from archplan.doc.layers import LAYERS, Layer, layer_row, style_of
from archplan.plan import Plan


@dataclass(frozen=True)
class Node:
    name: str
    kind: str
    kind_label: str
    layer: str
    shape: str
    brief: str
    workloads: tuple[str, ...] = ()
    ports: tuple[str, ...] = ()  # deployment names, one per workload, where edges leave from the workload
    region: str | None = None  # None: a global service (or a dual/multi-region location)
    started_by_events: bool = False  # a message or a schedule starts it: never where users come in


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str  # the protocol, or the field naming the target; may be empty
    # "call"; "soft" (a dependency with critical: false); "observe" (to an operations service);
    # "reference" (a field such as a policy's load_balancer names the target); "users"
    style: str
    source_port: str = ""  # the deployment of a GKE cluster the edge leaves from (its own depends_on)
    target_port: str = ""  # the deployment of a GKE cluster the edge reaches (one a caller of the cluster reaches)

    @property
    def source_label(self) -> str:
        return f"{self.source}/{self.source_port}" if self.source_port else self.source

    @property
    def target_label(self) -> str:
        return f"{self.target}/{self.target_port}" if self.target_port else self.target


@dataclass
class ArchitectureGraph:
    title: str
    nodes: list[Node]
    edges: list[Edge]
    entries: list[str]  # components the users reach first
    users: str  # the name of the node standing for the people using the system (not a component)
    layers: list[tuple[Layer, list[Node]]] = field(default_factory=list)
    # A plan across regions: each region's nodes by layer (the diagrams draw them as groups, global nodes
    # outside). Empty for a single-region plan, drawn by layers alone.
    regions: list[tuple[str, list[tuple[Layer, list[Node]]]]] = field(default_factory=list)

    def node(self, name: str) -> Node:
        index = self.__dict__.get("_by_name")
        if index is None or len(index) != len(self.nodes):
            index = self.__dict__["_by_name"] = {n.name: n for n in self.nodes}
        return index[name]

    def goes_up(self, edge: Edge) -> bool:
        """Drawn against the layer order (e.g. monitoring probing the load balancer)."""
        if edge.source == self.users:
            return False
        return layer_row(self.node(edge.target).layer) < layer_row(self.node(edge.source).layer)


MAX_DRAWN_COMPONENTS = 120  # past this, one node per kind in each layer (docs/limits.md)


def bounded(graph: ArchitectureGraph, limit: int = MAX_DRAWN_COMPONENTS) -> ArchitectureGraph:
    """A graph Graphviz lays out in seconds: past `limit` components, each layer's components of one kind
    become one node, and the title says so."""
    if len(graph.nodes) <= limit:
        return graph
    group_of: dict[str, str] = {}
    members: dict[str, list[Node]] = {}
    for node in graph.nodes:
        key = f"{node.layer}:{node.kind}" + (f":{node.region}" if graph.regions and node.region else "")
        group_of[node.name] = key
        members.setdefault(key, []).append(node)
    nodes = []
    for key, group in members.items():
        first = group[0]
        names = ", ".join(n.name for n in group[:3]) + (", ..." if len(group) > 3 else "")
        nodes.append(Node(key, first.kind, f"{first.kind_label} x{len(group)}", first.layer, first.shape,
                          f"{len(group)} components: {names}", region=first.region))
    group_of[graph.users] = graph.users
    edges, seen = [], set()
    for edge in graph.edges:
        source, target = group_of[edge.source], group_of[edge.target]
        if source == target or (source, target) in seen:
            continue
        seen.add((source, target))
        edges.append(Edge(source, target, "", edge.style))
    entries = list(dict.fromkeys(group_of[name] for name in graph.entries))
    title = (f"{graph.title} ({len(graph.nodes)} components drawn as {len(nodes)} groups, one per kind in each "
             f"layer, past {limit})")
    if graph.regions:
        return ArchitectureGraph(title, nodes, edges, entries, graph.users, _layered(nodes), _by_region(nodes))
    layers = [(layer, [n for n in nodes if n.layer == layer.key]) for layer, _members in graph.layers]
    return ArchitectureGraph(title, nodes, edges, entries, graph.users,
                             [(layer, group) for layer, group in layers if group])


def _layer_of(component, styles: dict) -> str:
    layer = styles[component.name].layer
    # An outside service that calls into the plan (a hosted front end, a CDN in front of the load
    # balancer, a status page) is where users come in: draw it with the edge.
    if layer == "external" and any(styles[d.name].layer != "external" for d in component.spec.depends_on):
        return "edge"
    return layer


def _calls(component, expanded: dict[str, list[str]], kinds: dict[str, str]) -> list[tuple[object, str, str]]:
    """(dependency, source port, target) for each edge a component draws: a cluster whose deployments state
    their own depends_on draws them from each deployment (a sibling's target is the cluster itself); what
    its nodes use (NAT, the registry) once, from the cluster."""
    from archplan.components import gke

    if component.name not in expanded:
        return [(d, "", d.name) for d in component.spec.depends_on]
    edges = [(d, deployment, component.name if sibling else d.name)
             for deployment, own in gke.deployment_calls(component.spec, kinds).items() for d, sibling in own]
    return edges + [(d, "", d.name) for d in gke.shared_edges(component.spec, kinds)]  # drawn from the cluster


def _layered(nodes: list[Node]) -> list[tuple[Layer, list[Node]]]:
    by_layer: dict[str, list[Node]] = {}
    for node in nodes:
        by_layer.setdefault(node.layer, []).append(node)
    return [(layer, by_layer[layer.key]) for layer in LAYERS if layer.key in by_layer]


def _by_region(nodes: list[Node]) -> list[tuple[str, list[tuple[Layer, list[Node]]]]]:
    """[(region, its nodes by layer)] in the order regions first appear."""
    regions = list(dict.fromkeys(n.region for n in nodes if n.region))
    return [(region, _layered([n for n in nodes if n.region == region])) for region in regions]


def global_layers(graph: ArchitectureGraph) -> list[tuple[Layer, list[Node]]]:
    """The layers as drawn outside the region groups: every node of a single-region plan, the global nodes
    of a plan across regions."""
    if not graph.regions:
        return graph.layers
    return [(layer, [n for n in members if n.region is None]) for layer, members in graph.layers
            if any(n.region is None for n in members)]


def region_of(component, plan: Plan) -> str | None:
    """Where a component is drawn: its region; None for a global service or a location that is no single
    region (a dual- or multi-region bucket, a multi-region Firestore or BigQuery dataset)."""
    from archplan.catalog import regions

    spec = component.spec
    if not spec.regional:
        return None
    if spec.location_field is None:
        return component.region
    location = getattr(spec, spec.location_field, None) or plan.region
    if getattr(spec, "location_type", "region") != "region":
        return None
    return location.lower() if location.lower() in regions() else None


def build_graph(plan: Plan) -> ArchitectureGraph:
    from archplan.components import gke
    from archplan.components.load_balancer import fronting_policies, guarded_edges, through_policy

    styles = {c.name: style_of(c.kind, c.category) for c in plan.components}
    expanded = {c.name: gke.entry_deployments(c.spec) for c in plan.components
                if c.kind == "gke" and gke.has_call_graph(c.spec)}
    # a scheduler job's, a queue's or an Eventarc trigger's target is started by it, as check's entry points say
    triggered = {name for c in plan.components for name in c.spec.triggered_components()}
    nodes = []
    for component in plan.components:
        style = styles[component.name]
        described = facts(component, plan.components)
        ports = tuple(d.name for d in component.spec.deployments) if component.name in expanded else ()
        nodes.append(Node(component.name, component.kind, described.label or style.label,
                          _layer_of(component, styles), style.shape,
                          described.brief, described.workloads, ports, region_of(component, plan),
                          component.spec.started_by_events or component.name in triggered))
    layer_of = {n.name: n.layer for n in nodes}
    kinds = {c.name: c.kind for c in plan.components}
    by_name = {c.name: c for c in plan.components}
    received = eventarc_receivers(plan.components)

    edges: list[Edge] = []
    linked: set[frozenset[str]] = set()
    for component in plan.components:
        for dependency, source_port, target in _calls(component, expanded, kinds):
            if layer_of[target] == "operations" and not stated_critical(dependency):
                style = "observe"
            else:
                style = "call" if getattr(dependency, "critical", True) else "soft"
            target_ports = [dependency.name] if target == component.name else expanded.get(target, [""])
            label = dependency.protocol or ""
            if not label and component.kind == "pubsub" and target in by_name:
                dependencies = [by_name[d.name] for d in component.spec.depends_on if d.name in by_name]
                label = delivery(by_name[target], dependencies, received.get(component.name, ()))
            for target_port in target_ports:
                edges.append(Edge(component.name, target, label, style, source_port, target_port))
            linked.add(frozenset((component.name, target)))
    for lb, policies in fronting_policies(plan.components).items():
        for policy, backends in policies:
            own = guarded_edges(by_name[policy], edges, backends, lambda e, lb=lb: e.target if e.source == lb else None)
            edges += [Edge(policy, e.target, e.label, e.style, "", e.target_port) for e in own or []]
            edges = through_policy(edges, backends, Edge(lb, policy, "", "call"),
                                   lambda e, lb=lb: e.target if e.source == lb else None)
            linked.add(frozenset((lb, policy)))
    for component in plan.components:
        for path, target in component.spec.referenced_components():
            if frozenset((component.name, target)) not in linked:
                edges.append(Edge(component.name, target, str(path[0]).replace("_", " "), "reference"))
                linked.add(frozenset((component.name, target)))

    entries = _entries(nodes, edges)
    users = "users"
    while users in layer_of:
        users += "_"
    edges = [Edge(users, name, "", "users") for name in entries] + edges
    env = f", environment {plan.environment}" if plan.environment else ""
    spanned = list(dict.fromkeys([plan.region] + [n.region for n in nodes if n.region]))
    if len(spanned) > 1:
        title = f"{plan.spec.project.name}: {', '.join(spanned)}{env}"
        return ArchitectureGraph(title, nodes, edges, entries, users, _layered(nodes), _by_region(nodes))
    title = f"{plan.spec.project.name}: {plan.region}{env}"
    return ArchitectureGraph(title, nodes, edges, entries, users, _layered(nodes))


def _entries(nodes: list[Node], edges: list[Edge]) -> list[str]:
    """Where users come in: edge-layer components nothing else calls and that lead somewhere; failing
    those, compute components nothing calls. A component an event starts (a Pub/Sub-triggered function, a
    job) is never one."""
    # A field naming a component (a policy's load_balancer) is no call: the policy is not a way in, and the
    # load balancer it names is not called by it.
    calls = [e for e in edges if e.style != "reference"]
    called = {e.target for e in calls if e.source != e.target}  # a deployment calling a sibling: not a way in
    calling = {e.source for e in calls}
    candidates = [n for n in nodes if not n.started_by_events and n.name not in called]
    # A service that calls nothing and nothing calls is still a way in (as check's entry points have it).
    alone = [n.name for n in candidates if n.kind in SERVING_KINDS and n.name not in calling]
    for layer in ("edge", "compute"):
        found = [n.name for n in candidates if n.layer == layer and n.name in calling]
        if found:
            return found + [name for name in alone if name not in found]
    return [n.name for n in candidates if n.layer == "compute"]
