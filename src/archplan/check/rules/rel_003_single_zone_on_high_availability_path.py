from archplan.check.availability import request_path
from archplan.check.rules import Rule

RULE = Rule("REL-003", "error", "reliability", "a single point of failure on a 99.95% path",
            "An SLO of 99.95% or more allows 22 minutes of downtime a month: a single-zone component on the "
            "request path cannot survive a zone outage within that.",
            "multi-zone: Cloud SQL ha, Redis standard, a regional GKE cluster with 2+ replicas, 2+ VMs; "
            "min_instances >= 2 for Cloud Run")
THRESHOLD = 99.95


def _single_zone(component) -> str | None:
    spec = component.spec
    if component.kind == "cloud_sql" and not spec.ha:
        return "Cloud SQL without HA runs in one zone"
    if component.kind == "memorystore_redis" and spec.tier == "basic":
        return "Redis Basic is one node in one zone"
    if component.kind in ("memorystore_valkey", "memorystore_redis_cluster") and (
            spec.replicas_per_shard == 0 or spec.zone_distribution == "single_zone"):
        return "a Memorystore cluster without replicas in other zones"
    if component.kind == "compute_engine" and spec.count < 2:
        return "a single VM"
    if component.kind == "gke" and spec.mode == "standard" and spec.location_type == "zonal":
        return "a zonal cluster"
    if component.kind == "gke" and any(d.replicas < 2 for d in spec.deployments):
        return "a deployment with fewer than 2 replicas"
    return None


def check(plan):
    slo = plan.spec.slo
    if not slo or slo.availability_percent is None or float(slo.availability_percent) < THRESHOLD:
        return []
    path, _entries = request_path(plan)
    out = []
    for component in (c for c in plan.components if c.name in path):
        reason = _single_zone(component)
        if reason:
            out.append(RULE.finding(plan, f"{component.name}: {reason}, on the path of a "
                                          f"{slo.availability_percent}% SLO.", component.name))
        elif component.kind == "cloud_run" and component.spec.min_instances < 2:
            out.append(RULE.finding(plan, f"{component.name} keeps {component.spec.min_instances} warm instance(s): "
                                          "a zone outage or a crash means a cold start.",
                                    component.name, ("min_instances",), severity="warning"))
    return out
