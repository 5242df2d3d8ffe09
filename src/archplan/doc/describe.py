"""What the components table and the diagram say about each component: its size, how it scales, how it
survives a zone failing, and a one-line summary for the diagram's node. One small function per kind;
a kind without one is described by its generic fields."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from archplan import catalog
from archplan.components.base import Component
from archplan.components.cloud_armor import billed_rules
from archplan.render.numbers import quantity


@dataclass(frozen=True)
class Facts:
    size: str
    scaling: str
    ha: str
    brief: str  # the diagram's second line, short
    workloads: tuple[str, ...] = ()  # GKE deployments, drawn inside the cluster's node
    label: str | None = None  # what the diagram calls it, when better than the kind's name (a provider)


def _num(value: Decimal | int | float) -> str:
    return quantity(Decimal(str(value)))


def _memory(gib: Decimal) -> str:
    if gib < 1:
        return f"{_num(gib * 1024)} MiB"
    return f"{_num(gib)} GiB"


def _plural(count: int | Decimal, word: str, plural: str | None = None) -> str:
    return f"{_num(count)} {word if count == 1 else plural or word + 's'}"


def _serverless(c: Component, unit: str) -> Facts:
    s = c.spec
    size = f"{_num(s.cpu)} vCPU, {_memory(s.memory)}"
    scaling = f"{s.min_instances}-{s.max_instances} instances, {s.concurrency} concurrent per instance"
    if getattr(s, "cpu_allocation", "request") == "always":
        scaling += ", CPU always allocated"
    brief = f"{size}, min {s.min_instances} / max {s.max_instances}"
    return Facts(size, scaling, f"{unit} spreads instances across zones", brief)


def _cloud_run(c: Component) -> Facts:
    return _serverless(c, "regional service:")


def _cloud_functions(c: Component) -> Facts:
    facts = _serverless(c, "regional function:")
    trigger = f"{c.spec.trigger} trigger"
    return Facts(facts.size, f"{facts.scaling}; {trigger}", facts.ha, f"{facts.brief}, {trigger}")


def _gke(c: Component) -> Facts:
    s = c.spec
    replicas = sum(d.replicas for d in s.deployments)
    maximum = sum((d.max_replicas if d.max_replicas is not None else d.replicas) for d in s.deployments)
    workloads = tuple(f"{d.name} x{d.replicas}" for d in s.deployments)
    if s.mode == "autopilot":
        size = f"Autopilot, {_num(c.usage.get('pod_vcpu'))} vCPU and {_memory(c.usage.get('pod_memory_gib'))} " \
               "requested by pods"
        nodes = "nodes managed by GKE"
    else:
        size = "; ".join(f"{p.name}: {p.nodes} x {p.machine_type}" + (" (Spot)" if p.spot else "")
                         for p in s.node_pools)
        nodes = "; ".join(f"{p.name} {p.min_nodes if p.min_nodes is not None else p.nodes}-"
                          f"{p.max_nodes if p.max_nodes is not None else p.nodes} nodes" for p in s.node_pools)
    scaling = f"{nodes}; {_plural(len(s.deployments), 'deployment')}, {replicas} replicas (HPA up to {maximum})"
    ha = "regional cluster: control plane and nodes in three zones" if s.location_type == "regional" else \
        "zonal cluster: one zone"
    brief = f"{s.mode}, {s.location_type}, {_plural(len(s.deployments), 'deployment')}"
    return Facts(size, scaling, ha, brief, workloads)


def _compute_engine(c: Component) -> Facts:
    s = c.spec
    size = f"{s.count} x {s.machine_type}, {s.disk_gb} GB {s.disk_type}" + (" (Spot)" if s.spot else "")
    ha = "one VM in one zone: no failover" if s.count <= 1 else f"{s.count} VMs (zones not stated)"
    return Facts(size, "fixed count", ha, f"{s.count} x {s.machine_type}")


def _cloud_sql(c: Component) -> Facts:
    from archplan.components.cloud_sql import parse_tier

    s = c.spec
    shape = parse_tier(s.tier)
    cores = "shared core" if shape.shared_core else f"{_num(shape.vcpu)} vCPU"
    engine = "PostgreSQL" if s.engine == "postgres" else "MySQL"
    version = f" {s.version}" if s.version else ""
    size = f"{engine}{version}, {s.tier} ({cores}, {_num(shape.memory_gb)} GB), " \
           f"{s.storage_gb} GB {s.storage_type.upper()}"
    scaling = f"{_plural(s.read_replicas, 'read replica')}" + (f" ({s.replica_tier})" if s.read_replicas and
                                                               s.replica_tier else "")
    scaling += "; vertical: change the tier"
    ha = "regional: standby in a second zone, automatic failover" if s.ha else "zonal: no standby"
    # a replica in another region is the plan's region-outage answer: the table and the diagram say where
    ha += "".join(f"; cross-region replica in {r.region} ({r.promotion} promotion{', HA' if r.ha else ''})"
                  for r in s.cross_region_replicas)
    brief = f"{engine}{version}, {s.tier}" + (", HA" if s.ha else "") + \
        (f", {s.read_replicas} replica{'s' if s.read_replicas > 1 else ''}" if s.read_replicas else "") + \
        "".join(f", replica in {r.region}" for r in s.cross_region_replicas)
    return Facts(size, scaling, ha, brief)


def _redis(c: Component) -> Facts:
    s = c.spec
    ha = "Standard tier: replica in a second zone, automatic failover" if s.tier == "standard" else \
        "Basic tier: one node, no replica"
    return Facts(f"{_num(s.capacity_gb)} GB, {s.tier} tier", "fixed capacity (resize to grow)", ha,
                 f"{s.tier}, {_num(s.capacity_gb)} GB")


def _pubsub(c: Component) -> Facts:
    s = c.spec
    size = f"{_plural(len(s.topics), 'topic')} ({', '.join(s.topics)}), {_num(s.subscriptions_per_topic)} " \
           f"subscription(s) per topic, {_num(c.usage.get('messages'))} messages a month"
    return Facts(size, "automatic", "regional, managed by Google", f"{_plural(len(s.topics), 'topic')}")


def _storage(c: Component) -> Facts:
    s = c.spec
    where = s.placement or c.region
    ha = {"region": f"regional ({where}): replicated across zones", "dual-region": f"dual-region ({where})",
          "multi-region": f"multi-region ({where})"}[s.location_type]
    size = f"{_num(s.storage_gb)} GB {s.storage_class}" + (", versioned" if s.versioning else "") + \
        (", public" if s.public else "")
    return Facts(size, "automatic", ha, f"{_num(s.storage_gb)} GB {s.storage_class}")


def _firestore(c: Component) -> Facts:
    s = c.spec
    where = s.location or c.region
    multi = where in catalog.locations()
    ha = f"multi-region ({where})" if multi else f"regional ({where}): replicated across zones"
    edition = ", Enterprise edition" if s.edition == "enterprise" else ""
    return Facts(f"{_num(s.stored_gb)} GB stored{edition}", "automatic", ha, f"{_num(s.stored_gb)} GB")


def _bigquery(c: Component) -> Facts:
    s = c.spec
    size = f"{_num(s.active_storage_gb)} GB active, {_num(s.long_term_storage_gb)} GB long-term, " \
           f"{_num(s.query_tib_per_month)} TiB scanned a month"
    stored = f"{_num(s.active_storage_gb)} GB active" + \
        (f" + {_num(s.long_term_storage_gb)} GB long-term" if s.long_term_storage_gb else "")
    brief = f"{stored}, {_num(s.query_tib_per_month)} TiB/month scanned"
    if s.streaming is not None:  # a plan without ingestion reads as before
        streamed = f"{_num(s.streaming.gib_per_month)} GiB" if s.streaming.gib_per_month is not None \
            else f"{_num(s.streaming.rows_per_month)} rows"
        api = "Storage Write API" if s.streaming.api == "storage_write" else "insertAll"
        size += f", {streamed} a month streamed ({api})"
    return Facts(size, "automatic (on-demand)", "managed by Google", brief)


def _dns(c: Component) -> Facts:
    s = c.spec
    return Facts(f"{_plural(s.zones, f'{s.visibility} zone')}, {_num(s.queries_per_month)} queries a month",
                 "automatic", "global anycast name servers", f"{_plural(s.zones, 'zone')}")


def _cdn(c: Component) -> Facts:
    s = c.spec
    hit = f"{_num(s.cache_hit_ratio * 100)}% cache hits"
    return Facts(f"{hit}, users in {s.destination.replace('_', ' ')}", "automatic", "global edge caches", hit)


def _lb(c: Component) -> Facts:
    s = c.spec
    domains = f", {', '.join(s.domains)}" if s.domains else ""
    processed = f"{_num(c.usage.get('data_processed_gb'))} GB processed a month"
    return Facts(f"{_plural(s.forwarding_rules, 'forwarding rule')}{domains}; {processed}", "automatic",
                 "global anycast front end", "external HTTPS")


def _armor(c: Component) -> Facts:
    s = c.spec
    size = f"{s.tier} tier, {_plural(s.policies, 'policy', 'policies')}, {_plural(billed_rules(s), 'rule')}"
    if s.waf_rules:
        size += f", WAF: {', '.join(s.waf_rules)}"
    limit = f"rate limit {s.rate_limit_per_minute}/min per client" if s.rate_limit_per_minute else "no rate limit"
    return Facts(size, limit, "enforced at Google's edge", f"{_plural(billed_rules(s), 'rule')}, {limit}")


def _nat(c: Component) -> Facts:
    s = c.spec
    return Facts(f"{_plural(s.gateways, 'gateway')}, {_plural(s.vms, 'VM')}, "
                 f"{_num(s.data_processed_gb_per_month)} GB a month", "automatic port allocation",
                 "regional, managed by Google", f"{_plural(s.vms, 'VM')}")


def _egress(c: Component) -> Facts:
    s = c.spec
    volume = f"{_num(c.usage.get('egress_gb'))} GB a month"
    return Facts(f"{volume} to {s.destination}", "follows traffic", "-", volume)


def _secrets(c: Component) -> Facts:
    s = c.spec
    count = len(s.secrets) if isinstance(s.secrets, list) else s.secrets
    where = f"user-managed replicas in {', '.join(s.replication_regions)}" if s.replication_regions else \
        "automatic replication" if s.replication_locations == 1 else f"{s.replication_locations} user-managed locations"
    return Facts(f"{_plural(count, 'secret')} x {s.versions_per_secret} version(s)", "automatic", where,
                 f"{_plural(count, 'secret')}")


def _logging(c: Component) -> Facts:
    s = c.spec
    audit = ", data-access audit logs" if s.audit_logs else ""
    return Facts(f"{_num(s.ingestion_gb_per_month)} GB a month, kept {s.retention_days} days{audit}", "automatic",
                 "managed by Google", f"{_num(s.ingestion_gb_per_month)} GB/month")


def _monitoring(c: Component) -> Facts:
    s = c.spec
    size = f"{_num(s.metric_mib_per_month)} MiB of metrics a month, " \
           f"{_plural(s.alert_policies, 'alert policy', 'alert policies')}, {_plural(s.uptime_checks, 'uptime check')}"
    return Facts(size, "automatic", "managed by Google",
                 f"{_plural(s.alert_policies, 'alert')}, {_plural(s.uptime_checks, 'uptime check')}")


def _trace(c: Component) -> Facts:
    spans = f"{_num(c.spec.spans_per_month)} spans a month"
    return Facts(spans, "automatic", "managed by Google", spans)


def _scheduler(c: Component) -> Facts:
    jobs = c.spec.jobs
    count = len(jobs) if isinstance(jobs, list) else jobs
    names = f" ({', '.join(f'{j.name}: {j.schedule}' for j in jobs)})" if isinstance(jobs, list) and jobs else ""
    return Facts(f"{_plural(count, 'job')}{names}", "-", "managed by Google", _plural(count, "job"))


def _registry(c: Component) -> Facts:
    s = c.spec
    return Facts(f"{s.format}, {_num(s.storage_gb)} GB", "automatic", "regional, managed by Google",
                 f"{s.format}, {_num(s.storage_gb)} GB")


def _llm(c: Component) -> Facts:
    s = c.spec
    models = ", ".join(f"{m}" + (f" {_num(share * 100)}%" if share != 1 else "") for m, share in s.model_mix())
    tokens = c.usage.get("input_tokens") + c.usage.get("output_tokens") + c.usage.get("cached_input_tokens")
    size = f"{models} on {s.provider.replace('_', ' ')}, {_num(tokens)} tokens a month"
    if "chats" in c.usage.quantities:
        size += f" ({_num(c.usage.get('chats'))} chats)"
    quota = []
    if s.quota_requests_per_minute:
        quota.append(f"{_num(s.quota_requests_per_minute)} requests/min")
    if s.quota_tokens_per_minute:
        quota.append(f"{_num(s.quota_tokens_per_minute)} tokens/min")
    scaling = "quota: " + ", ".join(quota) if quota else "provider quota (not stated)"
    return Facts(size, scaling, "managed by Google", models,
                 label="Vertex AI" if s.provider == "vertex_ai" else "Gemini API")


def _external(c: Component) -> Facts:
    s = c.spec
    items = "; ".join(item.description for item in s.items)
    return Facts(f"{s.provider} ({s.service}): {items}", "-", "provider's own", f"external: {s.service}",
                 label=s.provider)


DESCRIBERS: dict[str, Callable[[Component], Facts]] = {
    "cloud_run": _cloud_run, "cloud_functions": _cloud_functions, "gke": _gke, "compute_engine": _compute_engine,
    "cloud_sql": _cloud_sql, "memorystore_redis": _redis, "pubsub": _pubsub, "cloud_storage": _storage,
    "firestore": _firestore, "bigquery": _bigquery, "cloud_dns": _dns, "cloud_cdn": _cdn, "load_balancer": _lb,
    "cloud_armor": _armor, "cloud_nat": _nat, "network_egress": _egress, "secret_manager": _secrets,
    "cloud_logging": _logging, "cloud_monitoring": _monitoring, "cloud_trace": _trace,
    "cloud_scheduler": _scheduler, "artifact_registry": _registry, "llm": _llm, "external": _external,
}


def facts(component: Component, components=()) -> Facts:
    """A component's facts; a describer marked `reads_components` also reads the plan's `components` (as
    the pricer of its kind does, e.g. Cloud Build's private pool for private GKE clusters)."""
    describer = DESCRIBERS.get(component.kind)
    if describer is None:
        return Facts("-", "-", "-", component.kind)
    if getattr(describer, "reads_components", False):
        return describer(component, components)
    return describer(component)


def _add_platform_describers() -> None:
    from archplan.doc.describe_platform import DESCRIBERS as platform

    DESCRIBERS.update(platform)


_add_platform_describers()
