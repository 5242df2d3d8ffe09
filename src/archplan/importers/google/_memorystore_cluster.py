"""What the Valkey and Redis Cluster mappers share: shards, replicas, node type, zones, authentication,
TLS and persistence read from the resource, with each engine's own enum spellings."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned
from archplan.importers.resources import TfResource

# What Terraform does not hold for these kinds: field -> (the placeholder written, or None for "left out";
# what the figure is).
USAGE = {"working_set_gb": (None, "data held"), "commitment": (None, "committed-use discounts are bought outside Terraform")}
# The policy that lets Memorystore create its Private Service Connect endpoints: part of the cluster.
SUPPORTING = ("google_network_connectivity_service_connection_policy",)
PERSISTENCE = {"RDB": "rdb", "AOF": "aof", "DISABLED": "none", "PERSISTENCE_MODE_UNSPECIFIED": "none"}


def read(resources: list[TfResource], ctx: MapContext, kind: str, node_types: tuple[str, ...], iam_auth: str,
         server_tls: str) -> list[Mapped]:
    """`iam_auth` and `server_tls` are the engine's enum values for IAM authentication and server-authenticated
    TLS (anything else, the provider's defaults included, means off). Node types are the kind's own names in
    upper case with underscores (STANDARD_SMALL, REDIS_HIGHMEM_MEDIUM)."""
    found = []
    for cluster in resources:
        node_type = str(cluster.get("node_type", default="")).lower().replace("_", "-")
        if node_type not in node_types:
            ctx.notes.append(f"{cluster.address}: node_type {cluster.get('node_type')!r} is not one archplan "
                             f"prices ({', '.join(node_types)}): left out")
            continue
        fields: dict = {"node_type": node_type}
        shards = number(cluster, ctx, "shard_count", minimum=1, assumed="read as 1 shard")
        if shards is not None and shards != 1:
            fields["shards"] = shards
        # 0 to 2 replicas a shard; 0 is the provider's default
        fields["replicas_per_shard"] = number(cluster, ctx, "replica_count", default=0, minimum=0, maximum=2,
                                              assumed="read as 0, the provider's default")
        if cluster.get("zone_distribution_config", "mode") == "SINGLE_ZONE":
            fields["zone_distribution"] = "single_zone"
        fields["iam_auth"] = cluster.get("authorization_mode") == iam_auth
        fields["transit_encryption"] = cluster.get("transit_encryption_mode") == server_tls
        mode = PERSISTENCE.get(str(cluster.get("persistence_config", "mode", default="DISABLED")), "none")
        if mode != "none":
            fields["persistence"] = mode
        found.append(Mapped(label_name(cluster), kind, fields, owned(cluster), cluster))
    return found
