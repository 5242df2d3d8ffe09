"""A Cloud Run service whose ingress (internal, or internal-and-cloud-load-balancing) refuses some of the
components that call it: requests from outside the VPC (an API Gateway, Cloud Run without vpc_egress:
all-traffic) are answered 403 (cloud.google.com/run/docs/securing/ingress), so the path is broken as deployed.
`generate` warns of the same edges (components/cloud_run.outside_callers says which they are)."""
from archplan.check.rules import Rule, components_of
from archplan.components.cloud_run import outside_callers

RULE = Rule("REL-012", "error", "reliability", "a service's ingress refuses its own callers",
            "Ingress internal admits only requests from the VPC (and internal-and-cloud-load-balancing also the "
            "load balancer): an API Gateway, or a Cloud Run service, job or function whose egress does not go "
            "through the VPC, is refused with 403 at every request.",
            "ingress: all (IAM still admits only the invokers the plan grants), or vpc_egress: all-traffic on the "
            "Cloud Run callers")


def check(plan):
    out = []
    for service in components_of(plan, "cloud_run"):
        if service.spec.ingress == "all":
            continue
        refused = outside_callers(service, plan.components)
        if not refused:
            continue
        names = ", ".join(f"{c.name} ({c.kind})" for c in refused)
        gateways = [c.name for c in refused if c.kind == "api_gateway"]
        fix = "ingress: all (IAM still admits only the invokers the plan grants)" if gateways else \
            (f"vpc_egress: all-traffic on {', '.join(c.name for c in refused)}, or ingress: all (IAM still admits "
             "only the invokers the plan grants)")
        out.append(RULE.finding(plan, f"{service.name} has ingress {service.spec.ingress}, which refuses the requests "
                                      f"of {names}: they reach it from outside the VPC.", service.name, ("ingress",),
                                fix=fix))
    return out
