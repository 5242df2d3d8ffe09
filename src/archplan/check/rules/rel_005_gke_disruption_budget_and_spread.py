"""`generate` writes a PodDisruptionBudget (maxUnavailable 1 unless pdb_min_available is set) and a preferred
zone anti-affinity for every deployment, so the rule is not raised for their absence: only for what a
budget cannot fix (one replica) or what makes it block every node drain (minAvailable at or above replicas)."""
from archplan.check.rules import Rule, components_of

RULE = Rule("REL-005", "warning", "reliability", "GKE deployment that a node upgrade takes down or cannot drain",
            "Node upgrades drain pods. With one replica the PodDisruptionBudget that generate writes cannot keep "
            "anything serving; with minAvailable at or above the replica count no pod may ever be evicted and "
            "upgrades stall.",
            "replicas: 2 or more (max_replicas for the HPA), and pdb_min_available below replicas")


def check(plan):
    out = []
    for gke in components_of(plan, "gke"):
        single, blocking = [], []
        for deployment in gke.spec.deployments:
            floor = max(deployment.replicas, 1)
            if deployment.replicas == 1 and (deployment.max_replicas or 1) <= 1:
                single.append(deployment.name)
            elif deployment.pdb_min_available is not None and deployment.pdb_min_available >= floor:
                blocking.append(f"{deployment.name} (minAvailable {deployment.pdb_min_available} of "
                                f"{deployment.replicas})")
        parts = []
        if single:
            parts.append(f"one replica and no HPA, so a node drain stops it: {', '.join(single)}")
        if blocking:
            parts.append(f"a PodDisruptionBudget no drain can satisfy: {', '.join(blocking)}")
        if parts:
            out.append(RULE.finding(plan, f"{gke.name}: " + "; ".join(parts) + ".", gke.name, ("deployments",)))
    return out
