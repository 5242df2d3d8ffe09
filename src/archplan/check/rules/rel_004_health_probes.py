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
            missing = [d.name for d in component.spec.deployments if d.health_check_path is None]
            if missing:  # one finding per cluster, naming its deployments
                out.append(RULE.finding(plan, f"{component.name}: {len(missing)} deployment(s) without a "
                                              f"health_check_path: {', '.join(missing)}.",
                                        component.name, ("deployments",)))
    return out
