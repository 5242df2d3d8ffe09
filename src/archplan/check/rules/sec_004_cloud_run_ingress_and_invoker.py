from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-004", "warning", "security", "Cloud Run service reachable around its load balancer",
            "A service behind a load balancer should accept traffic only from it, or Cloud Armor and the CDN "
            "are bypassed through the run.app URL; allUsers as invoker makes it public to anyone.",
            "ingress: internal-and-cloud-load-balancing; keep allow_unauthenticated false unless it must be public")


def check(plan):
    out = []
    has_lb = bool(components_of(plan, "load_balancer"))
    for run in components_of(plan, "cloud_run"):
        if has_lb and run.spec.ingress == "all":
            out.append(RULE.finding(plan, f"{run.name} has ingress 'all' although the plan has a load balancer "
                                          "(Cloud Armor can be bypassed through its run.app URL).",
                                    run.name, ("ingress",)))
        if run.spec.allow_unauthenticated and run.spec.ingress == "all":
            out.append(RULE.finding(plan, f"{run.name} lets allUsers invoke it and accepts all ingress.",
                                    run.name, ("allow_unauthenticated",)))
    return out
