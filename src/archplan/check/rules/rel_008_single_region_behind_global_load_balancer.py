"""A global load balancer whose backends all sit in one region, in a plan that expects to survive a region
outage (a region-outage claim, or data replicated to another region)."""
from archplan.check.regions import is_multi_region
from archplan.check.rules import Rule, components_of
from archplan.components.load_balancer import regional_backends

RULE = Rule("REL-008", "error", "reliability", "a global load balancer with backends in one region only",
            "A global load balancer survives a region outage only if it has a backend in another region; with "
            "every backend in one region the whole service goes down with it, whatever the data tier does.",
            "add a backend in the replica's region (e.g. a second Cloud Run service with region: <other>) and "
            "set failover on the load balancer, or drop the region-outage claim")


def check(plan):
    claims = [c for c in plan.spec.claims if c.scenario == "region outage"
              and (c.environment is None or c.environment == plan.environment)]
    if not claims and not is_multi_region(plan):
        return []
    specs = {c.name: c.spec for c in plan.components}
    out = []
    for balancer in components_of(plan, "load_balancer"):
        regions = regional_backends(specs, balancer.name, plan.region)
        if len(regions) != 1:
            continue
        [(region, backends)] = regions.items()
        why = (f"claim {', '.join(c.id for c in claims)} promises recovery from a region outage" if claims
               else "the plan replicates or runs components in another region")
        out.append(RULE.finding(
            plan, f"{balancer.name} sends every request to {', '.join(backends)}, all in {region}; {why}, but an "
                  f"outage of {region} leaves the load balancer nothing to route to.", balancer.name,
            ("depends_on",), severity="error" if claims else "warning"))
    return out
