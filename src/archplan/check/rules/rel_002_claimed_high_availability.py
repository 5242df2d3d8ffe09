from archplan.check.rules import Rule

RULE = Rule("REL-002", "error", "reliability", "a component the plan calls highly available is not configured HA",
            "A claim of high availability must be backed by an HA configuration, not only by a sentence.",
            "ha: true for Cloud SQL, tier: standard for Redis, 2+ instances or a regional cluster for compute")
_NOT_HA = {
    "cloud_sql": lambda s: not s.ha,
    "memorystore_redis": lambda s: s.tier != "standard",
    "memorystore_valkey": lambda s: s.replicas_per_shard == 0 or s.zone_distribution == "single_zone",
    "memorystore_redis_cluster": lambda s: s.replicas_per_shard == 0 or s.zone_distribution == "single_zone",
    "compute_engine": lambda s: s.count < 2,
    "gke": lambda s: s.location_type != "regional" and s.mode != "autopilot",
}


def check(plan):
    out = []
    by_name = {c.name: c for c in plan.components}
    for index, claim in enumerate(plan.spec.claims):
        if claim.kind != "availability_percent" or float(claim.value) < 99.9:
            continue
        for name in claim.components or []:
            component = by_name.get(name)
            if component and component.kind in _NOT_HA and _NOT_HA[component.kind](component.spec):
                out.append(RULE.finding(
                    plan, f"claim {claim.id} promises {claim.value}% for {name}, which runs in one zone.", name))
    return out
