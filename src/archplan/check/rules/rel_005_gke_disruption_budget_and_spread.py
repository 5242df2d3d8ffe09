from archplan.check.rules import Rule, components_of

RULE = Rule("REL-005", "warning", "reliability", "GKE deployment without a PodDisruptionBudget or zone spread",
            "Node upgrades drain pods: without a PDB every replica can go at once; without anti-affinity all "
            "replicas can land in one zone.",
            "pdb_min_available: 1 (or more) and zone_anti_affinity: true")


def check(plan):
    out = []
    for gke in components_of(plan, "gke"):
        for index, deployment in enumerate(gke.spec.deployments):
            missing = [text for text, ok in (("PodDisruptionBudget", deployment.pdb_min_available is not None),
                                              ("zone anti-affinity", deployment.zone_anti_affinity)) if not ok]
            if missing and deployment.replicas >= 1:
                out.append(RULE.finding(plan, f"{gke.name}/{deployment.name} has no {' and no '.join(missing)}.",
                                        gke.name, ("deployments", index)))
    return out
