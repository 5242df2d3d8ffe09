"""google_container_cluster -> gke: Standard (its node pools, separate or inline: machine type, nodes across
zones, autoscaling bounds, Spot, boot disk) or Autopilot; location type, private nodes, Workload Identity,
release channel; its deployments where the Terraform holds them (kubernetes_deployment, read by _kubernetes),
else the report says there are none (they live in Kubernetes manifests)."""
from __future__ import annotations

import re

from archplan.importers.google import _kubernetes
from archplan.importers.google._base import MapContext, Mapped, invalid, label_name, number, owned
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


def _pool(name: str, resource: TfResource, ctx: MapContext, prefix: tuple, zones: int, config_at: tuple = (),
          count_keys: tuple[str, ...] = ("node_count", "initial_node_count")) -> dict:
    """A node pool: `resource` holds it at `prefix` (a google_container_node_pool at (), an inline node_pool
    block at ("node_pool", i)), its node_config at prefix + config_at (the cluster's own for the default pool);
    its nodes per zone from the first of `count_keys` written."""
    def read(*path, **checks):
        return number(resource, ctx, *prefix, *path, minimum=0, **checks)

    config = (*prefix, *config_at, "node_config")
    per_zone = next((n for n in (read(key, assumed="read as 1 node a zone") for key in count_keys) if n is not None), 1)
    machine = resource.get(*config, "machine_type")
    if machine is not None and (not isinstance(machine, str) or not machine.strip()):
        raise invalid(resource, (*config, "machine_type"), f"{machine!r} is not a machine type")
    result: dict = {"name": name, "machine_type": machine or "e2-medium", "nodes": per_zone * zones}
    if resource.given(*prefix, "autoscaling"):
        low, high = read("autoscaling", "total_min_node_count"), read("autoscaling", "total_max_node_count")
        if low is None and (per := read("autoscaling", "min_node_count")) is not None:
            low = per * zones
        if high is None and (per := read("autoscaling", "max_node_count")) is not None:
            high = per * zones
        if low is not None:
            result["min_nodes"] = low
        if high is not None:
            result["max_nodes"] = high
    if resource.get(*config, "spot") is True or resource.get(*config, "preemptible") is True:
        result["spot"] = True
    # A node's boot disk: 10 GB at least (GKE's own minimum), a persistent disk's 64 TB at most.
    disk = number(resource, ctx, *config, "disk_size_gb", minimum=10, maximum=65536,
                  assumed="read as GKE's default (100 GB)")
    if disk is not None:
        result["disk_gb"] = disk
    if resource.get(*config, "disk_type") in ("pd-standard", "pd-balanced", "pd-ssd"):
        result["disk_type"] = resource.get(*config, "disk_type")
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
            listed = [_pool(str(p.get("name") or p.name), p, ctx, (),
                            _zones(p.values.get("node_locations"), location, regional, zones, p.address, ctx.notes))
                      for p in pools]
            listed += [_pool(str(p.get("name") or f"pool-{i}"), cluster, ctx, ("node_pool", i),
                             _zones(p.get("node_locations"), location, regional, zones,
                                    f"{cluster.address} node_pool {p.get('name') or i}", ctx.notes))
                       for i, p in enumerate(cluster.blocks("node_pool"))]
            if not listed and cluster.get("remove_default_node_pool") is not True:
                listed = [_pool("default-pool", cluster, ctx, (), zones, count_keys=("initial_node_count",))]
            fields["node_pools"] = listed
            for pool in listed if regional else ():
                if pool["nodes"] % ZONES_PER_REGION:  # node_locations of other than three zones
                    created = -(-pool["nodes"] // ZONES_PER_REGION) * ZONES_PER_REGION
                    notes.append(f"{cluster.address}: node pool {pool['name']}: {pool['nodes']} nodes across the "
                                 f"zones its node_locations name, but a regional pool in a plan runs the same count "
                                 f"in each of {ZONES_PER_REGION} zones: priced as {created} nodes")
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
