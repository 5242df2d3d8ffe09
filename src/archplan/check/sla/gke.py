from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    """Workloads are up while their pods are: a regional cluster spreads nodes over three zones, so
    replicas are independent copies; a zonal one is a single zone whatever the replica count. The cluster
    as a whole is as available as its fewest-replica deployment."""
    if not spec.deployments and spec.mode == "standard":
        # No workload in the plan (an imported cluster's deployments live in Kubernetes manifests): what runs is
        # on its nodes, so the cluster is as available as they are.
        nodes = sum(pool.nodes for pool in spec.node_pools)
        if spec.location_type == "regional" and nodes >= 2:
            return SlaChoice("compute_engine_multi_zone", f"GKE regional, {nodes} nodes across zones (the plan "
                                                          "lists no deployments)")
        where = "zonal cluster (one zone)" if spec.location_type == "zonal" else f"regional, {nodes} node(s)"
        return SlaChoice("compute_engine_single_instance", f"GKE {where} (the plan lists no deployments)")
    replicas = min((d.replicas for d in spec.deployments), default=1)
    return for_replicas(spec, replicas)


def for_replicas(spec, replicas: int, deployment: str | None = None) -> SlaChoice:
    """The SLA of a workload running `replicas` pods on this cluster (one deployment, or the fewest)."""
    if spec.mode == "autopilot":
        return SlaChoice("gke_autopilot_pods_multi_zone", "GKE Autopilot, pods across zones")
    if spec.location_type == "regional" and replicas >= 2:
        what = (f"deployment {deployment} with {replicas} replicas" if deployment else
                f"every deployment with >= 2 replicas (fewest: {replicas})")
        return SlaChoice("compute_engine_multi_zone", f"GKE regional node pools, {what}")
    if spec.location_type == "regional":
        what = f"deployment {deployment} runs" if deployment else "a deployment runs"
        return SlaChoice("compute_engine_single_instance", f"GKE regional, but {what} 1 replica")
    return SlaChoice("compute_engine_single_instance", "GKE zonal cluster (one zone)")
