"""The limits a component reaches as load grows, each as `used(load)` against a fixed capacity.

Within one phase every load figure is proportional to the load (the plan's volumes are multiplied by
load / base), so a limit's use at any load follows from its use at one point: each term is
`value_at_point x load / point`, rounded up where it counts instances or pods, and never below its
floor (min instances, steady replicas). The load where a limit is first exceeded is found by bisection
on that step function, so it is exact for the model and checkable by hand.
"""
from __future__ import annotations

import math
from decimal import Decimal
from collections.abc import Callable
from dataclasses import dataclass, field

from archplan.components.gke import (ZONES_PER_REGION, created_nodes, largest_nodes, largest_replicas, nodes_per_zone,
                                    untainted_pools)


@dataclass(frozen=True)
class Term:
    value_at_point: float  # continuous quantity at the point's load (e.g. instances 2.4)
    floor: float = 0.0  # never below this (min instances)
    whole: bool = False  # rounded up (instances, pods)
    weight: float = 1.0  # what one unit uses of the limit (connections per instance, vCPU per pod)
    cap: float = math.inf  # never above this (max instances: the autoscaler stops there)
    function: Callable[[float], float] | None = None  # use at a load, when not proportional (GKE nodes)


@dataclass
class Limit:
    component: str
    limit: str  # what runs out, in the user's words
    capacity: float
    unit: str
    formula: str  # how `used` is computed, with the point's numbers
    terms: list[Term] = field(default_factory=list)
    point: float = 1.0  # the load the terms were measured at

    def used(self, load: float) -> float:
        total = 0.0
        for term in self.terms:
            if term.function is not None:
                total += term.function(load) * term.weight
                continue
            value = term.value_at_point * load / self.point if self.point else term.value_at_point
            if term.whole:
                value = math.ceil(value - 1e-9) if value > 0 else 0
            total += min(term.cap, max(term.floor, value)) * term.weight
        return total

    @property
    def used_at_point(self) -> float:
        return self.used(self.point)

    def exceeded(self, load: float) -> bool:
        return self.used(load) > self.capacity + 1e-9

    def first_exceeded(self, low: float, high: float | None = None) -> float:
        """The smallest load in (low, high] (default: the point) at which the limit is exceeded; the limit
        must be exceeded at `high`."""
        if self.exceeded(low):
            return low
        high = self.point if high is None else high
        for _ in range(200):
            if high - low <= max(1e-9, high * 1e-12):
                break
            middle = (low + high) / 2
            if self.exceeded(middle):
                high = middle
            else:
                low = middle
        return high


def instances(row, target: float) -> float:
    """Continuous instances (or pods) at the target utilisation: peak RPS x service time / (slots x target)."""
    return row.peak_rps * row.service_time_ms / 1000 / (row.per_instance * target)


def limits_at(plan, capacity, load: float, unchecked: list | None = None) -> list[Limit]:
    """Every limit the plan has, measured at `load` (the plan is already set to it); quotas that cannot be
    checked (no stated or published figure) are appended to `unchecked`."""
    target = float(plan.spec.checks.target_utilization)
    rows = {row.name: row for row in capacity.services}
    out: list[Limit] = []
    for row in capacity.services:
        x = instances(row, target)
        what = "max instances" if row.kind != "gke" else "HPA max replicas"
        out.append(Limit(row.name.split("/")[0] if row.kind != "gke" else row.name, what, row.max_instances,
                         "instances" if row.kind != "gke" else "pods",
                         f"peak {row.peak_rps:.2f} req/s x {row.service_time_ms:g} ms / ({row.per_instance} per "
                         f"instance x {target:.0%}) = {x:.2f}, rounded up, at least {row.min_instances}",
                         [Term(x, row.min_instances, True)], load))
    from archplan.scale.quotas import regional

    quotas, missing = regional(plan, capacity, target, load)
    out += quotas
    if unchecked is not None:
        unchecked += missing
    from archplan.components import gke

    clients_of: dict[str, list] = {}  # database -> the components that call it, in plan order (one pass)
    for client in plan.components:
        for name in dict.fromkeys(d.name for d in client.spec.depends_on):
            clients_of.setdefault(name, []).append(client)
    for budget in capacity.connections:
        terms, parts = [], []
        for client in clients_of.get(budget.database, []):
            # a cluster followed deployment by deployment: only the deployments that use the database
            uses = ({name for name, calls in gke.deployment_calls(client.spec).items()
                     if budget.database in {d.name for d, _sibling in calls} | {d.name for d in gke.shared_edges(client.spec)}}
                    if client.kind == "gke" and gke.has_call_graph(client.spec) else None)
            spec = client.spec
            if client.kind in ("cloud_run", "cloud_functions") and client.name in rows:
                per = spec.connections_per_instance()
                if per:
                    row = rows[client.name]
                    terms.append(Term(instances(row, target), spec.min_instances, True, per))
                    parts.append(f"{client.name} instances x {per}")
            elif client.kind == "gke":
                for deployment in spec.deployments:
                    if uses is not None and deployment.name not in uses:
                        continue
                    per = deployment.connections_per_instance()
                    row = rows.get(f"{client.name}/{deployment.name}")
                    if per and row:
                        terms.append(Term(instances(row, target), deployment.replicas, True, per))
                        parts.append(f"{client.name}/{deployment.name} pods x {per}")
        if terms:
            out.append(Limit(budget.database, "max_connections", budget.max_connections, "connections",
                             " + ".join(parts) + f" (instances at the load, each with its pools) against "
                                                 f"{budget.max_connections} ({budget.max_connections_source})",
                             terms, load))
    peak = capacity.peak_to_average
    for component in plan.components:
        spec = component.spec
        if component.kind == "memorystore_redis" and spec.working_set_gb is not None:
            out.append(Limit(component.name, "Redis memory", float(spec.capacity_gb), "GB",
                             f"working set {float(spec.working_set_gb):.2f} GB in {spec.capacity_gb} GB",
                             [Term(float(spec.working_set_gb))], load))
        elif component.kind == "llm" and spec.chats_per_day is not None:
            chats_per_minute = float(spec.chats_per_day) / 1440 * peak
            if spec.quota_requests_per_minute is not None and spec.requests_per_chat is not None:
                rpm = chats_per_minute * float(spec.requests_per_chat)
                out.append(Limit(component.name, "LLM requests per minute", float(spec.quota_requests_per_minute),
                                 "RPM", f"{float(spec.chats_per_day):,.0f} chats/day / 1440 x peak {peak:g} x "
                                        f"{spec.requests_per_chat} calls = {rpm:,.1f}", [Term(rpm)], load))
            if spec.quota_tokens_per_minute is not None and spec.per_chat is not None:
                tokens = float(spec.per_chat.input + spec.per_chat.output + spec.per_chat.cached_input)
                tpm = chats_per_minute * tokens
                out.append(Limit(component.name, "LLM tokens per minute", float(spec.quota_tokens_per_minute),
                                 "TPM", f"{float(spec.chats_per_day):,.0f} chats/day / 1440 x peak {peak:g} x "
                                        f"{tokens:,.0f} tokens = {tpm:,.0f}", [Term(tpm)], load))
        elif component.kind == "gke" and spec.mode == "standard" and spec.node_pools:
            out += _node_limits(component, rows, target, load)
    return out


GKE_FIXED = ("pods per node", "nodes per node pool per zone")  # GKE system limits (what they are named by)


def pods_at(x: float, deployment, hpa_capped: bool = True) -> int:
    """A deployment's pods where the load needs `x` of them (continuous): rounded up, at least its replicas and,
    `hpa_capped`, at most its max_replicas (largest_replicas: past it the HPA adds no pods, the deployment
    saturates, which its own "HPA max replicas" limit reports)."""
    count = max(deployment.replicas, math.ceil(x - 1e-9) if x > 0 else 0)
    return min(count, largest_replicas(deployment)) if hpa_capped else count


def nodes_for(cpu: float, memory: float, cpu_node: float, memory_node: float) -> int:
    """Nodes that hold pods requesting `cpu` vCPU and `memory` GiB: the larger share of one node's
    allocatable, rounded up."""
    return math.ceil(max(cpu / cpu_node if cpu_node > 0 else 0, memory / memory_node if memory_node > 0 else 0) - 1e-9)


def nodes_needed(pods, at: float, point: float, cpu_node: float, memory_node: float, hpa_capped: bool = True) -> int:
    """Nodes the pods need at load `at`: pods (continuous at `point`, scaled by at / point, pods_at) x their
    requests, over one node's allocatable, rounded up."""
    cpu = memory = 0.0
    for x, deployment in pods:
        count = pods_at(x * at / point if point else x, deployment, hpa_capped)
        cpu += count * float(deployment.cpu)
        memory += count * float(deployment.memory)
    return nodes_for(cpu, memory, cpu_node, memory_node)


def autoscaled_nodes(needed: int, spill: int, created: int, largest: int) -> int:
    """The nodes the cluster autoscaler runs in a pool that grows (growing_pools) whose pods need `needed`
    nodes, less `spill` (the other pools' nodes they may use): at least the nodes it is created with (as
    `cost` prices them), at most its largest (max_nodes). max_nodes bounds the pool's total over its zones
    (GKE's total_max_node_count, which `generate` writes), so a regional pool grows a node at a time, not
    one in each zone: only its created count is a multiple of 3."""
    return max(created, min(needed - spill, largest))


def growing_pools(spec) -> list[tuple]:
    """(pool, its deployments, spill) for each node pool the cluster autoscaler grows with the load: a pool
    deployments name (node_pool) runs theirs; the pods without node_pool go on the first pool without GPUs
    (GKE taints GPU nodes while the cluster has pools without them), less `spill`, the nodes of the other
    such pools no deployment names. Without node_pool or GPU pools: the first pool runs every pod, less the
    other pools' nodes. The other pools keep the nodes they are created with."""
    plain = untainted_pools(spec)
    named = {d.node_pool for d in spec.deployments if d.node_pool}
    first = plain[0]
    out = []
    for pool in spec.node_pools:
        if pool is not first and pool.name not in named:
            continue
        deployments = [d for d in spec.deployments
                       if d.node_pool == pool.name or (pool is first and d.node_pool is None)]
        spill = sum(created_nodes(spec, p) for p in plain if p is not first and p.name not in named) \
            if pool is first else 0
        out.append((pool, deployments, spill))
    return out


def pool_shape(pool) -> tuple[float, float, float]:
    """(vCPU, allocatable vCPU, allocatable GiB) of one node of the pool."""
    from archplan import catalog
    from archplan.check.capacity import allocatable

    shape = catalog.service("compute_engine").machine_types[pool.machine_type]
    return (float(shape["vcpu"]), *allocatable(float(shape["vcpu"]), float(shape["memory_gb"])))


def _node_limits(component, rows, target: float, load: float) -> list[Limit]:
    from archplan import catalog
    from archplan.check.capacity import pool_allocatable, pool_groups

    spec = component.spec
    pod_terms, pods, parts = [], [], []
    needed = {}
    for deployment in spec.deployments:
        row = rows.get(f"{component.name}/{deployment.name}")
        x = instances(row, target) if row else 0.0
        needed[deployment.name] = x
        pod_terms.append(Term(x, deployment.replicas, True))
        pods.append((x, deployment))
        parts.append(f"{deployment.name} {x:.2f}" if row else f"{deployment.name} {deployment.replicas} (replicas)")
    out = []
    # Pods pinned to a pool (node_pool) fit that pool's nodes only, as check's CAP-050 counts them; pods without
    # one, the pools they may land on (GPU pools are tainted).
    groups = pool_groups(spec)
    for who, pools, deployments in groups:
        cpu_total, memory_total = pool_allocatable(spec, pools)
        on = "" if len(groups) == 1 else f" {', '.join(p.name for p in pools)}"
        of = "" if len(groups) == 1 else f" ({who})"
        # pods past max_replicas are never created, so they ask for no nodes
        cpu_terms = [Term(needed[d.name], d.replicas, True, float(d.cpu), largest_replicas(d)) for d in deployments]
        memory_terms = [Term(needed[d.name], d.replicas, True, float(d.memory), largest_replicas(d))
                        for d in deployments]
        pods_run = "pods at the load (each rounded up, at least its replicas, at most its max_replicas)"
        out += [Limit(component.name, f"node pool maximum (CPU{on})", cpu_total, "vCPU",
                      f"{pods_run} x CPU request{of} against {cpu_total:.2f} vCPU allocatable at max_nodes",
                      cpu_terms, load),
                Limit(component.name, f"node pool maximum (memory{on})", memory_total, "GiB",
                      f"{pods_run} x memory request{of} against {memory_total:.2f} GiB allocatable at max_nodes",
                      memory_terms, load)]
    book = catalog.service("limits")
    per_node = book.fact("gke_max_pods_per_node_default")
    top = {pool.name: largest_nodes(spec, pool)
           for pool in spec.node_pools}
    slots = float(per_node.decimal) * sum(top.values())
    out.append(Limit(component.name, f"{GKE_FIXED[0]} ({per_node.decimal} a node, GKE Standard default)", slots, "pods",
                     f"pods the load needs ({', '.join(parts)} at this point, each rounded up, at least its "
                     f"replicas, not capped at max_replicas) against {per_node.decimal} pods a node x "
                     + " + ".join(f"{name} {count}" for name, count in top.items())
                     + f" nodes at the pools' maximum = {slots:g} ({per_node.source}, {per_node.date}; kube-system "
                       "pods also take slots and are not counted)", pod_terms, load))
    zone_fact = book.fact("gke_nodes_per_node_pool_zone")
    zones = ZONES_PER_REGION if spec.location_type == "regional" else 1
    pods_of = {deployment.name: x for x, deployment in pods}
    for pool, deployments, spill in growing_pools(spec):
        _vcpu, cpu_node, memory_node = pool_shape(pool)
        on_pool = [(pods_of[d.name], d) for d in deployments]

        def per_zone(at: float, on_pool=on_pool, point=load, cpu_node=cpu_node, memory_node=memory_node,
                     spill=spill) -> float:
            every_pod = nodes_needed(on_pool, at, point, cpu_node, memory_node, hpa_capped=False)
            return math.ceil(max(every_pod - spill, 0) / zones - 1e-9)

        out.append(Limit(f"{component.name}/{pool.name}", GKE_FIXED[1], float(zone_fact.decimal), "nodes a zone",
                         f"nodes the pods need on {pool.name} ({pool.machine_type}: {cpu_node:.2f} vCPU / "
                         f"{memory_node:.2f} GiB allocatable a node; "
                         + (f"less the other pools' {spill} nodes; " if spill else "")
                         + f"pods not capped at max_replicas, nodes not capped at max_nodes) / {zones} "
                           f"zone{'s' if zones > 1 else ''} "
                           f"({spec.location_type}), rounded up, against {zone_fact.decimal} ({zone_fact.source}, "
                           f"{zone_fact.date}, a system limit: no max_nodes can go past it)",
                         [Term(0.0, function=per_zone)], load))
    return out


def day_shape(plan):
    """The traffic relative to its mean, minute by minute over a day (a week with a weekly profile): the shape
    `simulate` runs (analysis.traffic_shape), whose mean is 1."""
    from archplan.analysis.traffic_shape import shape

    traffic = plan.spec.traffic
    days = 7 if traffic is not None and traffic.weekly_profile is not None else 1
    return shape(traffic, days, ())[0]


def pods_over_day(x_peak: float, peak: float, profile, deployment):
    """A deployment's pods minute by minute (numpy): the pods the load needs as it follows the day's shape
    (x at the peak, over the peak factor, times the shape), each rounded up, at least its replicas, at most
    its max_replicas, as the HPA runs them (without its lag)."""
    import numpy as np

    wanted = np.ceil(x_peak / peak * profile - 1e-9) if peak > 0 else np.full(len(profile), math.ceil(x_peak))
    return np.clip(wanted, deployment.replicas, largest_replicas(deployment))


def _deployment_pods(rows: dict, target: float, cluster: str, deployment, peak: float, profile):
    """(pods at the peak, pods the load asks for there without the HPA's cap, pods minute by minute over the
    day): a deployment without a capacity row (no request duration) keeps its replicas."""
    row = rows.get(f"{cluster}/{deployment.name}")
    x = instances(row, target) if row else 0.0
    return (pods_at(x, deployment), pods_at(x, deployment, hpa_capped=False),
            pods_over_day(x, peak, profile, deployment))


def _past_cap(pods: int, wanted: int) -> str:
    return f" (its max_replicas; the load needs {wanted})" if wanted > pods else ""


def autopilot_pods(plan, capacity) -> list[dict]:
    """Pods each GKE Autopilot cluster runs at the peak and the requests Autopilot bills for them: per
    deployment, pods_at (the pods the load needs, at least its replicas, at most its max_replicas) times its
    billed vCPU and memory (gke.autopilot_billed_requests), which `scale` prices. A deployment without a
    capacity row (no request duration) keeps its replicas."""
    from archplan.components.gke import autopilot_billed_requests

    target = float(plan.spec.checks.target_utilization)
    rows = {row.name: row for row in capacity.services}
    profile, peak = None, capacity.peak_to_average
    out = []
    for component in plan.components:
        spec = component.spec
        if component.kind != "gke" or spec.mode != "autopilot":
            continue
        vcpu = memory = Decimal(0)
        parts = []
        if profile is None:
            profile = day_shape(plan)
        for deployment in spec.deployments:
            pods, wanted, day = _deployment_pods(rows, target, component.name, deployment, peak, profile)
            mean = Decimal(str(round(float(day.mean()), 6)))
            cpu, gib = autopilot_billed_requests(deployment.cpu, deployment.memory)
            vcpu += cpu * mean
            memory += gib * mean
            parts.append(f"{deployment.name} {float(mean):.2f} x ({cpu} vCPU, {gib:.3f} GiB), {pods} at the peak"
                         + _past_cap(pods, wanted))
        out.append({"cluster": component.name, "pod_vcpu": vcpu, "pod_memory_gib": memory,
                    "formula": f"{float(vcpu):.2f} vCPU, {float(memory):.3f} GiB billed = " + " + ".join(parts)
                               + " (pods over the day's traffic shape: at each minute the pods the load needs, "
                                 "rounded up, at least its replicas, at most its max_replicas; their mean)"})
    return out


def gke_nodes(plan, capacity) -> list[dict]:
    """Nodes each GKE Standard cluster needs and runs at the peak. For each pool that grows (growing_pools):
    `nodes_needed`, the pods on it (pods_at: at least their replicas, at most their max_replicas) times their
    requests, over one of its nodes' allocatable, rounded up; `nodes`, those the cluster autoscaler runs
    (autoscaled_nodes: from the nodes created up to max_nodes), which `scale` prices; each with its formula
    and the nodes it may leave to the other pools (spill). The cluster's `nodes` adds the pools that do not
    grow, at the nodes they are created with."""
    import numpy as np

    target = float(plan.spec.checks.target_utilization)
    rows = {row.name: row for row in capacity.services}
    profile, peak = None, capacity.peak_to_average
    out = []
    for component in plan.components:
        spec = component.spec
        if component.kind != "gke" or spec.mode != "standard" or not spec.node_pools:
            continue
        pools, formulas = [], []
        growing = growing_pools(spec)
        if profile is None:
            profile = day_shape(plan)
        for pool, deployments, spill in growing:
            _vcpu, cpu_node, memory_node = pool_shape(pool)
            cpu = memory = 0.0
            cpu_day = np.zeros(len(profile))
            memory_day = np.zeros(len(profile))
            counts = []
            for deployment in deployments:
                pods, wanted, day = _deployment_pods(rows, target, component.name, deployment, peak, profile)
                cpu += pods * float(deployment.cpu)
                memory += pods * float(deployment.memory)
                cpu_day += day * float(deployment.cpu)
                memory_day += day * float(deployment.memory)
                counts.append(f"{deployment.name} {pods}" + _past_cap(pods, wanted))
            needed = nodes_for(cpu, memory, cpu_node, memory_node)
            created, top = created_nodes(spec, pool), largest_nodes(spec, pool)
            nodes = autoscaled_nodes(needed, spill, created, top)
            # over the day: the nodes the same rule runs at each minute's pods; a month bills their mean
            needed_day = np.ceil(np.maximum(cpu_day / cpu_node, memory_day / memory_node) - 1e-9)
            mean = round(float(np.maximum(created, np.minimum(needed_day - spill, top)).mean()), 6)
            need = (f"max({cpu:.2f} vCPU / {cpu_node:.2f}, {memory:.2f} GiB / {memory_node:.2f}) per "
                    f"{pool.machine_type} node, rounded up; pods: {', '.join(counts)}")
            made = f"{created} created" + (f" ({nodes_per_zone(spec, pool)} in each of {ZONES_PER_REGION} zones)"
                                           if spec.location_type == "regional" and created else "")
            bound = f"max_nodes {top}" if pool.max_nodes is not None else f"{top} (no max_nodes: the nodes created)"
            less = f" - {spill} on the other pools" if spill else ""
            pools.append({"pool": pool.name, "nodes_needed": needed, "spill": spill, "created": created,
                          "nodes": nodes, "nodes_mean": mean, "max_nodes": top, "exceeded": needed - spill > top,
                          "formula": f"{nodes} at the peak = max({made}, min({needed} needed{less}, {bound})); "
                                     f"needed: {need}; {mean:.2f} on average over the day's traffic shape (the "
                                     "same rule at each minute's pods), which a month bills"})
            formulas.append(need + (f" ({pool.name})" if len(growing) > 1 else ""))
        grows = {pool.name for pool, _deployments, _spill in growing}
        kept = sum(created_nodes(spec, p) for p in spec.node_pools if p.name not in grows)
        maximum = sum(largest_nodes(spec, p) for p in spec.node_pools)
        out.append({"cluster": component.name, "nodes_needed": sum(p["nodes_needed"] for p in pools),
                    "nodes": sum(p["nodes"] for p in pools) + kept, "max_nodes": maximum,
                    "formula": " + ".join(formulas), "pools": pools})
    return out
