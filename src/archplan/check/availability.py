"""Composite availability along the request path, downtime and error budget, recovery time and point.

Each component's availability is the published SLA of its configuration (catalog facts), or an
assumption where Google offers none (said so in the report), or the plan's own override. The request
path is every component reachable from an entry point (a component nothing depends on; never an
external service: vendors count where the plan calls them) through critical `depends_on` edges; the
system is up when all of them are (series). Identical copies in different zones count in parallel.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from archplan import catalog
from archplan.check import Finding, minutes_text, regions
from archplan.check.recovery import Recovery, recovery
from archplan.check.sla import choose, module as sla_module
from archplan.components import kind_module
from archplan.components.load_balancer import fronting_policies, guarded_edges, through_policy
from archplan.components.base import SERVING_KINDS, Dependency, stated_critical

MINUTES_PER_MONTH = 730 * 60
MINUTES_PER_YEAR = 8760 * 60
NO_BACKUP = "everything (no backup)"  # data lost with no backup to restore: how RPO findings say it
# A single-zone resource without a published SLA is assumed as available as one Compute Engine VM.
NO_SLA_BASIS = "compute_engine_single_instance"
OFF_PATH_CATEGORIES = ("operations",)


@dataclass
class ComponentAvailability:
    name: str
    kind: str
    percent: float
    configuration: str
    basis: str  # sla | assumed | stated
    source: str = ""

    @property
    def unavailability(self) -> float:
        return 1 - self.percent / 100


@dataclass
class EntryPath:
    """One path's availability: a user's request from an entry point along one route, an asynchronous
    hand-off (a queue's consumer and what it waits on), or a declared flow."""

    entry: str
    components: list[str]
    percent: float
    name: str = ""
    kind: str = "request"  # request | async | flow
    slo_percent: float | None = None
    downtime_minutes_per_month: float = 0.0
    downtime_minutes_per_year: float = 0.0
    error_budget_minutes_per_month: float | None = None
    dominant: str | None = None
    expression: str | None = None  # the arithmetic when the path is not a plain series (regions in parallel)
    # groups of components of which a request passes only one (each region's backends behind a failover
    # load balancer); the rest of `components` is in series
    alternatives: list[list[str]] = field(default_factory=list)
    serial: list[str] = field(default_factory=list)  # with alternatives: the components every request waits on
    failover_fraction: float = 0.0  # active-passive: the failover time over the mean regional outage
    region_routes: int = 1  # the most distinct ways through one region (compose takes the weakest as written)

    @property
    def met(self) -> bool | None:
        return None if self.slo_percent is None else self.percent >= self.slo_percent - 1e-9

    def formula(self, available) -> str:
        if self.expression:
            return self.expression
        return " x ".join(f"{available[n].percent:g}% ({n})" for n in self.components) + f" = {self.percent:.3f}%"


@dataclass
class AvailabilityResult:
    components: dict[str, ComponentAvailability]
    path: list[str]
    entries: list[EntryPath]
    composite_percent: float
    downtime_minutes_per_month: float
    downtime_minutes_per_year: float
    slo_percent: float | None
    error_budget_minutes_per_month: float | None
    dominant: str | None
    recovery: list[Recovery] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    # (caller, dependency) edges to an operations service that the availability leaves out (no critical: true)
    off_path: list[tuple[str, str]] = field(default_factory=list)
    weakest_path: str | None = None  # the request path `path` and `composite_percent` describe
    entry_points: list[str] = field(default_factory=list)
    scenarios: list = field(default_factory=list)  # regions.ScenarioRow per failure scenario (multi-region plans)


def _fact(key: str):
    return catalog.service("availability").fact(key)


def component_availability(component) -> ComponentAvailability:
    spec = component.spec
    if spec.availability_percent is not None:
        return ComponentAvailability(component.name, component.kind, float(spec.availability_percent),
                                     "stated in the plan", "stated", "availability_percent")
    choice = choose(component.kind, spec)
    if choice is None:
        basis = _fact(NO_SLA_BASIS)
        return ComponentAvailability(component.name, component.kind, float(basis.decimal),
                                     f"{component.kind}: no SLA modelled", "assumed",
                                     f"assumed equal to one Compute Engine VM's SLA ({basis.source})")
    if choice.parallel > 1 and choice.single_fact:
        single = _fact(choice.single_fact).in_region(component.region)
        if single.value is not None:
            one_down = 1 - float(single.decimal) / 100
            percent = (1 - one_down ** choice.parallel) * 100
            return ComponentAvailability(component.name, component.kind, percent,
                                         f"{choice.configuration}: {choice.parallel} copies in parallel",
                                         "sla", single.source)
    fact = _fact(choice.fact).in_region(component.region) if choice.fact else None
    if fact is None or fact.value is None:
        basis = _fact(NO_SLA_BASIS)
        return ComponentAvailability(component.name, component.kind, float(basis.decimal),
                                     f"{choice.configuration}: no published SLA", "assumed",
                                     f"assumed equal to one Compute Engine VM's SLA, {basis.decimal}% "
                                     f"({basis.source}); set availability_percent to override")
    return ComponentAvailability(component.name, component.kind, float(fact.decimal), choice.configuration,
                                 "sla", fact.source)


def deployment_availability(cluster, deployment, node: str) -> ComponentAvailability:
    """One deployment of a cluster followed deployment by deployment: up while its own pods are. The
    cluster's availability_percent, when stated, applies to each deployment."""
    from archplan.check.sla import gke as gke_sla

    spec = cluster.spec
    if spec.availability_percent is not None:
        return ComponentAvailability(node, "gke", float(spec.availability_percent),
                                     "stated in the plan (the cluster's, per deployment)", "stated",
                                     "availability_percent")
    choice = gke_sla.for_replicas(spec, deployment.replicas, deployment.name)
    fact = _fact(choice.fact)
    return ComponentAvailability(node, "gke", float(fact.decimal), choice.configuration, "sla", fact.source)


ROUTER_KINDS = ("load_balancer", "cloud_cdn", "cloud_dns")  # a request takes one of their backends, not all
ATTACHED_KINDS = ("cloud_armor",)  # evaluated on every request a router serves
ASYNC_CALLER_KINDS = ("pubsub", "cloud_scheduler", "cloud_tasks", "eventarc")
ASYNC_PROTOCOL_WORDS = ("pub/sub", "pubsub", "cloud tasks", "scheduler", "eventarc", "queue")
MAX_ROUTES = 64  # beyond this many branches an entry is reported as the union of its routes


QUEUE_KINDS = ("pubsub",)  # components that are a queue: publishing to one is a call, what it feeds is not
# A queue the caller waits on to enqueue (Pub/Sub's publish, Cloud Tasks' CreateTask): the edge to it is a call
# whatever its protocol says; what the queue feeds is the hand-off.
ENQUEUE_KINDS = QUEUE_KINDS + ("cloud_tasks",)
# What delivers the work it holds: a background path from one waits on it (a scheduler only starts work).
DELIVERING_KINDS = ("pubsub", "cloud_tasks")
PULL_PROTOCOL_WORDS = ("pull", "subscri")  # a consumer's edge to its queue (streaming pull, subscription)


def hand_off(caller, dependency, target_kind: str) -> tuple[str, str] | None:
    """(trigger, consumer) when the edge hands work off instead of waiting for it, else None (a call).

    A queue or scheduler feeds what it depends on; a consumer that pulls from a queue (or only reads it: a
    subscription) is fed by it; an
    edge whose protocol names a queue or trigger (Cloud Tasks, Eventarc, Pub/Sub push) hands the work to
    its target. Publishing to a Pub/Sub component or creating a task in a Cloud Tasks component is a call,
    whatever the edge's protocol: the request waits for the publish or the CreateTask."""
    protocol = (dependency.protocol or "").lower()
    pulls = target_kind in QUEUE_KINDS and (dependency.access == "read" or
                                            any(word in protocol for word in PULL_PROTOCOL_WORDS))
    if dependency.mode == "sync":
        return None
    if pulls:
        return dependency.name, caller.name
    if dependency.mode == "async" or caller.kind in ASYNC_CALLER_KINDS:
        return caller.name, dependency.name
    if target_kind not in ENQUEUE_KINDS and any(word in protocol for word in ASYNC_PROTOCOL_WORDS):
        return caller.name, dependency.name
    return None


def is_async(caller, dependency, target_kind: str = "") -> bool:
    return hand_off(caller, dependency, target_kind) is not None


def is_route(caller, dependency, target_kind: str) -> bool:
    if dependency.route is not None:
        return dependency.route
    return caller.kind in ROUTER_KINDS and target_kind not in ATTACHED_KINDS


@dataclass
class Graph:
    """The plan's edges, indexed once: synchronous critical edges between nodes that can be on a path
    (split into routes and calls), and asynchronous hand-offs. A node is a component, or a deployment of
    a GKE cluster whose deployments state their own depends_on (named cluster/deployment; the cluster
    itself is then no node: a call to it reaches its entry deployments)."""

    order: dict[str, int]
    kinds: dict[str, str]
    on_path: set[str]
    calls: dict[str, list[str]]  # synchronous, critical, always taken
    routes: dict[str, list[str]]  # synchronous, critical, one of them taken
    async_edges: list[tuple[str, str]]  # (trigger, consumer)
    triggers: dict[str, list[str]]  # consumer -> its triggers
    called: set[str] = field(default_factory=set)  # every node some on-path node depends on, in any way
    component_of: dict[str, str] = field(default_factory=dict)  # node -> the plan component it belongs to
    expanded: dict[str, list[str]] = field(default_factory=dict)  # cluster -> its deployment nodes
    event_started: set[str] = field(default_factory=set)  # run by a schedule, a message or a person: no way in
    # synchronous edges with critical: false: off every availability path (a request survives without the
    # target), but while the target is up the caller waits for its answer, so its latency counts
    soft: dict[str, list[str]] = field(default_factory=dict)

    def sync(self, name: str) -> list[str]:
        return self.calls.get(name, []) + self.routes.get(name, [])

    def reachable(self, starts, callees=None) -> set[str]:
        """`starts` and every node they reach along `callees(name)` (default: the synchronous critical edges)."""
        callees = callees or self.sync
        seen: set[str] = set()
        stack = list(starts)
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(callees(name))
        return seen

    def waited_on(self, names) -> set[str]:
        """The nodes a request through `names` waits for while they are up: `names`, and what they call, critical
        or not (a soft dependency's routes are left out: which one a request takes is not known)."""
        return self.reachable(names, lambda name: self.calls.get(name, []) + self.soft.get(name, []))

    def ordered(self, names) -> list[str]:
        return sorted(names, key=self.order.__getitem__)

    def nodes_of(self, name: str) -> list[str]:
        """The nodes a component name stands for: itself, or an expanded cluster's deployments."""
        return self.expanded.get(name, [name])

    def components(self, names) -> list[str]:
        """Node names as the plan's component names, in plan order, once each."""
        return list(dict.fromkeys(self.component_of.get(n, n) for n in self.ordered(names)))


def graph(plan) -> Graph:
    """The plan's edge index, built once per plan (availability and capacity both read it)."""
    cached = plan.__dict__.get("_check_graph")
    if cached is None:
        cached = plan.__dict__["_check_graph"] = _build_graph(plan)
    return cached


def share_graph(plan, index: Graph) -> None:
    """Give the plan the edge index of another plan of the same structure (the same components, kinds,
    dependencies, deployments and triggers: two load points of one phase in `scale`), instead of building it
    again: the index reads no load."""
    plan.__dict__["_check_graph"] = index


@dataclass
class _Node:
    """A caller in the edge index: a component, or one deployment of an expanded cluster."""

    name: str
    kind: str
    edges: list  # (Dependency, target node names)


def _nodes(plan) -> tuple[list[_Node], dict[str, str], dict[str, list[str]]]:
    gke = kind_module("gke") if any(c.kind == "gke" for c in plan.components) else None  # a cluster's plan only
    expanded = {c.name: [gke.node_name(c.name, d.name) for d in c.spec.deployments] for c in plan.components
                if c.kind == "gke" and gke.has_call_graph(c.spec)}
    entries = {name: [gke.node_name(name, d) for d in gke.entry_deployments(c.spec)]
               for c in plan.components if (name := c.name) in expanded}
    nodes, component_of = [], {}

    def targets(name: str) -> list[str]:
        return entries.get(name, [name])

    fronted = fronting_policies(plan.components)
    by_name = {c.name: c for c in plan.components}
    # an Armor policy naming nothing forwards to the backend services it guards, on the load balancer's edges
    guarding = {policy: guarded_edges(by_name[policy], by_name[lb].spec.depends_on, backends, lambda d: d.name)
                for lb, policies in fronted.items() for policy, backends in policies}
    for component in plan.components:
        if component.name not in expanded:
            own = guarding.get(component.name)
            edges = [(d, targets(d.name)) for d in (component.spec.depends_on if own is None else own)]
            # load balancer -> CDN or Armor -> backends (a policy attached by its field)
            for policy, backends in fronted.get(component.name, []):
                edges = through_policy(edges, backends, (Dependency(name=policy), [policy]), lambda e: e[0].name)
            nodes.append(_Node(component.name, component.kind, edges))
            component_of[component.name] = component.name
            continue
        shared = gke.shared_edges(component.spec)  # the cluster's own edges hold for each of its pods
        for deployment, calls in gke.deployment_calls(component.spec).items():
            name = gke.node_name(component.name, deployment)
            component_of[name] = component.name
            own = [(d, [gke.node_name(component.name, d.name)] if sibling else targets(d.name)) for d, sibling in calls]
            nodes.append(_Node(name, "gke", own + [(d, targets(d.name)) for d in shared]))
    return nodes, component_of, expanded


def _build_graph(plan) -> Graph:
    by_name = {c.name: c for c in plan.components}
    nodes, component_of, expanded = _nodes(plan)
    kinds = {n.name: n.kind for n in nodes}
    category = {n.name: by_name[component_of[n.name]].category for n in nodes}
    operations = {n.name for n in nodes if category[n.name] in OFF_PATH_CATEGORIES}
    # An operations service is on a path only through an edge that states critical: true.
    stated = {target for n in nodes if n.name not in operations for d, targets in n.edges if stated_critical(d)
              for target in targets if target in operations}
    on_path = {n.name for n in nodes if n.name not in operations} | stated
    calls: dict[str, list[str]] = {name: [] for name in on_path}
    routes: dict[str, list[str]] = {name: [] for name in on_path}
    async_edges: list[tuple[str, str]] = []
    called: set[str] = set()
    soft: dict[str, list[str]] = {}
    for node in nodes:
        for dependency, targets in node.edges:
            for target in targets:
                if target not in kinds:  # a partial plan (optimize prices components one at a time)
                    continue
                along = (node.name in on_path and target in on_path
                         and (target not in operations or stated_critical(dependency)))
                if along:
                    called.add(target)
                handed = hand_off(node, dependency, kinds[target])
                if handed:
                    source, consumer = handed
                    async_edges.append((target if source == dependency.name else source,
                                        target if consumer == dependency.name else consumer))
                elif along and dependency.critical:
                    route = is_route(node, dependency, kinds[target]) or len(targets) > 1
                    (routes if route else calls)[node.name].append(target)
                elif along and not is_route(node, dependency, kinds[target]) and len(targets) == 1:
                    soft.setdefault(node.name, []).append(target)
        if node.kind in ATTACHED_KINDS and node.name in on_path:  # Armor forwards to the backend
            routes[node.name] += calls[node.name]
            calls[node.name] = []
        trigger = getattr(by_name[component_of[node.name]].spec, "trigger_component", None)
        for source in expanded.get(trigger, [trigger]) if trigger else []:
            if (source, node.name) not in async_edges:
                async_edges.append((source, node.name))
        # A scheduler job's or a queue's target, named in its settings: started by it, not by a user's request.
        for started in by_name[component_of[node.name]].spec.triggered_components():
            for target in expanded.get(started, [started]):
                if target in kinds and (node.name, target) not in async_edges:
                    async_edges.append((node.name, target))
    for router in (n for n in on_path if kinds[n] in ROUTER_KINDS):  # an attached policy's backends
        for attached in [c for c in calls[router] if kinds[c] in ATTACHED_KINDS]:  # are the router's
            routes[router] += [r for r in routes[attached] if r not in routes[router]]
            routes[attached] = []
    triggers: dict[str, list[str]] = {}
    for source, target in async_edges:
        triggers.setdefault(target, []).append(source)
    event_started = {n.name for n in nodes if by_name[component_of[n.name]].spec.started_by_events}
    return Graph({n.name: i for i, n in enumerate(nodes)}, kinds, on_path, calls, routes, async_edges, triggers,
                 called, component_of, expanded, event_started, soft)


def _serves_users(component, g: Graph, name: str) -> bool:
    """A service users can call though it calls nothing itself: a GKE deployment behind the Ingress
    (public), or a Cloud Run service, function or VM group nothing else calls."""
    if component.kind == "gke":  # the cluster as one node, or one of its deployments
        deployment = name.split("/", 1)[1] if component.name in g.expanded else None
        return any(d.public for d in component.spec.deployments if deployment in (None, d.name))
    return component.kind in SERVING_KINDS


def background_deployments(plan, g: Graph) -> list[str]:
    """A cluster's deployments that no user reaches: not public (no Ingress), and nothing in the plan calls or
    triggers them (a worker the cluster runs by itself). Their availability is a background path's, not a user
    request's: the SLO of user requests does not judge them."""
    targets = g.called | set(g.triggers)
    by_name = {c.name: c for c in plan.components}
    return [n for n in g.order if g.component_of.get(n, n) != n and n in g.on_path and n not in targets
            and not _serves_users(by_name[g.component_of[n]], g, n)]


def entry_points(plan, g: Graph) -> list[str]:
    """What users call first: nothing on a path depends on it, no queue or scheduler feeds it, and it is not
    work that only an event or a run starts (a Cloud Run job nothing triggers is run by hand, not called by
    users) nor a background deployment. An external root (a third-party CDN) hands users on to what it calls.
    A plan whose only ways in are background deployments keeps them as its entry points: the SLO then judges
    them rather than nothing."""
    background = set(background_deployments(plan, g))
    entries, found = _entry_points(plan, g, background)
    return entries if found or not background else _entry_points(plan, g, set())[0]


def _entry_points(plan, g: Graph, background: set[str]) -> tuple[list[str], bool]:
    """(the entry points, whether any way in was found: False when they are the fallback, every component
    that is no one's trigger)."""
    targets = g.called | set(g.triggers)
    names = [n for n in g.order if n in g.on_path and n not in g.event_started and n not in background]
    by_name = {c.name: c for c in plan.components}
    serving = {n for n in names if n not in targets and _serves_users(by_name[g.component_of[n]], g, n)}
    roots = [n for n in names if n not in targets and (g.sync(n) or not targets or n in serving)]
    entries: list[str] = []
    seen: set[str] = set()
    while roots:
        name = roots.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if g.kinds[name] == "external":
            roots += g.sync(name)
        elif name not in entries and name not in g.triggers:
            entries.append(name)
    if entries:
        return entries, True
    started = g.reachable(g.event_started & g.on_path)  # what a job calls is no user's way in either
    return [n for n in names if g.kinds[n] != "external" and n not in g.triggers and n not in started], False


def branches(g: Graph, start: str) -> list[tuple[list[str], frozenset[str]]]:
    """Each way a request from `start` can go: (the routes chosen, the components it waits on).

    Iterative post-order over the (acyclic) synchronous graph; only nodes whose subgraph holds a route
    keep alternatives, so a plan without routers costs one traversal."""
    order: list[str] = []
    seen = {start}
    stack = [(start, iter(g.sync(start)))]
    while stack:
        node, callees = stack[-1]
        callee = next(callees, None)
        if callee is None:
            stack.pop()
            order.append(node)
        elif callee not in seen:
            seen.add(callee)
            stack.append((callee, iter(g.sync(callee))))
    has_routes: dict[str, bool] = {}
    for node in order:  # callees come first
        has_routes[node] = bool(g.routes.get(node)) or any(has_routes[c] for c in g.sync(node))
    if not has_routes[start]:
        return [([], frozenset(seen))]
    memo: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}

    def options_of(name: str):
        if name not in memo:  # a route-free subgraph: one way through it
            memo[name] = [((), frozenset(g.reachable([name])))]
        return memo[name]

    for node in order:
        if not has_routes[node]:
            continue
        options: list[tuple[tuple[str, ...], frozenset[str]]] = [((), frozenset((node,)))]
        for callee in g.calls.get(node, []):
            options = _combine(options, options_of(callee))
        route_options = [((route,) + chosen, names) for route in g.routes.get(node, [])
                         for chosen, names in options_of(route)]
        if route_options:
            options = _combine(options, route_options)
        memo[node] = options
    return [(list(chosen), names) for chosen, names in memo[start]]


def _combine(left, right):
    combined = [(a + b, x | y) for a, x in left for b, y in right]
    if len(combined) > MAX_ROUTES:  # too many combinations: one conservative branch holding them all
        return [((), frozenset().union(*(x for _a, x in combined)))]
    return combined


def series(percents: list[float]) -> float:
    return math.prod(p / 100 for p in percents) * 100


def path_figures(name: str, kind: str, entry: str, components: list[str], available, slo) -> "EntryPath":
    percent = series([available[n].percent for n in components]) if components else 100.0
    down = 1 - percent / 100
    dominant = max(components, key=lambda n: available[n].unavailability) if components else None
    target = float(slo) if slo is not None else None
    return EntryPath(entry, components, percent, name=name, kind=kind, slo_percent=target,
                     downtime_minutes_per_month=down * MINUTES_PER_MONTH,
                     downtime_minutes_per_year=down * MINUTES_PER_YEAR,
                     error_budget_minutes_per_month=(1 - target / 100) * MINUTES_PER_MONTH if target is not None else None,
                     dominant=dominant)


def flow_components(g: Graph, flow) -> list[str]:
    """The nodes a flow passes through. A cluster named in a flow stands for its deployments; a deployment
    is named cluster/deployment."""
    if flow.components is not None:
        return g.ordered(n for name in flow.components for n in g.nodes_of(name) if n in g.kinds)
    if flow.entry not in g.kinds and flow.entry not in g.expanded:
        return []
    starts = [n for n in g.nodes_of(flow.entry) if n in g.kinds]
    reach = g.reachable(starts)
    if flow.through:
        through = [n for name in flow.through for n in g.nodes_of(name) if n in g.kinds]
        callers: dict[str, list[str]] = {}  # reverse edges, once: who can reach the `through` components
        for name in reach:
            for callee in g.sync(name):
                callers.setdefault(callee, []).append(name)
        ancestors, stack = set(), list(through)
        while stack:
            name = stack.pop()
            if name not in ancestors:
                ancestors.add(name)
                stack.extend(callers.get(name, []))
        passed = reach & ancestors
        # a policy a router evaluates on every request it serves (Armor, its routes folded into the router's) is
        # waited on by every request the router passes on, this flow's too
        passed |= {c for name in passed for c in g.calls.get(name, []) if g.kinds[c] in ATTACHED_KINDS}
        reach = passed | g.reachable(through)
    reach |= {t for start in starts for t in g.triggers.get(start, [])
              if t in g.on_path and g.kinds[t] in DELIVERING_KINDS}
    return g.ordered(n for n in reach if n in g.on_path)


def analyse_paths(plan) -> tuple[set[str], dict[str, tuple[float, str]]]:
    """(nodes on some user request path, and the components they belong to; node -> (p95 latency target ms,
    where it comes from) for the nodes of flows that state one)."""
    g = graph(plan)
    request_side = g.waited_on(g.reachable(entry_points(plan, g)))  # a soft dependency's latency counts too
    request_side |= set(g.components(request_side))
    targets: dict[str, tuple[float, str]] = {}
    for name, flow in plan.spec.flows.items():
        if flow.slo and flow.slo.latency_p95_ms is not None:
            for component in flow_components(g, flow):
                value = float(flow.slo.latency_p95_ms)
                if component not in targets or value < targets[component][0]:
                    targets[component] = (value, f"flows.{name}.slo.latency_p95_ms")
    return request_side, targets


def request_path(plan) -> tuple[list[str], list[str]]:
    """(components on some request path from an entry point, in plan order; the entry points, as nodes)."""
    g = graph(plan)
    entries = entry_points(plan, g)
    return g.components(g.reachable(entries)), entries


def analyse(plan) -> AvailabilityResult:
    """The plan's availability per entry point, path and flow (remembered on the plan)."""
    from archplan.plan import remembered

    return remembered(plan, "_availability", _analyse)


def _analyse(plan) -> AvailabilityResult:
    components = {c.name: component_availability(c) for c in plan.components}
    by_name = {c.name: c for c in plan.components}
    g = graph(plan)
    clusters = {c.name: c for c in plan.components if c.name in g.expanded}
    for cluster, nodes in g.expanded.items():
        for deployment, node in zip(clusters[cluster].spec.deployments, nodes):
            components[node] = deployment_availability(clusters[cluster], deployment, node)
    entries = entry_points(plan, g)
    slo = plan.spec.slo.availability_percent if plan.spec.slo else None
    flows = plan.spec.flows
    flow_by_entry = {flow.entry: name for name, flow in flows.items() if flow.entry}
    paths: list[EntryPath] = []
    for entry in entries:
        across = regions.compose(plan, g, entry, components, slo)
        covered: set[str] = set()
        if across is not None:
            paths.append(across[0])
            covered = across[1]
        for chosen, names in branches(g, entry):
            if covered & set(chosen):
                continue  # a region's route: counted in the composed path
            label = " -> ".join(dict.fromkeys([entry] + chosen))
            paths.append(path_figures(label, "request", entry, g.ordered(names), components, slo))
    for worker in (n for n in background_deployments(plan, g) if n not in entries):
        paths.append(path_figures(f"{worker} (background: not public, nothing calls it)", "async", worker,
                                  g.ordered(n for n in g.reachable([worker]) if n in g.on_path), components, None))
    for source, consumer in g.async_edges:
        if consumer not in g.kinds or g.kinds[consumer] == "external":
            continue
        # delivery waits on the queue itself, not on whoever enqueued the work
        names = g.reachable([consumer]) | ({source} if source in g.on_path and g.kinds[source] in DELIVERING_KINDS
                                            else set())
        # an Eventarc trigger on one of the plan's topics delivers that topic's messages: it waits on the topic
        carrier = by_name.get(source)
        if carrier is not None and carrier.kind == "eventarc":
            names |= {t.topic for t in carrier.spec.triggers
                      if t.topic and t.destination == g.component_of.get(consumer, consumer)}
        own = flows.get(flow_by_entry.get(consumer, ""))
        target = own.slo.availability_percent if own and own.slo else None
        paths.append(path_figures(f"{source} => {consumer} (async)", "async", consumer,
                                  g.ordered(n for n in names if n in g.on_path), components, target))
    for name, flow in flows.items():
        target = flow.slo.availability_percent if flow.slo else None
        members = flow_components(g, flow)
        paths.append(path_figures(name, "flow", flow.entry or (members[0] if members else ""), members, components,
                                  target))
    requests = [p for p in paths if p.kind == "request"]
    worst = min(requests, key=lambda p: p.percent, default=None)
    path = worst.components if worst else []
    composite = worst.percent if worst else 100.0
    down = 1 - composite / 100
    on_any = {n for p in paths for n in p.components}
    assumptions = [f"{a.name}: {a.configuration}: {a.percent:g}% assumed ({a.source})"
                   for a in components.values() if a.basis == "assumed" and a.name in on_any]
    rows = recovery(plan)
    kinds = {c.name: c for c in plan.components}
    off_path = [(c.name, d.name) for c in plan.components if c.name in on_any for d in c.spec.depends_on
                if d.name in kinds and kinds[d.name].category in OFF_PATH_CATEGORIES and not stated_critical(d)]
    return AvailabilityResult(
        components=components, path=path, entries=paths, composite_percent=composite,
        downtime_minutes_per_month=down * MINUTES_PER_MONTH, downtime_minutes_per_year=down * MINUTES_PER_YEAR,
        slo_percent=float(slo) if slo is not None else None,
        error_budget_minutes_per_month=(1 - float(slo) / 100) * MINUTES_PER_MONTH if slo is not None else None,
        dominant=worst.dominant if worst else None, recovery=rows, assumptions=assumptions, off_path=off_path,
        weakest_path=worst.name if worst else None, entry_points=entries,
        scenarios=regions.scenario_table(plan, rows))


def _recovery_fixes(plan, attr: str, late: list) -> str:
    """What to change for each component and scenario that misses the target, the slowest first: HA answers a
    zone outage only; HA and replicas copy a bad write at once, so data corruption is always a restore; a
    Memorystore replica is asynchronous, so its failover always loses the last writes."""
    fixes: dict[str, str] = {}
    for row in sorted(late, key=lambda row: -getattr(row, attr)):
        kind = plan.component(row.component).kind
        if row.scenario == "data corruption" and attr == "rto_minutes":
            default = ("HA and replicas copy a bad write at once, so this is a restore from backup (assumed 60 min, "
                       "longer for a large database) whatever the HA setting: promise an RTO the restore meets")
        elif row.scenario == "data corruption" and row.rpo_minutes <= 5:
            default = ("point-in-time recovery (on) restores to just before the bad write (assumed within 5 min): "
                       "no setting loses less; promise an RPO it meets")
        elif kind.startswith("memorystore") and attr == "rpo_minutes" and row.rpo_minutes < 1:
            default = ("its replica is asynchronous, so a failover loses the last second or so of writes in every "
                       "tier: keep what must not be lost in the database, or promise an RPO it meets")
        elif attr == "rto_minutes":
            default = "HA with automatic failover for the stateful components on the path"
        else:
            default = "enable backups with point-in-time recovery (and HA for zone outages)"
        fixes.setdefault(f"{row.component}, {row.scenario}", regions.recovery_fix(plan, attr, row, default))
    if len(set(fixes.values())) == 1:
        return next(iter(fixes.values()))
    return "; ".join(f"{where}: {fix}" for where, fix in fixes.items())


GENERIC_SLO_FIX = ("HA configurations (Cloud SQL HA, Redis Standard, regional GKE with 2+ replicas), soft "
                   "dependencies (critical: false) where a request survives without the component, or a lower SLO")


def _slo_fix(plan, worst: EntryPath, available: dict[str, ComponentAvailability]) -> str:
    """The fix for a path below the SLO. A kind whose SLA module has `off_path_fix` (Cloud NAT: HA is no fix
    for it) is taken off the path rather than raised, and the path's figure without it is computed."""
    dominant = available[worst.dominant]
    advice = getattr(sla_module(dominant.kind), "off_path_fix", None)
    if advice is None:
        return f"raise the weakest links first: {dominant.name}; {GENERIC_SLO_FIX}"
    edges = graph(plan)
    callers = edges.components(n for n in worst.components if dominant.name in edges.sync(n))
    text = advice(dominant.name, callers)
    rest = [n for n in worst.components if n != dominant.name]
    if worst.expression is not None or not rest or dominant.percent <= 0:
        return f"{text}; or raise the other links: {GENERIC_SLO_FIX}"
    without = worst.percent / dominant.percent * 100
    text += (f". Without it, {worst.name} is {worst.percent:.3f}% / {dominant.percent:g}% = {without:.3f}%")
    if without >= worst.slo_percent - 1e-9:
        return text + f", meeting the SLO of {worst.slo_percent:g}%"
    weakest = min(rest, key=lambda n: available[n].percent)
    return (text + f", still below {worst.slo_percent:g}%: then raise the next weakest link, {weakest} "
            f"({available[weakest].percent:g}%); {GENERIC_SLO_FIX}")


def findings(plan, result: AvailabilityResult) -> list[Finding]:
    out: list[Finding] = []
    line = plan.spec.line_of
    failing = [p for p in result.entries if p.kind == "request" and p.met is False]
    if failing:
        worst = min(failing, key=lambda p: p.percent)
        dominant = result.components[worst.dominant]
        others = "; ".join(f"{p.name} {p.percent:.3f}%" for p in failing if p is not worst)
        out.append(Finding(
            "AVAIL-001", "error", "availability", "a request path cannot meet the availability SLO",
            f"{len(failing)} of {sum(1 for p in result.entries if p.kind == 'request')} request path(s) fall "
            f"below the SLO of {worst.slo_percent:g}%. Weakest: {worst.name}, the product of the SLAs it waits on: "
            f"{worst.formula(result.components)}; expected downtime (1 - {worst.percent / 100:.5f}) x "
            f"{MINUTES_PER_MONTH:,} min = {worst.downtime_minutes_per_month:.1f} min a month "
            f"({worst.downtime_minutes_per_year / 60:.1f} h a year) against an error budget of "
            f"(1 - {worst.slo_percent / 100:g}) x {MINUTES_PER_MONTH:,} = {worst.error_budget_minutes_per_month:.1f} "
            f"min a month. The largest share comes from {dominant.name} ({dominant.configuration}, "
            f"{dominant.percent:g}%)." + (f" Also below: {others}." if others else ""),
            _slo_fix(plan, worst, result.components),
            component=dominant.name, line=line(("slo", "availability_percent")),
            fact=("availability-slo", plan.environment)))
    for path in result.entries:
        if path.kind != "request" and path.met is False:
            dominant = result.components[path.dominant]
            key = ("flows", path.name, "slo") if path.kind == "flow" else ("flows",)
            out.append(Finding(
                "AVAIL-006", "error", "availability", f"the {'flow' if path.kind == 'flow' else 'background path'} "
                "cannot meet its own availability target",
                f"{path.name}: {path.formula(result.components)} against its target {path.slo_percent:g}%; "
                f"downtime {path.downtime_minutes_per_month:.1f} min a month against a budget of "
                f"{path.error_budget_minutes_per_month:.1f}. Largest share: {dominant.name} ({dominant.percent:g}%).",
                f"raise {dominant.name}'s availability or the flow's target", component=dominant.name,
                line=line(key) or line(("slo",)),
                fact=("flow-availability", path.name, plan.environment) if path.kind == "flow" else None))
    on_any = {n for p in result.entries for n in p.components}
    for name in (n for n in graph(plan).order if n in on_any):
        availability = result.components[name]
        if availability.basis == "assumed":
            out.append(Finding(
                "AVAIL-002", "warning", "availability", "a component on a path has no SLA",
                f"{availability.configuration}: Google publishes no SLA for it; archplan assumes "
                f"{availability.percent:g}% ({availability.source}).",
                "use a configuration with an SLA, or state the figure you rely on with availability_percent",
                component=name, line=line(("components", name))))
    slo = plan.spec.slo
    # with no bound: a recovery that has none is said so, data lost is 'everything'
    objectives = (("rto_minutes", "AVAIL-003", "recovery time objective not met", "recovery takes about",
                   "recovery has no bound"),
                  ("rpo_minutes", "AVAIL-004", "recovery point objective not met", "data lost can reach",
                   f"data lost can reach {NO_BACKUP}"))
    for attr, code, title, verb, unbounded in objectives:
        target = getattr(slo, attr) if slo else None
        if target is None:
            continue
        late = [row for row in result.recovery if getattr(row, attr) > float(target)]
        if late:
            worst = max(late, key=lambda row: getattr(row, attr))
            out.append(Finding(
                code, "error", "availability", title,
                f"target ({attr.replace('_minutes', '').upper()}) {target} min; " + "; ".join(
                    f"{row.component}, {row.scenario}: {unbounded if getattr(row, attr) == math.inf else f'{verb} {minutes_text(getattr(row, attr))}'} ({row.basis})"
                    for row in late) + ".",
                _recovery_fixes(plan, attr, late), component=worst.component, line=line(("slo", attr)),
                fact=(attr, plan.environment)))
    if result.slo_percent is None:
        out.append(Finding(
            "AVAIL-005", "info", "availability", "no availability SLO to check against",
            f"the weakest request path ({result.weakest_path}) is {result.composite_percent:.3f}% available "
            f"({result.downtime_minutes_per_month:.1f} min of downtime a month).",
            "set slo.availability_percent", line=line(("slo",)) or line(("project",))))
    return out
