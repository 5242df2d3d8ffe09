"""Capacity at peak: requests per second per service, Cloud Run instances against max_instances with an
M/M/c (Erlang C) estimate of queueing and p95 latency, database connections against max_connections,
Redis memory, Pub/Sub throughput, LLM quotas and GKE node capacity."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from archplan import catalog
from archplan.check import Finding
from archplan.check.queueing import erlang_c, mean_wait, response_time_percentile, servers_for_utilization
from archplan.components.base import SECONDS_PER_MONTH


@dataclass
class ServiceLoad:
    name: str
    kind: str
    avg_rps: float
    peak_rps: float
    service_time_ms: float
    per_instance: int  # concurrent requests one instance (or pod) serves
    instances_needed: int
    max_instances: int
    min_instances: int
    wait_probability: float  # Erlang C at the planned instance count
    mean_wait_ms: float
    p95_ms: float
    utilization: float


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


def _services(plan, peak: float, target: float) -> list[ServiceLoad]:
    rows = []
    for component in plan.components:
        spec = component.spec
        if component.kind not in ("cloud_run", "cloud_functions"):
            continue
        requests = float(component.usage.get("requests"))
        service_time = float(spec.request_duration_ms if component.kind == "cloud_run" else spec.duration_ms) / 1000
        rows.append(_load(component.name, component.kind, requests, peak, service_time, spec.concurrency,
                          spec.min_instances, spec.max_instances, target))
    for component in plan.components:
        if component.kind != "gke":
            continue
        for deployment in component.spec.deployments:
            if deployment.request_duration_ms is None or deployment.traffic_share is None or \
                    plan.traffic.requests_per_month is None:
                continue
            requests = float(plan.traffic.requests_per_month * deployment.traffic_share)
            per_pod = deployment.workers_per_instance
            rows.append(_load(f"{component.name}/{deployment.name}", "gke", requests, peak,
                              float(deployment.request_duration_ms) / 1000, per_pod, deployment.replicas,
                              deployment.max_replicas or deployment.replicas, target))
    return rows


def _load(name, kind, requests, peak, service_time, per_instance, minimum, maximum, target) -> ServiceLoad:
    avg_rps = requests / float(SECONDS_PER_MONTH)
    peak_rps = avg_rps * peak
    needed = max(minimum, servers_for_utilization(peak_rps, service_time, per_instance, target))
    planned = min(max(needed, 1), maximum)
    servers = planned * per_instance
    load = peak_rps * service_time
    return ServiceLoad(
        name=name, kind=kind, avg_rps=avg_rps, peak_rps=peak_rps, service_time_ms=service_time * 1000,
        per_instance=per_instance, instances_needed=needed, max_instances=maximum, min_instances=minimum,
        wait_probability=erlang_c(servers, load), mean_wait_ms=mean_wait(servers, peak_rps, service_time) * 1000,
        p95_ms=response_time_percentile(0.95, servers, peak_rps, service_time) * 1000,
        utilization=load / servers if servers else 0.0)


def _connections(plan) -> list[ConnectionBudget]:
    budgets = []
    for database in (c for c in plan.components if c.kind == "cloud_sql"):
        clients, unknown, total = [], [], 0
        for client in plan.components:
            if database.name not in {d.name for d in client.spec.depends_on}:
                continue
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
        limit, source = _max_connections(database.spec)
        budgets.append(ConnectionBudget(database.name, clients, unknown, total, limit, source))
    return budgets


def analyse(plan) -> CapacityResult:
    traffic = plan.spec.traffic
    peak_factor = float(traffic.peak_to_average) if traffic and traffic.peak_to_average else 1.0
    result = CapacityResult(peak_to_average=peak_factor,
                            peak_assumed=not (traffic and traffic.peak_to_average))
    target = float(plan.spec.checks.target_utilization)
    result.services = _services(plan, peak_factor, target)
    result.connections = _connections(plan)
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
        if row.instances_needed > row.max_instances:
            out.append(Finding(
                "CAP-001", "error", "capacity", "the scaling cap is below what peak traffic needs",
                f"peak {row.peak_rps:.1f} req/s x {row.service_time_ms:g} ms = {row.peak_rps * row.service_time_ms / 1000:.1f} "
                f"requests in flight; at {row.per_instance} per instance and {target:.0%} target utilisation that "
                f"needs {row.instances_needed} instances, but the cap is {row.max_instances}.",
                f"raise {key} to at least {row.instances_needed}, or lower the service time",
                component=name, line=line(("components", name, key))))
        if row.utilization >= 1:
            out.append(Finding(
                "CAP-002", "error", "capacity", "saturated at peak: queues grow without bound",
                f"offered load {row.peak_rps * row.service_time_ms / 1000:.1f} Erlangs on {row.max_instances} x "
                f"{row.per_instance} = {row.max_instances * row.per_instance} slots (utilisation {row.utilization:.0%}).",
                f"raise {key}", component=name, line=line(("components", name, key))))
        elif row.wait_probability > 0.2:
            out.append(Finding(
                "CAP-003", "warning", "capacity", "requests queue at peak",
                f"Erlang C: {row.wait_probability:.0%} of requests wait (mean wait {row.mean_wait_ms:.1f} ms, "
                f"p95 response {row.p95_ms:.0f} ms) at {row.utilization:.0%} utilisation.",
                "more instances or concurrency headroom", component=name, line=line(("components", name))))
        if row.kind == "cloud_run" and row.min_instances == 0:
            out.append(Finding(
                "CAP-004", "info", "capacity", "cold starts: scales to zero",
                "min_instances is 0, so the first request after idle time waits for a new instance to start.",
                "min_instances: 1 or more on latency-sensitive services", component=name,
                line=line(("components", name, "min_instances")) or line(("components", name))))
    slo = plan.spec.slo
    if slo and slo.latency_p95_ms is not None:
        for row in result.services:
            if row.p95_ms > float(slo.latency_p95_ms):
                name = row.name.split("/")[0]
                out.append(Finding(
                    "CAP-005", "warning", "capacity", "p95 latency above the SLO at peak",
                    f"M/M/c estimate at peak ({row.peak_rps:.1f} req/s, mean service {row.service_time_ms:g} ms, "
                    f"exponential service times): p95 {row.p95_ms:.0f} ms > SLO {slo.latency_p95_ms} ms.",
                    "lower the service time (caching, faster queries) or add headroom",
                    component=name, line=line(("slo", "latency_p95_ms"))))
    for budget in result.connections:
        formula = "; ".join(f"{client}: {formula} = {count}" for client, count, formula in budget.clients)
        if budget.total > budget.max_connections:
            out.append(Finding(
                "CAP-010", "error", "capacity", "connection pools can exceed the database's max_connections",
                f"at full scale the clients open {budget.total} connections ({formula}) against max_connections "
                f"{budget.max_connections} ({budget.max_connections_source}).",
                "smaller pools, fewer max instances, a connection pooler, or a larger tier",
                component=budget.database, line=line(("components", budget.database))))
        for client in budget.unknown_clients:
            out.append(Finding(
                "CAP-011", "warning", "capacity", "a database client has no pool size",
                f"{client} depends on {budget.database} but sets no db_pool_size, so its connections at full "
                "scale cannot be counted.",
                "set db_pool_size (and db_max_overflow, workers_per_instance)",
                component=client.split("/")[0], line=line(("components", client.split("/")[0]))))
    for component in plan.components:
        out += _component_limits(plan, component, result)
    return out


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
        quota = _limit("pubsub_publish_throughput_mb_per_s_per_region")
        if quota.value is not None and mb_per_s > float(quota.decimal):
            out.append(Finding(
                "CAP-030", "error", "capacity", "Pub/Sub publish throughput above the regional quota",
                f"peak publish {mb_per_s:.2f} MB/s > quota {quota.value} MB/s ({quota.source}).",
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
    if component.kind == "gke" and spec.mode == "standard":
        out += _node_capacity(plan, component)
    return out


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


def _node_capacity(plan, component) -> list[Finding]:
    spec, line = component.spec, plan.spec.line_of
    machine_types = catalog.service("compute_engine").machine_types
    cpu_total = memory_total = 0.0
    for pool in spec.node_pools:
        shape = machine_types[pool.machine_type]
        cpu, memory = allocatable(float(shape["vcpu"]), float(shape["memory_gb"]))
        nodes = pool.max_nodes if pool.max_nodes is not None else pool.nodes
        cpu_total += cpu * nodes
        memory_total += memory * nodes
    cpu_needed = sum(float(d.cpu) * (d.max_replicas or d.replicas) for d in spec.deployments)
    memory_needed = sum(float(d.memory) * (d.max_replicas or d.replicas) for d in spec.deployments)
    out = []
    for what, needed, available, unit in (("CPU", cpu_needed, cpu_total, "vCPU"),
                                          ("memory", memory_needed, memory_total, "GiB")):
        if needed > available:
            out.append(Finding(
                "CAP-050", "error", "capacity", f"node pools cannot fit every pod's {what} request at max replicas",
                f"pods request {needed:.1f} {unit} at max replicas; the node pools at their maximum size offer "
                f"{available:.1f} {unit} allocatable (after GKE's system reservations).",
                "more or larger nodes (max_nodes), or smaller requests", component=component.name,
                line=line(("components", component.name, "node_pools"))))
    return out
