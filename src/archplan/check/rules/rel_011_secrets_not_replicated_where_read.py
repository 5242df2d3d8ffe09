"""Secrets kept by user-managed replication in fewer regions than the workloads that read them."""
from archplan.check.regions import region_of
from archplan.check.rules import Rule, components_of

RULE = Rule("REL-011", "warning", "reliability", "secrets not replicated to every region that reads them",
            "A secret with user-managed replication is stored only in its replica locations. A workload in a region "
            "without a replica reads it across regions, and when every replica's region is lost it cannot read it "
            "at all: new instances (scale-out, redeploys, restarts) fail to start.",
            "add each reader's region to the secret manager's replication_regions, or use automatic replication "
            "(drop replication_regions) where no residency rule forbids it")


def readers(plan, manager) -> list:
    """Components that read the manager's secrets: they depend on it, or an env variable (theirs or a GKE
    deployment's) names one of its secrets."""
    listed = set(manager.spec.secrets) if isinstance(manager.spec.secrets, list) else set()
    found = []
    for component in plan.components:
        if component.category != "compute" or component.name == manager.name:
            continue
        spec = component.spec
        holders = [spec, *(getattr(spec, "deployments", None) or [])]
        named = {ref.secret for holder in holders if hasattr(holder, "secret_refs")
                 for ref in holder.secret_refs().values()}
        if any(d.name == manager.name for d in spec.depends_on) or named & listed:
            found.append(component)
    return found


def check(plan):
    out = []
    for manager in components_of(plan, "secret_manager"):
        replicas = manager.spec.user_managed_regions
        if not replicas:
            continue  # automatic replication: Google keeps it where it is read
        by_region: dict[str, list[str]] = {}
        for reader in readers(plan, manager):
            region = region_of(plan, reader.name)
            if region is not None:
                by_region.setdefault(region, []).append(reader.name)
        uncovered = sorted(set(by_region) - set(replicas))
        if not uncovered:
            continue
        who = "; ".join(f"{', '.join(by_region[r])} in {r}" for r in uncovered)
        arithmetic = (f"reader regions {{{', '.join(sorted(by_region))}}} - replica regions "
                      f"{{{', '.join(replicas)}}} = {{{', '.join(uncovered)}}}")
        if len(set(replicas)) == 1:
            consequence = (f"if {replicas[0]} is lost, no replica is left and they cannot read the secrets "
                           "(new instances fail to start)")
        else:
            consequence = "they read across regions, and only while a replica's region is up"
        out.append(RULE.finding(
            plan, f"{manager.name} keeps replicas in {', '.join(replicas)} only; {who} read its secrets: "
                  f"{arithmetic}; {consequence}.", manager.name, ("replication_regions",)))
    return out
