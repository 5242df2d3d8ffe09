"""google_container_cluster -> gke: Standard (its node pools, separate or inline: machine type, nodes across
zones, autoscaling bounds, Spot, boot disk) or Autopilot; location type, private nodes, Workload Identity,
release channel; its deployments where the Terraform holds them (kubernetes_deployment, read by _kubernetes),
else the report says there are none (they live in Kubernetes manifests)."""
from __future__ import annotations

import re

from archplan.importers.google import _kubernetes
from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_container_cluster",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"deployments": (None, "workloads are Kubernetes manifests, not Terraform"), "node_pools[].commitment": (None, "committed-use discounts are bought outside Terraform")}
SUPPORTING = ("google_container_node_pool", *_kubernetes.DEPLOYMENT_TYPES, *_kubernetes.AUTOSCALER_TYPES)
ZONES_PER_REGION = 3  # GKE's default node locations for a regional cluster: three zones of the region
_REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")


def _zones(listed, location: str, regional: bool, default: int, what: str, notes: list[str]) -> int:
    """How many zones nodes run in: a regional cluster's node_locations, a zonal one's zone and its
    node_locations (which omit it: the provider's google_container_cluster.node_locations); `default` where none
    is written, and where the list is known only after apply (said)."""
    from archplan.importers.hcl.expressions import unknown

    if isinstance(listed, list) and listed:
        return len(listed) if regional else 1 + len([zone for zone in listed if zone != location])
    if unknown(listed):
        notes.append(f"{what}: node_locations is not known before apply: nodes counted in {default} zone(s)")
    return default


def _pool(name: str, pool: dict, zones: int) -> dict:
    config = pool.get("node_config") or {}
    config = config[0] if isinstance(config, list) and config else config
    per_zone = pool.get("node_count") if isinstance(pool.get("node_count"), int) else pool.get("initial_node_count")
    per_zone = per_zone if isinstance(per_zone, int) else 1
    result: dict = {"name": name, "machine_type": config.get("machine_type") or "e2-medium",
                    "nodes": per_zone * zones}
    scaling = pool.get("autoscaling") or {}
    scaling = scaling[0] if isinstance(scaling, list) and scaling else scaling
    if isinstance(scaling, dict) and scaling:
        low = scaling.get("total_min_node_count")
        high = scaling.get("total_max_node_count")
        if not isinstance(low, int) and isinstance(scaling.get("min_node_count"), int):
            low = scaling["min_node_count"] * zones
        if not isinstance(high, int) and isinstance(scaling.get("max_node_count"), int):
            high = scaling["max_node_count"] * zones
        if isinstance(low, int):
            result["min_nodes"] = low
        if isinstance(high, int):
            result["max_nodes"] = high
    if config.get("spot") is True or config.get("preemptible") is True:
        result["spot"] = True
    if isinstance(config.get("disk_size_gb"), int):
        result["disk_gb"] = config["disk_size_gb"]
    if config.get("disk_type") in ("pd-standard", "pd-balanced", "pd-ssd"):
        result["disk_type"] = config["disk_type"]
    return result


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for cluster in resources:
        location = str(cluster.get("location", default=ctx.region or ""))
        regional = bool(_REGION.match(location))
        zones = _zones(cluster.values.get("node_locations"), location, regional, ZONES_PER_REGION if regional else 1,
                       cluster.address, ctx.notes)
        autopilot = cluster.get("enable_autopilot") is True
        fields: dict = {"mode": "autopilot" if autopilot else "standard",
                        "location_type": "regional" if regional else "zonal"}
        pools = ctx.referrers(cluster, "google_container_node_pool")
        placeholders, notes = {}, []
        deployments, kubernetes, read_notes = _kubernetes.deployments(ctx) if len(resources) == 1 else ([], [], [])
        notes += read_notes
        if not deployments and len(resources) > 1 and ctx.of_type(*_kubernetes.DEPLOYMENT_TYPES):
            notes.append(f"{cluster.address}: this configuration has {len(resources)} clusters, and which one a "
                         "kubernetes_deployment runs on is its provider's setting, not read here: no deployments "
                         "imported; list them under each cluster's deployments")
        elif not deployments and not read_notes:
            notes.append(f"{cluster.address}: no kubernetes_deployment in this Terraform (deployments live in "
                         "Kubernetes manifests): deployments left empty; list them to price Autopilot pods and to "
                         "draw the workloads")
        if not autopilot:
            # a pool's own node_locations stand for the cluster's
            listed = [_pool(str(p.get("name") or p.name), p.values,
                            _zones(p.values.get("node_locations"), location, regional, zones, p.address, ctx.notes))
                      for p in pools]
            listed += [_pool(str(p.get("name") or f"pool-{i}"), p,
                             _zones(p.get("node_locations"), location, regional, zones,
                                    f"{cluster.address} node_pool {p.get('name') or i}", ctx.notes))
                       for i, p in enumerate(cluster.blocks("node_pool"))]
            if not listed and cluster.get("remove_default_node_pool") is not True:
                count = cluster.get("initial_node_count", default=1)
                listed = [_pool("default-pool", {"node_count": count, "node_config": cluster.get("node_config") or {}},
                                zones)]
            fields["node_pools"] = listed
        if deployments:
            fields["deployments"] = deployments
        elif autopilot:
            fields["deployments"] = [{"name": "workload", "replicas": 0, "cpu": "500m", "memory": "512Mi"}]
            placeholders["deployments"] = "Autopilot bills the pods' requests: list the deployments (they are in " \
                                          "Kubernetes manifests, not Terraform)"
        if cluster.get("private_cluster_config", "enable_private_nodes") is True:
            fields["private_nodes"] = True
        if cluster.given("workload_identity_config", "workload_pool") or autopilot:
            fields["workload_identity"] = True
        channel = str(cluster.get("release_channel", "channel", default="REGULAR")).lower()
        if channel in ("rapid", "stable"):
            fields["release_channel"] = channel
        service_accounts = [a for p in pools for a in ctx.referenced(p, "google_service_account")]
        service_accounts += workload_identity_accounts(ctx) if len(resources) == 1 else []
        found.append(Mapped(label_name(cluster), "gke", fields,
                            owned(cluster, *pools, *service_accounts, *kubernetes), cluster, placeholders, notes))
    return found


def workload_identity_accounts(ctx: MapContext) -> list[TfResource]:
    """Service accounts Kubernetes service accounts act as (roles/iam.workloadIdentityUser for a
    PROJECT.svc.id.goog[namespace/name] member): the cluster's workloads use what they are granted."""
    bindings = [b for b in ctx.of_type("google_service_account_iam_member", "google_service_account_iam_binding")
                if "workloadIdentityUser" in str(b.get("role"))]
    return [a for b in bindings for a in ctx.referenced(b, "google_service_account")]
