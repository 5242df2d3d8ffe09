from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    """Workloads are up while their pods are: a regional cluster spreads nodes over three zones, so
    replicas are independent copies; a zonal one is a single zone whatever the replica count."""
    if spec.mode == "autopilot":
        return SlaChoice("gke_autopilot_pods_multi_zone", "GKE Autopilot, pods across zones")
    replicas = min((d.replicas for d in spec.deployments), default=1)
    if spec.location_type == "regional" and replicas >= 2:
        return SlaChoice("compute_engine_multi_zone", f"GKE regional node pools, every deployment with >= 2 "
                                                      f"replicas (fewest: {replicas})")
    if spec.location_type == "regional":
        return SlaChoice("compute_engine_single_instance", "GKE regional, but a deployment runs 1 replica")
    return SlaChoice("compute_engine_single_instance", "GKE zonal cluster (one zone)")
