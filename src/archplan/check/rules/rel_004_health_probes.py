from archplan.check.rules import Rule

RULE = Rule("REL-004", "warning", "reliability", "service without a health probe",
            "Without startup and liveness probes a hung instance keeps receiving traffic and is never restarted.",
            "health_check_path: /healthz (served by the container)")


def check(plan):
    out = []
    for component in plan.components:
        if component.kind == "cloud_run" and component.spec.health_check_path is None:
            out.append(RULE.finding(plan, f"{component.name} has no health_check_path.", component.name))
        if component.kind == "gke":
            for index, deployment in enumerate(component.spec.deployments):
                if deployment.health_check_path is None:
                    out.append(RULE.finding(plan, f"{component.name}/{deployment.name} has no health_check_path.",
                                            component.name, ("deployments", index)))
    return out
