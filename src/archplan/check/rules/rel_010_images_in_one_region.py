"""Workloads in two or more regions pulling their images from a registry in one of them."""
from archplan.check.regions import region_of
from archplan.check.rules import Rule, components_of

RULE = Rule("REL-010", "warning", "reliability", "container images stored in one region for workloads in several",
            "A region outage takes the regional Artifact Registry repository with it: the surviving region can "
            "keep running instances but cannot start new ones (scale-out, redeploys) from those images.",
            "a repository in each workload region, or one in a multi-region location (asia, europe, us)")

IMAGE_KINDS = ("cloud_run", "cloud_run_job", "cloud_functions", "gke")


def check(plan):
    workloads = [c for c in plan.components if c.kind in IMAGE_KINDS]
    regions = sorted({region_of(plan, c.name) for c in workloads} - {None})
    if len(regions) < 2:
        return []
    out = []
    registries = components_of(plan, "artifact_registry")
    held = {region_of(plan, r.name) for r in registries}
    for registry in registries:
        region = region_of(plan, registry.name)
        if region is not None and held >= set(regions):
            continue
        out.append(RULE.finding(
            plan, f"{registry.name} is in {region}; workloads run in {', '.join(regions)}, so an outage of {region} "
                  f"stops the others from pulling images.", registry.name))
    return out
