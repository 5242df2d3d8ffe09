"""Capacity at peak: requests per second per service, Cloud Run instances against max_instances with an
M/M/c (Erlang C) estimate of queueing and p95 latency, database connections against max_connections,
Redis memory, Pub/Sub throughput, LLM quotas and GKE node capacity."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from archplan import catalog
from archplan.check import Finding
from archplan.check.queueing import Queue, servers_for_utilization
from archplan.components import kind_module
from archplan.components.base import SECONDS_PER_MONTH


@dataclass
class ServiceLoad:
    name: str
    kind: str
    avg_rps: float
    peak_rps: float
    service_time_ms: float
    per_instance: int  # requests one instance (or pod) serves at once: concurrency, or fewer if workers limit it
    instances_needed: int  # at the autoscaler's target utilisation
    max_instances: int
    min_instances: int
    wait_probability: float
    mean_wait_ms: float
    p95_ms: float | None  # None for long-lived connections (no request latency to model)
    utilization: float  # of the slots the queue model counts
    queue_servers: int = 0  # slots the queue model counts (the autoscaler's reach)
    concurrency: int = 0  # the platform's requests-per-instance setting
    service_cv: float = 1.0
    long_lived: str | None = None
    concurrent_connections: float = 0.0  # long-lived: peak arrivals x hold time (Little's law)
    timeout_seconds: int | None = None
    background: bool = False  # on no user request path (fed by a queue or a schedule)
    latency_target_ms: float | None = None
    latency_target_source: str | None = None
    assumptions: list[str] = field(default_factory=list)
    model: str = ""  # the queue model in words, with its numbers
    response_mean_ms: float | None = None
    response_variance_ms2: float | None = None


@dataclass
class PathLatency:
    """End-to-end p95 of a user request path or a flow: the request-driven services it passes through."""

    name: str
    kind: str  # request | flow | async
    services: list[str]
    mean_ms: float
    p95_ms: float
    target_ms: float | None
    target_source: str | None
    held_open: list[str] = field(default_factory=list)  # long-lived services on it, left out of the sum

    def formula(self, rows: dict) -> str:
        if len(self.services) == 1:
            return f"one request-driven hop, {self.services[0]}: p95 {self.p95_ms:.0f} ms"
        hops = " + ".join(f"{name} (mean {rows[name].response_mean_ms:.0f} ms)" for name in self.services)
        return (f"{hops}: mean {self.mean_ms:.0f} ms, p95 {self.p95_ms:.0f} ms (sum of the hops' response times, "
                "a gamma with their summed mean and variance)")


@dataclass
class ConnectionBudget:
    database: str
    clients: list[tuple[str, int, str]]  # (client, connections at full scale, formula)
    unknown_clients: list[str]
    total: int
    max_connections: int
    max_connections_source: str


@dataclass
class CapacityResult:
    peak_to_average: float
    peak_assumed: bool
    services: list[ServiceLoad] = field(default_factory=list)
    connections: list[ConnectionBudget] = field(default_factory=list)
    paths: list[PathLatency] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _limit(key: str):
    return catalog.service("limits").fact(key)


def _max_connections(spec) -> tuple[int, str]:
    if spec.max_connections is not None:
        return spec.max_connections, "the plan's max_connections flag"
    from archplan.components.cloud_sql import parse_tier

    memory = float(parse_tier(spec.tier).memory_gb)
    fact = _limit(f"{spec.engine if spec.engine == 'mysql' else 'postgres'}_max_connections_by_memory")
    value = 0
    for at_least, connections in fact.value:
        if memory >= float(at_least):
            value = int(connections)
    return value, f"{spec.engine} default for {memory:g} GB ({fact.source})"


def _services(plan, peak: float, target: float, peak_assumed: bool) -> list[ServiceLoad]:
    from archplan.check.availability import analyse_paths, graph

    request_side, flow_targets = analyse_paths(plan)
    slo = plan.spec.slo.latency_p95_ms if plan.spec.slo else None
    rows = []
    for component in plan.components:
        if component.kind in ("cloud_run", "cloud_functions"):
            rows += component_loads(plan, component, peak, target, peak_assumed)
    for component in plan.components:
        if component.kind == "gke":
            rows += component_loads(plan, component, peak, target, peak_assumed)
    for row in rows:
        # a deployment of a cluster followed deployment by deployment is a node of its own; else its cluster
        name = row.name if row.name in graph(plan).order else row.name.split("/")[0]
        row.background = name not in request_side
        if name in flow_targets:
            row.latency_target_ms, row.latency_target_source = flow_targets[name]
        elif not row.background and slo is not None:
            row.latency_target_ms, row.latency_target_source = float(slo), "slo.latency_p95_ms"
    return rows


def component_loads(plan, component, peak: float, target: float, peak_assumed: bool) -> list[ServiceLoad]:
    """A serving component at peak: one row for a Cloud Run service or a function, one per deployment with a
    request duration and a traffic share (a public one without a share: all requests, said) for a GKE cluster;
    none for other kinds. The capacity model every
    check of a service's load uses (the services at peak, and the backends left when a region is lost)."""
    spec = component.spec
    if component.kind in ("cloud_run", "cloud_functions"):
        requests = float(component.usage.get("requests"))
        service_time = float(spec.request_duration_ms if component.kind == "cloud_run" else spec.duration_ms) / 1000
        assumed = []
        share_field = "traffic_share"
        explicit = spec.requests_per_month if component.kind == "cloud_run" else spec.invocations_per_month
        fraction = component.usage.traffic_fraction
        idle = spec.traffic_share is None and fraction == 0 or spec.traffic_share == 0 and component.usage.standby
        if explicit is None and idle and plan.traffic.requests_per_month:
            requests = float(plan.traffic.requests_per_month)  # a standby is sized for the load it takes over
            said = "not set" if spec.traffic_share is None else "0"
            assumed.append(f"{share_field} {said}: {component.name} is an active-passive standby, priced idle but "
                           f"checked at the load it takes after a failover: 100% of the traffic model's requests")
        elif explicit is None and spec.traffic_share is None and fraction is not None:
            assumed.append(f"{share_field} not set: {component.name} is taken to see {fraction * 100:g}% of the "
                           "traffic model's requests, its region's share behind a failover load balancer (after a "
                           "failover it takes the lost region's too)")
        elif explicit is None and spec.traffic_share is None:
            assumed.append(f"{share_field} not set: {component.name} is taken to see 100% of the traffic model's requests")
        return [_load(component.name, component.kind, requests, peak, service_time, spec.concurrency,
                      spec.slots_per_instance(spec.concurrency), spec.min_instances, spec.max_instances,
                      target, True, spec, assumed, peak_assumed)]
    if component.kind != "gke":
        return []
    from archplan.components.gke import request_share

    rows = []
    for deployment in spec.deployments:
        if deployment.request_duration_ms is None or plan.traffic.requests_per_month is None:
            continue
        share, assumption = request_share(deployment, component.name)
        if share is None:
            continue  # called by other deployments: its share of the requests is the plan's to state
        assumed = [assumption] if assumption else []
        requests = float(plan.traffic.requests_per_month * share)
        per_pod = deployment.pod_slots()
        autoscaled = deployment.max_replicas is not None and deployment.max_replicas > deployment.replicas
        rows.append(_load(f"{component.name}/{deployment.name}", "gke", requests, peak,
                          float(deployment.request_duration_ms) / 1000, per_pod, per_pod, deployment.replicas,
                          deployment.max_replicas or deployment.replicas, target, autoscaled, deployment, assumed,
                          peak_assumed))
    return rows


def service_cv(spec, mean_s: float) -> tuple[float, bool]:
    """(coefficient of variation of the service time, whether the plan states its distribution): the
    distribution `simulate` uses too. exponential 1; fixed 0; lognormal from its p95 over the mean:
    p95 / mean = e^(1.645 s - s^2 / 2), so s = 1.645 - sqrt(1.645^2 - 2 ln(p95 / mean)), cv = sqrt(e^(s^2) - 1)."""
    distribution = getattr(spec, "service_time_distribution", "exponential")
    stated = "service_time_distribution" in getattr(spec, "model_fields_set", set())
    if distribution == "fixed":
        return 0.0, stated
    if distribution == "lognormal" and spec.service_time_p95_ms is not None and mean_s > 0:
        z = 1.6448536269514722
        ratio = math.log(float(spec.service_time_p95_ms) / 1000 / mean_s)
        sigma = z - math.sqrt(max(z * z - 2 * ratio, 0.0))
        return math.sqrt(math.exp(sigma * sigma) - 1), stated
    return 1.0, stated


def _load(name, kind, requests, peak, service_time, concurrency, slots, minimum, maximum, target, autoscaled,
          spec, assumed, peak_assumed) -> ServiceLoad:
    """One service at peak. The autoscaler keeps each instance near `target` of its concurrency and adds
    instances up to `maximum`, so requests queue only where the cap (or the workers inside an instance) binds."""
    avg_rps = requests / float(SECONDS_PER_MONTH)
    peak_rps = avg_rps * peak
    cv, stated = service_cv(spec, service_time)
    load = peak_rps * service_time
    needed = max(minimum, servers_for_utilization(peak_rps, service_time, slots, target))
    assumptions = list(assumed) + (["peak_to_average not set: peak taken as the monthly average"]
                                   if peak_assumed else [])
    if not stated and not getattr(spec, "long_lived", None):
        assumptions.append("service_time_distribution not set: exponential service times (p95 of service alone = "
                           "ln 20 = 3.0 x the mean)")
    row = ServiceLoad(name=name, kind=kind, avg_rps=avg_rps, peak_rps=peak_rps, service_time_ms=service_time * 1000,
                      per_instance=slots, instances_needed=needed, max_instances=maximum, min_instances=minimum,
                      wait_probability=0.0, mean_wait_ms=0.0, p95_ms=None, utilization=0.0, concurrency=concurrency,
                      service_cv=cv, long_lived=getattr(spec, "long_lived", None),
                      timeout_seconds=getattr(spec, "timeout_seconds", None), assumptions=assumptions)
    if row.long_lived:
        # A held connection occupies one request slot for its whole life: count connections, not a queue.
        row.concurrent_connections = load
        row.instances_needed = max(minimum, servers_for_utilization(peak_rps, service_time, concurrency, target))
        row.queue_servers = maximum * concurrency
        row.utilization = load / row.queue_servers if row.queue_servers else math.inf
        row.model = (f"{row.long_lived} connections: {peak_rps:.3f} new a second x {service_time:g} s held = "
                     f"{load:,.1f} open at peak (Little's law) on {maximum} x {concurrency} = {row.queue_servers:,} slots")
        return row
    if autoscaled and slots >= concurrency:
        instances = maximum
        how = f"autoscaled up to max {maximum} instances (about {needed} at {target:.0%} target utilisation)"
    elif autoscaled:
        # Workers serve fewer requests than the concurrency setting admits: requests wait inside an instance
        # until in-flight requests (waiting or served) reach the autoscaler's target. Fixed point on that count.
        def settled(n: int) -> bool:
            wait = Queue(n * slots, peak_rps, service_time, cv).mean_wait()
            return wait != math.inf and peak_rps * (wait + service_time) <= concurrency * target * n

        low, high = max(minimum, 1), maximum
        if settled(low):
            high = low
        while high - low > 1:  # the fewest instances at which in-flight requests fall under the target
            middle = (low + high) // 2
            if settled(middle):
                high = middle
            else:
                low = middle
        instances = high
        how = (f"{instances} instance(s) the autoscaler runs when in-flight requests reach {target:.0%} of "
               f"concurrency {concurrency}, each serving {slots} at once (workers)")
    else:
        instances = maximum
        how = f"{maximum} fixed replicas"
    queue = Queue(instances * slots, peak_rps, service_time, cv)
    row.queue_servers = queue.servers
    row.utilization = queue.utilization
    row.wait_probability = queue.wait_probability()
    row.mean_wait_ms = queue.mean_wait() * 1000
    row.p95_ms = queue.percentile(0.95) * 1000
    mean, variance = queue.response_moments()
    row.response_mean_ms, row.response_variance_ms2 = mean * 1000, variance * 1e6
    dist = "exponential" if abs(cv - 1) < 1e-9 else ("constant" if cv == 0 else f"lognormal, cv {cv:g}")
    row.model = (f"M/{'M' if dist == 'exponential' else 'G'}/c: {peak_rps:.2f} req/s x {service_time * 1000:g} ms "
                 f"({dist} service) = {load:.2f} Erlangs on c = {instances} x {slots} = {queue.servers} slots, {how}; "
                 f"P(wait) {row.wait_probability:.1%}, mean wait {row.mean_wait_ms:.1f} ms, p95 {row.p95_ms:.0f} ms")
    return row


def _connections(plan) -> list[ConnectionBudget]:
    budgets = []
    gke = kind_module("gke") if any(c.kind == "gke" for c in plan.components) else None  # a cluster's plan only

    clients_of: dict[str, list] = {}  # one pass over the edges, not one per database
    for client in plan.components:
        for name in dict.fromkeys(d.name for d in client.spec.depends_on):
            clients_of.setdefault(name, []).append(client)
    # a cluster whose deployments state their calls: only the deployments that depend on the database
    callers = {c.name: {deployment: {d.name for d, _sibling in calls} | {d.name for d in gke.shared_edges(c.spec)}
                        for deployment, calls in gke.deployment_calls(c.spec).items()}
               for c in plan.components if c.kind == "gke" and gke.has_call_graph(c.spec)}
    for database in (c for c in plan.components if c.kind == "cloud_sql"):
        clients, unknown, total = [], [], 0
        for client in clients_of.get(database.name, []):
            spec = client.spec
            if client.kind in ("cloud_run", "cloud_functions"):
                per_instance = spec.connections_per_instance()
                if per_instance is None:
                    unknown.append(client.name)
                    continue
                count = spec.max_instances * per_instance
                formula = (f"{spec.max_instances} max instances x {spec.workers_per_instance} worker(s) x "
                           f"({spec.db_pool_size} pool + {spec.db_max_overflow} overflow)")
                clients.append((client.name, count, formula))
                total += count
            elif client.kind == "gke":
                for deployment in spec.deployments:
                    if client.name in callers and database.name not in callers[client.name][deployment.name]:
                        continue
                    per_pod = deployment.connections_per_instance()
                    if per_pod is None:
                        unknown.append(f"{client.name}/{deployment.name}")
                        continue
                    pods = deployment.max_replicas or deployment.replicas
                    count = pods * per_pod
                    clients.append((f"{client.name}/{deployment.name}", count,
                                    f"{pods} pods x {deployment.workers_per_instance} worker(s) x "
                                    f"({deployment.db_pool_size} pool + {deployment.db_max_overflow} overflow)"))
                    total += count
            elif client.category == "compute":  # VMs, jobs: code that connects, with no pool setting to count by
                unknown.append(client.name)
        limit, source = _max_connections(database.spec)
        budgets.append(ConnectionBudget(database.name, clients, unknown, total, limit, source))
    return budgets


def path_latencies(plan, services: list[ServiceLoad], avail) -> list[PathLatency]:
    """Each user request path and each flow with its request-driven services, end to end."""
    from archplan.check.queueing import sum_percentile

    slo = plan.spec.slo.latency_p95_ms if plan.spec.slo else None
    by_component: dict[str, list[ServiceLoad]] = {}  # path node -> its rows (a cluster: all its deployments')
    for row in services:
        by_component.setdefault(row.name.split("/")[0], []).append(row)
        if "/" in row.name:
            by_component.setdefault(row.name, []).append(row)
    from archplan.check.availability import graph

    g = graph(plan)
    out = []
    for path in avail.entries:
        flow = plan.spec.flows.get(path.name) if path.kind == "flow" else None
        if path.kind == "async" and not flow:
            continue
        skipped: set[str] = set()
        if path.alternatives:  # a request takes one region's way: keep the slowest, not all of them in series
            def mean_ms(names: list[str]) -> float:
                return sum(r.response_mean_ms or 0 for n in names for r in by_component.get(n, []) if not r.long_lived)
            slowest = max(path.alternatives, key=mean_ms)
            skipped = {n for names in path.alternatives if names is not slowest for n in names} - set(slowest)
        taken = [name for name in path.components if name not in skipped]
        # the soft dependencies (critical: false) the path waits for while they are up: off its availability, in
        # its latency
        taken += [name for name in g.ordered(g.waited_on(n for n in taken if n in g.order)) if name not in taken]
        rows = [r for name in taken for r in by_component.get(name, [])]
        timed = [r for r in rows if not r.long_lived and r.response_mean_ms is not None]
        if not timed:
            continue
        moments = [(r.response_mean_ms / 1000, r.response_variance_ms2 / 1e6) for r in timed]
        if path.kind == "flow":
            target = float(flow.slo.latency_p95_ms) if flow and flow.slo and flow.slo.latency_p95_ms is not None else None
            source = f"flows.{path.name}.slo.latency_p95_ms" if target is not None else None
        else:
            target = float(slo) if slo is not None else None
            source = "slo.latency_p95_ms" if target is not None else None
        # One hop: its own p95, exact. Several: the sum's, from its moments; never below the slowest hop's own
        # p95 (a request waits at least that hop's time, so the sum's 95th percentile is at least that hop's: the
        # moment fit of one long exponential hop and a short one gave 8,983 ms against that hop's 8,987).
        slowest_hop = max((r.p95_ms for r in timed if r.p95_ms is not None), default=0.0)
        p95 = timed[0].p95_ms if len(timed) == 1 else max(sum_percentile(0.95, moments) * 1000, slowest_hop)
        out.append(PathLatency(path.name, path.kind, [r.name for r in timed], sum(m for m, _v in moments) * 1000,
                               p95, target, source, [r.name for r in rows if r.long_lived]))
    return out


def analyse(plan, avail=None) -> CapacityResult:
    """Services at peak, connection budgets and path latencies; `avail` is the plan's availability analysis
    (computed if not given). Remembered on the plan: check and the simulation's connection budgets read it."""
    from archplan.plan import remembered

    if avail is None:
        from archplan.check import availability

        avail = availability.analyse(plan)
    return remembered(plan, "_capacity", lambda same: _analyse(same, avail), avail)


def peak_of(plan) -> tuple[float, bool]:
    """(peak / average, whether that is assumed): traffic.peak_to_average, or 1 when the plan states none."""
    traffic = plan.spec.traffic
    if traffic and traffic.peak_to_average:
        return float(traffic.peak_to_average), False
    return 1.0, True


def _analyse(plan, avail) -> CapacityResult:
    peak_factor, peak_assumed = peak_of(plan)
    result = CapacityResult(peak_to_average=peak_factor, peak_assumed=peak_assumed)
    target = float(plan.spec.checks.target_utilization)
    result.services = _services(plan, peak_factor, target, result.peak_assumed)
    result.connections = _connections(plan)
    result.paths = path_latencies(plan, result.services, avail)
    return result


def findings(plan, result: CapacityResult) -> list[Finding]:
    out: list[Finding] = []
    line = plan.spec.line_of
    target = float(plan.spec.checks.target_utilization)
    if result.peak_assumed:
        out.append(Finding("CAP-000", "info", "capacity", "no peak factor: peak taken as the monthly average",
                           "traffic.peak_to_average is not set, so every peak figure below equals the average.",
                           "set traffic.peak_to_average (peak RPS / average RPS)", line=line(("traffic",))))
    for row in result.services:
        name = row.name.split("/")[0]
        key = "max_instances" if row.kind != "gke" else "deployments"
        severity, because = _severity(row)
        if row.instances_needed > row.max_instances:
            out.append(Finding(
                "CAP-001", severity, "capacity", "the scaling cap is below what peak traffic needs",
                f"{row.name}: peak {row.peak_rps:.2f} req/s x {row.service_time_ms:g} ms = "
                f"{row.peak_rps * row.service_time_ms / 1000:.1f} {'connections open' if row.long_lived else 'requests in flight'}; "
                f"at {row.per_instance if not row.long_lived else row.concurrency} per instance and {target:.0%} target "
                f"utilisation that needs ceil({row.peak_rps * row.service_time_ms / 1000:.1f} / "
                f"({row.per_instance if not row.long_lived else row.concurrency} x {target:g})) = {row.instances_needed} "
                f"instances, but the cap is {row.max_instances}.{because}",
                f"raise {key} to at least {row.instances_needed}, or lower the service time",
                component=name, line=line(("components", name, key))))
        if row.utilization >= 1:
            out.append(Finding(
                "CAP-002", severity, "capacity", "saturated at peak: queues grow without bound",
                f"{row.name}: offered load {row.peak_rps * row.service_time_ms / 1000:.1f} on {row.queue_servers} slots "
                f"(utilisation {row.utilization:.0%}). {row.model}.{because}",
                f"raise {key}", component=name, line=line(("components", name, key))))
        elif row.wait_probability > 0.2 and not row.long_lived:
            out.append(Finding(
                "CAP-003", "warning", "capacity", "requests queue at peak",
                f"{row.name}: {row.model}.{because}",
                "more instances (max_instances), more workers per instance, or a shorter service time",
                component=name, line=line(("components", name))))
        if row.kind == "cloud_run" and row.min_instances == 0 and not row.background:
            out.append(Finding(
                "CAP-004", "info", "capacity", "cold starts: scales to zero",
                "min_instances is 0, so the first request after idle time waits for a new instance to start.",
                "min_instances: 1 or more on latency-sensitive services", component=name,
                line=line(("components", name, "min_instances")) or line(("components", name))))
        if row.long_lived and row.timeout_seconds is not None and row.service_time_ms / 1000 > row.timeout_seconds:
            out.append(Finding(
                "CAP-006", "error", "capacity", "connections are held longer than the request timeout",
                f"{row.name}: {row.long_lived} connections are held {row.service_time_ms / 1000:g} s but Cloud Run "
                f"ends a request after timeout_seconds = {row.timeout_seconds} s, so clients are cut off and must "
                "reconnect.", f"timeout_seconds: {min(3600, math.ceil(row.service_time_ms / 1000))} (Cloud Run allows "
                "up to 3,600 s), and reconnect logic in the client", component=name,
                line=line(("components", name, "timeout_seconds")) or line(("components", name))))
    rows_by_name = {row.name: row for row in result.services}
    slow_requests = [p for p in result.paths if p.kind == "request" and p.target_ms is not None
                     and p.p95_ms > p.target_ms]
    groups = ([slow_requests] if slow_requests else []) + [[p] for p in result.paths if p.kind != "request"
                                                          and p.target_ms is not None and p.p95_ms > p.target_ms]
    for group in groups:
        worst = max(group, key=lambda p: p.p95_ms)
        assumed = sorted({a for name in worst.services for a in rows_by_name[name].assumptions
                          if a.startswith("service_time_distribution")})
        hops = "; ".join(f"{name}: {rows_by_name[name].model}" for name in worst.services)
        others = "; ".join(f"{p.name} p95 {p.p95_ms:.0f} ms" for p in group if p is not worst)
        out.append(Finding(
            "CAP-005", "warning", "capacity", "p95 latency above the target at peak",
            f"{worst.name}: {worst.formula(rows_by_name)} > {worst.target_ms:g} ms ({worst.target_source}). "
            f"Per hop: {hops}." + (f" Also above: {others}." if others else "")
            + ("".join(f" Assumed: {a}." for a in assumed[:1])),
            "lower the service time of the slowest hop (caching, faster queries), fewer synchronous hops, set "
            "service_time_distribution (fixed, or lognormal with service_time_p95_ms) if service times vary less "
            "than exponential, or add headroom",
            component=max(worst.services, key=lambda n: rows_by_name[n].response_mean_ms).split("/")[0],
            line=line(tuple(worst.target_source.split("."))),
            fact=("latency-slo", plan.environment) if worst.kind == "request"
            else ("flow-latency", worst.name, plan.environment)))
    for budget in result.connections:
        formula = "; ".join(f"{client}: {formula} = {count}" for client, count, formula in budget.clients)
        if budget.total > budget.max_connections:
            out.append(Finding(
                "CAP-010", "error", "capacity", "connection pools can exceed the database's max_connections",
                f"at full scale the clients open {budget.total} connections ({formula}) against max_connections "
                f"{budget.max_connections} ({budget.max_connections_source}).",
                "smaller pools, fewer max instances, a connection pooler, or a larger tier",
                component=budget.database, line=line(("components", budget.database))))
        by_component: dict[str, list[str]] = {}
        for client in budget.unknown_clients:  # one finding per component (a cluster's deployments together)
            by_component.setdefault(client.split("/")[0], []).append(client)
        for name, clients in by_component.items():
            if clients == [name] and not hasattr(plan.component(name).spec, "db_pool_size"):
                kind = plan.component(name).kind
                out.append(Finding(
                    "CAP-011", "warning", "capacity", "a database client has no pool size",
                    f"{name} ({kind}) depends on {budget.database}, and a {kind} has no pool setting, so the "
                    f"connections it opens at full scale are not in the total against max_connections "
                    f"{budget.max_connections}.",
                    f"count them by hand (instances x workers x pool per worker) against {budget.max_connections}",
                    component=name, line=line(("components", name))))
                continue
            out.append(Finding(
                "CAP-011", "warning", "capacity", "a database client has no pool size",
                f"{', '.join(clients)} depend{'s' if len(clients) == 1 else ''} on {budget.database} but set"
                f"{'s' if len(clients) == 1 else ''} no db_pool_size, so the connections opened at full scale "
                "cannot be counted.",
                "set db_pool_size (and db_max_overflow, workers_per_instance)",
                component=name, line=line(("components", name))))
    out += _region_loss_findings(plan)
    for component in plan.components:
        out += _component_limits(plan, component, result)
    return out


def _region_loss_findings(plan) -> list[Finding]:
    """CAP-012: an active-active load balancer whose backends left after losing one region cannot carry the
    whole peak load (an error when a claim promises recovery from a region outage, else a warning)."""
    from archplan.check.queueing import servers_for_utilization
    from archplan.check.regions import region_losses

    short: dict[str, list] = {}
    for loss in region_losses(plan):
        if loss.short:
            short.setdefault(loss.balancer, []).append(loss)
    if not short:
        return []
    peak, peak_assumed = peak_of(plan)
    claims = [c.id for c in plan.spec.claims if c.scenario == "region outage"
              and (c.environment or plan.spec.project.default_environment) == plan.environment]
    out = []
    for balancer, losses in short.items():
        worst = min(losses, key=lambda loss: loss.capacity_rps - loss.load_rps)
        others = [loss for loss in losses if loss is not worst]
        raise_to = []
        rows = component_loads(plan, plan.component(worst.left[0].name), peak, worst.target, peak_assumed) \
            if len(worst.left) == 1 else []
        if len(rows) == 1:
            backend, row = worst.left[0], rows[0]
            per = row.concurrency if row.long_lived else row.per_instance
            needed = servers_for_utilization(worst.load_rps, row.service_time_ms / 1000, per, worst.target)
            raise_to.append(f"max_instances of {backend.name} to at least {needed} (ceil({worst.load_rps:,.1f} req/s x "
                            f"{row.service_time_ms / 1000:g} s / ({per} x {worst.target:g})))")
        fix = ("raise " + raise_to[0] if raise_to else
               f"raise max_instances on the backends outside {worst.lost} by {worst.load_rps - worst.capacity_rps:,.1f} "
               "req/s of capacity between them") + \
            ", or a backend in a further region, or accept refused requests at peak while a region is down"
        why = (f"; claim {', '.join(claims)} promises recovery from a region outage" if claims else "")
        out.append(Finding(
            "CAP-012", "error" if claims else "warning", "capacity",
            "after losing a region, the backends left cannot carry the peak load",
            f"{balancer} is active-active over {', '.join(worst.regions)}: {worst.arithmetic()}{why}."
            + ("".join(f" Also short without {o.lost}: {o.capacity_rps:,.1f} of {o.load_rps:,.1f} req/s."
                       for o in others)),
            fix, component=balancer, line=plan.spec.line_of(("components", balancer, "failover"))
            or plan.spec.line_of(("components", balancer))))
    return out


def _severity(row: ServiceLoad) -> tuple[str, str]:
    """An error is a fact of the plan; a gap that rests on an assumed volume is a warning naming it."""
    volume = [a for a in row.assumptions if a.startswith("traffic_share")]
    if volume:
        return "warning", " Rests on an assumption: " + "; ".join(volume) + "."
    return "error", ""


def _component_limits(plan, component, result: CapacityResult) -> list[Finding]:
    spec, out, line = component.spec, [], plan.spec.line_of
    peak = result.peak_to_average
    if component.kind == "memorystore_redis" and spec.working_set_gb is not None:
        share = float(spec.working_set_gb / spec.capacity_gb)
        if share > 0.8:
            out.append(Finding(
                "CAP-020", "error" if share > 1 else "warning", "capacity", "Redis working set near or above capacity",
                f"working set {spec.working_set_gb} GB in {spec.capacity_gb} GB ({share:.0%}); Redis needs headroom "
                "for fragmentation and replication buffers.",
                "a larger capacity_gb (keep the working set under 80%)", component=component.name,
                line=line(("components", component.name, "capacity_gb"))))
    if component.kind in ("memorystore_valkey", "memorystore_redis_cluster") and spec.working_set_gb is not None:
        keyspace = component.usage["keyspace_gb"]
        share = float(spec.working_set_gb / keyspace)
        if share > 0.8:
            out.append(Finding(
                "CAP-020", "error" if share > 1 else "warning", "capacity", "Redis working set near or above capacity",
                f"working set {spec.working_set_gb} GB in {spec.shards} shard(s) of {spec.node_type} "
                f"({keyspace} GB writable keyspace, {share:.0%}).",
                "more shards or a larger node_type (keep the working set under 80%)", component=component.name,
                line=line(("components", component.name, "shards"))))
    if component.kind == "pubsub":
        messages = float(component.usage.get("messages"))
        mb_per_s = messages * float(max(spec.avg_message_kib * 1024, Decimal(1000))) / float(SECONDS_PER_MONTH) / 1e6 * peak
        from archplan.components.pubsub import publish_quota

        region = getattr(component, "region", None) or plan.region
        quota_mb_per_s, quota_source = publish_quota(region)
        if mb_per_s > float(quota_mb_per_s):
            assumed = component.usage.assumptions  # e.g. messages derived at 100% of the traffic model
            out.append(Finding(
                "CAP-030", "warning" if assumed else "error", "capacity",
                "Pub/Sub publish throughput above the regional quota",
                f"{messages:,.0f} messages a month x {max(float(spec.avg_message_kib) * 1024, 1000):,.0f} bytes "
                f"(1,000-byte minimum) / {float(SECONDS_PER_MONTH):,.0f} s x peak {peak:g} = {mb_per_s:.2f} MB/s > "
                f"quota {quota_mb_per_s} MB/s in {region} ({quota_source})."
                + "".join(f" Rests on an assumption: {a}." for a in assumed),
                "request a quota increase or batch messages", component=component.name,
                line=line(("components", component.name))))
    if component.kind == "llm" and spec.chats_per_day is not None:
        per_minute_chats = float(spec.chats_per_day) / 1440 * peak
        if spec.quota_requests_per_minute is not None and spec.requests_per_chat is not None:
            rpm = per_minute_chats * float(spec.requests_per_chat)
            if rpm > float(spec.quota_requests_per_minute):
                out.append(Finding(
                    "CAP-040", "error", "capacity", "LLM requests per minute above the quota at peak",
                    f"{spec.chats_per_day} chats/day / 1440 x peak {peak:g} x {spec.requests_per_chat} calls = "
                    f"{rpm:.0f} RPM > quota {spec.quota_requests_per_minute}.",
                    "raise the quota tier, cache answers, or cap chats", component=component.name,
                    line=line(("components", component.name, "quota_requests_per_minute"))))
        if spec.quota_tokens_per_minute is not None and spec.per_chat is not None:
            per_chat = float(spec.per_chat.input + spec.per_chat.output + spec.per_chat.cached_input)
            tpm = per_minute_chats * per_chat
            if tpm > float(spec.quota_tokens_per_minute):
                out.append(Finding(
                    "CAP-041", "error", "capacity", "LLM tokens per minute above the quota at peak",
                    f"{spec.chats_per_day} chats/day / 1440 x peak {peak:g} x {per_chat:.0f} tokens a chat = "
                    f"{tpm:,.0f} TPM > quota {spec.quota_tokens_per_minute:,}.",
                    "raise the quota tier or trim prompts", component=component.name,
                    line=line(("components", component.name, "quota_tokens_per_minute"))))
    if component.kind == "firestore":
        out += _firestore_ramp(plan, component, peak)
    if component.kind == "gke" and spec.mode == "standard":
        out += _node_capacity(plan, component)
    return out


def _firestore_ramp(plan, component, peak: float) -> list[Finding]:
    """Google's 500/50/5 rule: a new collection starts at 500 operations a second and grows 50% every 5
    minutes; a peak above 500 needs that long to reach from a cold key range."""
    spec = component.spec
    fact = _limit("firestore_ramp")
    start, growth, step = (float(fact.value[k]) for k in ("start_ops_per_second", "growth", "step_minutes"))
    operations = float(spec.reads_per_month + spec.writes_per_month + spec.deletes_per_month)
    per_second = operations / float(SECONDS_PER_MONTH) * peak
    if per_second <= start:
        return []
    steps = math.ceil(math.log(per_second / start) / math.log(1 + growth))
    return [Finding(
        "CAP-050", "info", "capacity", "Firestore peak above the 500/50/5 ramp-up start",
        f"({spec.reads_per_month:,.0f} reads + {spec.writes_per_month:,.0f} writes + {spec.deletes_per_month:,.0f} "
        f"deletes) a month / {float(SECONDS_PER_MONTH):,.0f} s x peak {peak:g} = {per_second:,.0f} operations/s; "
        f"from {start:g}/s on a new collection, +{growth:.0%} every {step:g} min, reaching it takes "
        f"ceil(log({per_second:,.0f} / {start:g}) / log({1 + growth:g})) = {steps} steps = {steps * step:g} min "
        f"({fact.source}).",
        "ramp traffic to new collections (and new ranges of sequential IDs) gradually before an event, spread "
        "document IDs across the key range, or pre-warm with synthetic load", component=component.name,
        line=plan.spec.line_of(("components", component.name)))]


def allocatable(vcpu: float, memory_gb: float) -> tuple[float, float]:
    """GKE node allocatable after system reservations (kubernetes-engine docs, 'Plan node sizes'):
    CPU 6% of the first core, 1% of the next, 0.5% of the next 2, 0.25% above 4; memory 25% of the
    first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128, and 100 MiB
    eviction threshold."""
    cpu_reserved = 0.06 * min(vcpu, 1) + 0.01 * min(max(vcpu - 1, 0), 1) + 0.005 * min(max(vcpu - 2, 0), 2) \
        + 0.0025 * max(vcpu - 4, 0)
    bands = ((4, 0.25), (4, 0.20), (8, 0.10), (112, 0.06), (math.inf, 0.02))
    left, memory_reserved = memory_gb, 0.0
    for size, share in bands:
        take = min(left, size)
        memory_reserved += take * share
        left -= take
        if left <= 0:
            break
    return vcpu - cpu_reserved, memory_gb - memory_reserved - 100 / 1024


def pool_allocatable(spec, pools=None) -> tuple[float, float]:
    """Allocatable vCPU and GB of a GKE Standard cluster's node pools (or of `pools`) at their largest
    (max_nodes, else the nodes created: a regional pool's count in each of its zones)."""
    from archplan.components.gke import largest_nodes

    machine_types = catalog.service("compute_engine").machine_types
    cpu_total = memory_total = 0.0
    for pool in spec.node_pools if pools is None else pools:
        shape = machine_types[pool.machine_type]
        cpu, memory = allocatable(float(shape["vcpu"]), float(shape["memory_gb"]))
        nodes = largest_nodes(spec, pool)
        cpu_total += cpu * nodes
        memory_total += memory * nodes
    return cpu_total, memory_total


def pool_groups(spec) -> list[tuple[str, list, list]]:
    """(who, pools, deployments) whose pods must fit those pools: each pool deployments are pinned to
    (node_pool) with them, and the pools a pod without node_pool may land on (all, but GPU pools when the
    cluster has pools without GPUs: GKE taints GPU nodes) with every deployment on them."""
    from archplan.components.gke import pool_gpus, pool_of, untainted_pools

    if not any(d.node_pool for d in spec.deployments) and not any(pool_gpus(p) for p in spec.node_pools):
        return [("pods", spec.node_pools, spec.deployments)]
    plain = untainted_pools(spec)
    groups = [(f"pods on node pool {pool.name}", [pool], [d for d in spec.deployments if pool_of(spec, d) is pool])
              for pool in spec.node_pools if any(d.node_pool == pool.name for d in spec.deployments)]
    unpinned = [d for d in spec.deployments if d.node_pool is None]
    if unpinned:
        names = {p.name for p in plain}
        groups.append((f"pods on {', '.join(sorted(names))}" + (" (pods without node_pool; GPU pools are tainted)"
                                                                if len(plain) < len(spec.node_pools) else ""),
                       plain, unpinned + [d for d in spec.deployments if d.node_pool in names]))
    return groups


def _node_capacity(plan, component) -> list[Finding]:
    from archplan.components.gke import largest_nodes, pool_gpus

    spec, line = component.spec, plan.spec.line_of
    out = []
    for who, pools, deployments in pool_groups(spec):
        cpu_total, memory_total = pool_allocatable(spec, pools)
        gpus_total = sum((pool_gpus(p) or ("", 0))[1] * largest_nodes(spec, p) for p in pools)
        cpu_needed = sum(float(d.cpu) * (d.max_replicas or d.replicas) for d in deployments)
        memory_needed = sum(float(d.memory) * (d.max_replicas or d.replicas) for d in deployments)
        gpus_needed = sum(d.gpus * (d.max_replicas or d.replicas) for d in deployments)
        named = ", ".join(p.name for p in pools)
        offer = "the node pools at their maximum size offer" if who == "pods" else \
            f"{named} at {'its maximum size offers' if len(pools) == 1 else 'their maximum size offer'}"
        for what, needed, available, unit in (("CPU", cpu_needed, cpu_total, "vCPU"),
                                              ("memory", memory_needed, memory_total, "GiB"),
                                              ("GPU", gpus_needed, gpus_total, "GPUs")):
            if needed <= available:
                continue
            if what == "GPU":
                shapes = ", ".join(f"{p.machine_type}: {(pool_gpus(p) or ('', 0))[1]} a node" for p in pools)
                value = f"{int(needed)} GPUs at max replicas; {offer} {int(available)} GPUs ({shapes})."
            else:
                value = (f"{needed:.1f} {unit} at max replicas; {offer} {available:.1f} {unit} allocatable (after "
                         "GKE's system reservations).")
            out.append(Finding(
                "CAP-050", "error", "capacity", f"node pools cannot fit every pod's {what} request at max replicas",
                f"{who} request {value}", "more or larger nodes (max_nodes), or smaller requests",
                component=component.name, line=line(("components", component.name, "node_pools"))))
    return out
