"""What generate cannot build from the plan (archplan/spec/buildable.py): a load balancer with no backend, a
Cloud CDN on no load balancer, a function calling a VPC-only service with no connector, a Cloud SQL flag
value the API refuses. `cost` prices such a plan (with a warning) and generate refuses it; check fails on it,
so a CI gate on check catches it before a deploy does."""
from archplan.check import Finding
from archplan.check.rules import Rule
from archplan.spec.buildable import build_problems

RULE = Rule("REL-013", "error", "reliability", "generate cannot build the plan as written",
            "Each component must have what it works through (a load balancer its backends, a CDN its load "
            "balancer, a function its VPC connector) and values the GCP API accepts; otherwise there is nothing "
            "to deploy.",
            "the change the detail names")


def check(plan):
    out = []
    for problem in build_problems(plan.spec):
        _components, component, key = problem.key.split(".", 2)  # components.<name>.<key>
        out.append(Finding(RULE.id, RULE.severity, RULE.section, RULE.title, f"{key}: {problem.message}",
                           RULE.fix, component=component, line=problem.line))
    return out
