"""The figures of every option, computed once, so a candidate plan is evaluated by sums and products.

A plan's cost is the sum of its components' line items, except where components share a free tier or a
tiered SKU: such components form a *pricing group*, and each combination of their options is priced
together by `cost_report` on just that group (exact: nothing outside the group touches those SKUs).
Changing one component re-prices only its group, from a cache.

Per option: its availability (the SLA `check` uses), recovery rows (RTO/RPO), capacity row (instances
needed at the peak against max_instances, M/M/c p95), database connections; per group option: the
constraint failures that option alone causes. Composite and per-entry availability are products over
the request path, as `check` computes them.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from decimal import Decimal

from archplan import assess

MAX_GROUP_OPTIONS = 200_000


@dataclass
class Targets:
    """What a candidate must meet (None: not a constraint)."""

    availability_percent: float | None = None  # every entry path
    entry_availability: dict[str, float] = field(default_factory=dict)  # per entry point
    p95_ms: float | None = None  # every user request path at peak, end to end (as `check` sums its hops)
    rto_minutes: float | None = None
    rpo_minutes: float | None = None
    capacity: bool = True  # instances needed within max_instances, connections within max_connections
    # the plan's flows with a latency objective: the flow's own path, end to end
    flow_p95_ms: dict[str, float] = field(default_factory=dict)  # flow name -> target ms
    # follow every user request path's end-to-end p95 even without a target (the cost/p95 frontier)
    measure_paths: bool = False


@dataclass
class MemberOption:
    changes: dict
    component: object  # resolved Component
    availability: float  # percent
    availability_basis: str
    rto_minutes: float
    rpo_minutes: float
    service: object | None  # capacity ServiceLoad (Cloud Run, Functions)
    connections: int  # connections it opens at full scale (clients)
    max_connections: int | None  # databases
    problems: list[str]
    nodes: dict[str, float] = field(default_factory=dict)  # path node -> percent (a cluster: per deployment)
    # path node -> its request-driven hops' response times: (mean s, variance s^2, p95 ms) per capacity row,
    # as `check` collects them for a path (a cluster's name: all its deployments; cluster/deployment: one)
    timed: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)

    @property
    def p95_ms(self) -> float | None:
        """Its slowest request-driven service's p95 at peak: the Cloud Run or Functions service's own, or a
        GKE cluster's slowest deployment (a cluster has no single service row)."""
        if self.service is not None and self.service.p95_ms is not None:
            return self.service.p95_ms
        values = [hop[2] for hops in self.timed.values() for hop in hops if hop[2] is not None]
        return max(values) if values else None

    def percent(self, node: str) -> float:
        return self.nodes.get(node, self.availability)


@dataclass
class LatencyPath:
    """A request path or flow with a p95 objective, checked end to end as `check` does (CAP-005)."""

    name: str  # as in Model.entries: the path's name, or "flow <name>"
    nodes: list[tuple[str, str]]  # (component, path node)
    target_ms: float  # math.inf: measured only (the cost/p95 frontier), never a constraint
    source: str  # where the target comes from
    request: bool = True  # a user request path (an entry point's route), not a declared flow


def path_p95(hops: list[tuple[float, float, float]]) -> float | None:
    """p95 (ms) of a path from its timed hops: one hop exactly, several as `check` sums them (a gamma with
    the summed mean and variance); None without a timed hop (check has no figure either)."""
    if not hops:
        return None
    if len(hops) == 1:
        return hops[0][2]
    from archplan.check.queueing import sum_percentile

    return sum_percentile(0.95, [(mean, variance) for mean, variance, _p95 in hops]) * 1000


def worst_request_p95(latency: list, values) -> float | None:
    """The cost/p95 frontier's figure: the highest end-to-end p95 at peak among the user request paths
    (values aligned with `latency`; declared flows are not among them); None when no path has a timed hop."""
    found = [value for path, value in zip(latency, values) if path.request and isinstance(value, float)]
    return max(found) if found else None


def over(p95: float | None, target: float) -> bool:
    return p95 is not None and p95 > target * (1 + 1e-12)


@dataclass(frozen=True)
class Shape:
    """How a path's availability follows from its nodes' availabilities: one part, in series; or, behind a
    load balancer that fails over between regions, part 0 in series (what every request waits on) times
    one minus the chance that no region serves, each further part being one region's block in series
    (`check.regions.blocks_down`, as `check` composes the path). The figure grows with every part, so the
    search can bound and compare partial plans part by part."""

    parts: tuple[tuple[str, ...], ...]
    fraction: float = 0.0  # active-passive: failover time over the mean regional outage

    @classmethod
    def of(cls, entry) -> "Shape":
        if entry.alternatives:
            return cls((tuple(entry.serial),) + tuple(tuple(block) for block in entry.alternatives),
                       entry.failover_fraction)
        return cls((tuple(entry.components),))

    @property
    def nodes(self) -> list[str]:
        return [node for part in self.parts for node in part]

    def value(self, products) -> float:
        """The path's availability (a fraction) from each part's product of availabilities (fractions)."""
        if len(self.parts) == 1:
            return products[0]
        from archplan.check.regions import blocks_down

        return products[0] * (1 - blocks_down([p * 100 for p in products[1:]], self.fraction))


@dataclass
class GroupOption:
    choice: tuple[int, ...]  # option index per member
    cost_usd: Decimal
    problems: list[str]


@dataclass
class Model:
    plan: object
    names: list[str]  # every component, plan order
    members: dict[str, list[MemberOption]]
    groups: list[list[str]]  # pricing groups
    group_options: list[list[GroupOption]]
    entries: list[tuple[str, list[str]]]  # (entry point or "flow <name>", nodes on its path)
    databases: dict[str, list[str]]  # database -> clients whose connections count
    contingency: Decimal
    usd_inr: Decimal
    priced_group_options: int = 0
    compiled: object | None = None  # archplan.optimize.tables.Tables, built on first use
    component_of: dict[str, str] = field(default_factory=dict)  # path node -> its component
    latency: list[LatencyPath] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)  # per entry, aligned with `entries`
    path_shape: Shape | None = None  # the weakest request path's (its nodes: path_shape.nodes)
    # request paths over regions where a region has several ways through it: their name -> the number of
    # ways; the search keeps the way `check` found weakest in the plan as written
    fixed_routes: dict[str, int] = field(default_factory=dict)

    def shape(self, entry: str) -> Shape:
        return self.shapes[[name for name, _nodes in self.entries].index(entry)]

    def owner(self, node: str) -> str:
        return self.component_of.get(node, node)


def _pricing_keys(plan, component) -> set:
    from archplan import components as registry
    from archplan.pricing.base import PricingContext

    keys = set()
    context = PricingContext(plan.region, plan.usd_inr, tuple(plan.components))
    for charge in registry.pricer_module(component.kind).price(component, context):
        if charge.free_tier is not None:
            keys.add(("free", charge.free_tier.pool, charge.free_tier.sku))
        if charge.price is not None and charge.price.tiers is not None:
            keys.add(("tiered", charge.price.service, charge.sku))
    return keys


def _groups(plan, members: dict[str, list[MemberOption]]) -> list[list[str]]:
    parent = {name: name for name in members}

    def find(name):
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    # A pricer that reads the plan's other components (Cloud Build's private pool) is priced with them: alone,
    # a build of a private cluster's pipelines was priced at the default pool's rate.
    from archplan import components as registry

    for component in plan.components:
        reads = getattr(registry.pricer_module(component.kind), "reads", None)
        for name in (reads(plan.components) if reads else []):
            if name in parent and component.name in parent:
                parent[find(name)] = find(component.name)
    # A call between regions is priced only with both its ends in the plan: alone, a caller in another region
    # than its database was priced without the inter-region transfer (saas.yaml's api-eu: $111.11 a month).
    from archplan.pricing.inter_region import cross_region_edges

    for caller, _dependency, callee, _here, _there in cross_region_edges(plan):
        if caller.name in parent and callee.name in parent:
            parent[find(caller.name)] = find(callee.name)
    owner: dict = {}
    for name, options in members.items():
        for option in options:
            for key in _pricing_keys(plan, option.component):
                if key in owner:
                    parent[find(name)] = find(owner[key])
                else:
                    owner[key] = name
    grouped: dict[str, list[str]] = {}
    for name in members:
        grouped.setdefault(find(name), []).append(name)
    return list(grouped.values())


def _member(plan, option_changes, component, targets: Targets) -> MemberOption:
    one = replace(plan, components=[component])
    availability = assess.component_availability(component)
    rows = assess.recovery_rows(one)
    capacity = assess.capacity_of(one)
    service = capacity.services[0] if capacity.services and component.kind != "gke" else None
    problems = []
    if targets.capacity:
        for row in capacity.services:
            if row.instances_needed > row.max_instances:
                problems.append(f"{row.name}: peak needs {row.instances_needed} instances, max_instances is "
                                f"{row.max_instances}")
            elif row.utilization >= 1:
                problems.append(f"{row.name}: saturated at peak ({row.utilization:.0%})")
        spec = component.spec
        if component.kind == "memorystore_redis" and spec.working_set_gb is not None and \
                spec.working_set_gb > spec.capacity_gb:
            problems.append(f"{component.name}: working set {spec.working_set_gb} GB above {spec.capacity_gb} GB")
    timed: dict[str, list[tuple[float, float, float]]] = {}
    for row in capacity.services:
        if row.long_lived or row.response_mean_ms is None:
            continue
        hop = (row.response_mean_ms / 1000, row.response_variance_ms2 / 1e6, row.p95_ms)
        timed.setdefault(row.name.split("/")[0], []).append(hop)
        if "/" in row.name:
            timed.setdefault(row.name, []).append(hop)
    rto = max((row.rto_minutes for row in rows), default=0.0)
    rpo = max((row.rpo_minutes for row in rows), default=0.0)
    if targets.rto_minutes is not None and rto > targets.rto_minutes:
        problems.append(f"{component.name}: recovery takes {rto:g} min, RTO is {targets.rto_minutes:g}")
    if targets.rpo_minutes is not None and rpo > targets.rpo_minutes:
        problems.append(f"{component.name}: up to {rpo:g} min of data lost, RPO is {targets.rpo_minutes:g}")
    connections, maximum = 0, None
    spec = component.spec
    if component.kind in ("cloud_run", "cloud_functions") and spec.connections_per_instance():
        connections = spec.max_instances * spec.connections_per_instance()
    if component.kind == "cloud_sql":
        budget = capacity.connections[0] if capacity.connections else None
        maximum = budget.max_connections if budget else None
    return MemberOption(option_changes, component, availability.percent, availability.basis, rto, rpo, service,
                        connections, maximum, problems, assess.node_availabilities(component), timed)


def build(plan, targets: Targets, option_lists: dict) -> Model:
    from archplan.analysis.cost import cost_report

    members: dict[str, list[MemberOption]] = {}
    for component in plan.components:
        options = option_lists.get(component.name)
        if options is None:
            members[component.name] = [_member(plan, {}, component, targets)]
        else:
            members[component.name] = [_member(plan, o.changes, o.resolved, targets) for o in options]
    groups = _groups(plan, members)
    order = {c.name: index for index, c in enumerate(plan.components)}
    groups = sorted((sorted(g, key=order.get) for g in groups), key=lambda g: order[g[0]])
    group_options = []
    priced = 0
    for group in groups:
        lists = [range(len(members[name])) for name in group]
        count = 1
        for choices in lists:
            count *= len(choices)
        if count > MAX_GROUP_OPTIONS:
            from archplan.errors import SpecError

            raise SpecError(f"{count:,} combinations for the components {', '.join(group)}, which share free tiers "
                            f"and must be priced together (at most {MAX_GROUP_OPTIONS:,}); vary fewer values",
                            plan.file, plan.spec.line_of(("vary",)), "vary")
        rows = []
        for choice in itertools.product(*lists):
            chosen = [members[name][index] for name, index in zip(group, choice)]
            if len(group) == 1 and len(members[group[0]]) == 1:
                subset = [chosen[0].component]
            else:
                subset = [option.component for option in chosen]
            report = cost_report(replace(plan, components=subset))
            priced += 1
            rows.append(GroupOption(tuple(choice), report.subtotal_usd,
                                    [problem for option in chosen for problem in option.problems]))
        group_options.append(rows)
    availability = assess.availability_of(plan)
    # one entry per user request path (an entry point's routes are separate paths) and one per declared
    # flow ("flow <name>", with the flow's own target); background paths without a flow have no target
    chosen = [entry for entry in availability.entries if entry.kind == "request"]
    chosen += [entry for entry in availability.entries if entry.kind == "flow" and entry.components]
    entries = [(entry.name or entry.entry if entry.kind == "request" else f"flow {entry.name}",
                list(entry.components)) for entry in chosen]
    shapes = [Shape.of(entry) for entry in chosen]
    weakest = min((entry for entry in chosen if entry.kind == "request"), key=lambda entry: entry.percent,
                  default=None)  # as `check` picks it
    path_shape = Shape.of(weakest) if weakest is not None else Shape((tuple(availability.path),))
    component_of = {node: name for name, options in members.items() for node in options[0].nodes}
    latency = []
    for entry in availability.entries:
        if entry.kind == "request" and targets.p95_ms is not None:
            label, target, source = entry.name or entry.entry, targets.p95_ms, "--slo p95"
        elif entry.kind == "request" and targets.measure_paths:
            label, target, source = entry.name or entry.entry, math.inf, "measured for the cost/p95 frontier"
        elif entry.kind == "flow" and entry.name in targets.flow_p95_ms:
            label, target = f"flow {entry.name}", targets.flow_p95_ms[entry.name]
            source = f"flows.{entry.name}.slo.latency_p95_ms"
        else:
            continue
        nodes = [(node.split("/")[0], node) for node in entry.components if node.split("/")[0] in members]
        latency.append(LatencyPath(label, nodes, target, source, entry.kind == "request"))
    databases: dict[str, list[str]] = {}
    for component in plan.components:
        if component.kind != "cloud_sql":
            continue
        clients = [c.name for c in plan.components if component.name in {d.name for d in c.spec.depends_on}]
        if any(option.connections for name in clients for option in members[name]):
            databases[component.name] = clients
    fixed_routes = {entry.name or entry.entry: entry.region_routes for entry in chosen
                    if entry.alternatives and entry.region_routes > 1}
    return Model(plan, [c.name for c in plan.components], members, groups, group_options, entries,
                 databases, plan.spec.project.contingency_percent, plan.usd_inr, priced,
                 component_of=component_of, latency=latency, shapes=shapes, path_shape=path_shape,
                 fixed_routes=fixed_routes)


@dataclass
class Candidate:
    """One whole plan: an option index per component, and its figures."""

    choice: dict[str, int]
    cost_usd: Decimal  # total, with contingency
    composite_percent: float
    entries: dict[str, float]
    worst_p95_ms: float
    problems: list[str]
    paths_p95: dict[str, float | None] = field(default_factory=dict)  # latency paths with a target


def evaluate(model: Model, choice: dict[str, int]) -> Candidate:
    """A full candidate from the tables: the reference evaluation (brute force uses it)."""
    from archplan.optimize.tables import tables

    return tables(model).candidate([choice[name] for name in model.names])
