"""google_vertex_ai_index (+ the google_vertex_ai_index_endpoint_deployed_index serving it, that
deployment's google_vertex_ai_index_endpoint and the forwarding rule of its PSC endpoint) -> vector_search: dimensions, distance and shard size from the
index, machine type and node count (min_replica_count) from the deployment. The index's size and the data
its builds process each month are usage."""
from __future__ import annotations

from archplan.components.vector_search import DEFAULT_MACHINES, SHARD_SIZES
from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_vertex_ai_index",)
# the forwarding rule of its Private Service Connect endpoint (its address is plumbing)
SUPPORTING = ("google_vertex_ai_index_endpoint_deployed_index", "google_vertex_ai_index_endpoint",
              "google_compute_forwarding_rule")
# What a service that queries the index references (its endpoint's id): an edge to the index's component.
EDGE_TYPES = ("google_vertex_ai_index_endpoint",)
USAGE = {"index_gib": (0, "size of the index"), "build_gib_per_month": (0, "data processed building the index")}
DISTANCES = ("DOT_PRODUCT_DISTANCE", "COSINE_DISTANCE", "SQUARED_L2_DISTANCE")
SHARDS = SHARD_SIZES


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for index in resources:
        fields: dict = {"index_gib": 0, "build_gib_per_month": 0}
        deployments = ctx.referrers(index, "google_vertex_ai_index_endpoint_deployed_index")
        endpoints = [e for d in deployments for e in ctx.referenced(d, "google_vertex_ai_index_endpoint")]
        endpoints += [r for d in deployments for r in ctx.referrers(d, "google_compute_forwarding_rule")]
        machine = deployments[0].get("dedicated_resources", "machine_spec", "machine_type") if deployments else None
        nodes = number(deployments[0], ctx, "dedicated_resources", "min_replica_count", minimum=1,
                       assumed="read as 1 node") if deployments else None
        if nodes is None:
            ctx.notes.append(f"{index.address}: no deployment with a literal dedicated min_replica_count: 1 "
                             "serving node assumed")
            nodes = 1
        fields["nodes"] = nodes
        dimensions = number(index, ctx, "metadata", "config", "dimensions", minimum=1, assumed="read as 768")
        if dimensions is not None and dimensions != 768:
            fields["dimensions"] = dimensions
        shard = index.get("metadata", "config", "shard_size")
        if shard in SHARDS and shard != "SHARD_SIZE_MEDIUM":
            fields["shard_size"] = shard
        if isinstance(machine, str) and machine != DEFAULT_MACHINES.get(fields.get("shard_size", "SHARD_SIZE_MEDIUM")):
            fields["machine_type"] = machine
        distance = index.get("metadata", "config", "distance_measure_type")
        if distance in DISTANCES and distance != "DOT_PRODUCT_DISTANCE":
            fields["distance"] = distance
        if len(deployments) > 1:
            ctx.notes.append(f"{index.address}: deployed {len(deployments)} times; archplan models the first, "
                             f"{deployments[0].address}")
        found.append(Mapped(label_name(index), "vector_search", fields, owned(index, *deployments, *endpoints),
                            index))
    return found
