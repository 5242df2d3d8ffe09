"""The fix suggested depends on who calls the service: the load balancer (restrict ingress to it), or other
workloads (ingress `internal` only works when every caller sends its egress through the VPC; otherwise keep
ingress and require IAM: the caller's service account as invoker)."""
from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-004", "warning", "security", "Cloud Run service reachable around its load balancer",
            "A service behind a load balancer should accept traffic only from it, or Cloud Armor and the CDN "
            "are bypassed through the run.app URL; allUsers as invoker makes it public to anyone.",
            "ingress: internal-and-cloud-load-balancing; keep allow_unauthenticated false unless it must be public")

ROUTERS = ("load_balancer", "cloud_cdn", "cloud_armor")


def check(plan):
    out = []
    callers: dict[str, list] = {}
    for component in plan.components:
        for dependency in component.spec.depends_on:
            callers.setdefault(dependency.name, []).append(component)
    has_lb = bool(components_of(plan, "load_balancer"))
    for run in components_of(plan, "cloud_run"):
        if run.spec.ingress != "all":
            continue
        front = [c for c in callers.get(run.name, []) if c.kind in ROUTERS]
        workloads = [c for c in callers.get(run.name, []) if c.kind not in ROUTERS and c.kind != "external"]
        problems = []
        if front:
            problems.append(f"{front[0].name} fronts it but its ingress is 'all', so Cloud Armor and the CDN can be "
                            "bypassed through its run.app URL")
            fix = "ingress: internal-and-cloud-load-balancing"
            if workloads:
                fix += (f" (its other callers, {', '.join(c.name for c in workloads)}, then need vpc_egress: "
                        "all-traffic to reach it)")
        elif workloads and has_lb:
            through_vpc = all(getattr(c.spec, "vpc_egress", None) == "all-traffic" for c in workloads)
            names = ", ".join(c.name for c in workloads)
            problems.append(f"only {names} call it, yet its ingress is 'all'")
            fix = ("ingress: internal (its callers already send all egress through the VPC)" if through_vpc else
                   f"keep ingress 'all' (ingress internal would cut off {names}, whose egress does not go through "
                   f"the VPC) and set allow_unauthenticated: false with {names}'s service account as "
                   "roles/run.invoker; or give the callers vpc_egress: all-traffic and then ingress: internal")
        else:
            fix = RULE.fix
        if run.spec.allow_unauthenticated:
            problems.append("allUsers may invoke it")
        if problems and (front or workloads or run.spec.allow_unauthenticated and has_lb):
            out.append(RULE.finding(plan, f"{run.name}: " + "; ".join(problems) + ".", run.name, ("ingress",),
                                    fix=fix))
    return out
