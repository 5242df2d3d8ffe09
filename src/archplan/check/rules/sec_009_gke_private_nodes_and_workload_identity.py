from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-009", "warning", "security", "GKE nodes with public IPs or without Workload Identity",
            "Public node IPs widen the attack surface; without Workload Identity pods use the node's service "
            "account and its keys.",
            "private_nodes: true and workload_identity: true")


def check(plan):
    out = []
    for gke in components_of(plan, "gke"):
        if gke.spec.mode == "autopilot":
            continue
        missing = [text for text, on in (("private nodes", gke.spec.private_nodes),
                                          ("Workload Identity", gke.spec.workload_identity)) if not on]
        if missing:
            out.append(RULE.finding(plan, f"{gke.name} has no {' and no '.join(missing)}.", gke.name))
    return out
