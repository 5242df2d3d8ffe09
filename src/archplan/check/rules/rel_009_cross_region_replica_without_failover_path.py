"""A cross-region replica that cannot take over: nothing in its region would use it once promoted, or its
manual promotion takes longer than the recovery time the plan promises."""
from archplan.check.regions import promotion, region_of
from archplan.check.rules import Rule

RULE = Rule("REL-009", "error", "reliability", "a cross-region replica with no failover path",
            "Promoting a replica restores writes only if the services that need the data run in the replica's "
            "region (or can reach it), and only as fast as the promotion: an operator's decision plus the "
            "promotion itself.",
            "run the workloads that use it in the replica's region too, behind a load balancer with failover; "
            "for a short RTO automate the promotion (promotion: automatic, with the promotion_minutes your "
            "automation achieves) or promise what a manual promotion gives")

WORKLOAD_CATEGORY = "compute"


def check(plan):
    out = []
    claims = [c for c in plan.spec.claims if c.kind == "rto_minutes" and c.value is not None
              and c.scenario in (None, "region outage")
              and (c.environment is None or c.environment == plan.environment)]
    for component in plan.components:
        replicas = getattr(component.spec, "cross_region_replicas", None) or []
        if not replicas:
            continue
        clients = [c for c in plan.components if c.category == WORKLOAD_CATEGORY
                   and any(d.name == component.name for d in c.spec.depends_on)]
        client_regions = {region_of(plan, c.name) for c in clients} - {None}
        for index, replica in enumerate(replicas):
            key = ("cross_region_replicas", index)
            if clients and replica.region not in client_regions:
                out.append(RULE.finding(
                    plan, f"{component.name}'s replica in {replica.region} has no client there: "
                          f"{', '.join(c.name for c in clients)} run in {', '.join(sorted(client_regions))}, which "
                          "is the region that is lost, so promoting the replica brings no service back.",
                    component.name, key))
            rto, _rpo, how = promotion(replica, component.kind)
            for claim in claims:
                if claim.components and component.name not in claim.components:
                    continue
                if float(claim.value) < rto:
                    out.append(RULE.finding(
                        plan, f"claim {claim.id} promises an RTO of {claim.value:g} min, but {component.name}'s "
                              f"{replica.promotion} promotion takes {rto:g} min ({how}).", component.name,
                        key + ("promotion",)))
    return out
