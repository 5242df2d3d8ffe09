"""google_alloydb_cluster (+ its google_alloydb_instance resources) -> alloydb: database version, the primary's
machine shape and HA (REGIONAL availability), read pools with their node counts, max_connections."""
from __future__ import annotations

import re

from archplan.components.alloydb import MACHINE_TYPES
from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned
from archplan.importers.google.secret_manager import password_secrets
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_alloydb_cluster",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is).
USAGE = {"storage_gb": (None, "data stored (AlloyDB bills what the cluster holds, not a disk size)"),
         "backup_gb": (None, "backup storage (the estimate without it: one copy of storage_gb)"),
         "commitment": (None, "committed-use discounts are bought outside Terraform")}
SUPPORTING = ("google_alloydb_instance",)
VERSIONS = ("POSTGRES_14", "POSTGRES_15", "POSTGRES_16")


def _shape(instance: TfResource, ctx: MapContext) -> str | None:
    cpus = number(instance, ctx, "machine_config", "cpu_count", minimum=1, assumed="read as 2")
    if cpus is None and instance.given("machine_config", "cpu_count"):
        return None  # known only after apply: said
    shape = f"n2-highmem-{cpus}" if cpus is not None else None
    if shape not in MACHINE_TYPES:
        ctx.notes.append(f"{instance.address}: machine_config.cpu_count {cpus!r} is not an N2 shape archplan "
                         f"prices ({', '.join(MACHINE_TYPES)}): n2-highmem-2 assumed")
        return None
    return shape


def _pool_name(instance: TfResource, cluster: TfResource) -> str:
    """The read pool's own name: its instance_id when written as a literal, else its Terraform label without
    the cluster's (orders_reports -> reports)."""
    literal = instance.values.get("instance_id")
    if isinstance(literal, str) and re.fullmatch(r"[a-z][a-z0-9-]{0,40}", literal):
        return literal
    label = instance.name
    if label.startswith(cluster.name + "_") and len(label) > len(cluster.name) + 1:
        label = label[len(cluster.name) + 1:]
    name = re.sub(r"[^a-z0-9-]", "-", label.lower()).strip("-")[:41]
    return name if re.match(r"^[a-z]", name) else f"pool-{name}"[:41]


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for cluster in resources:
        fields: dict = {}
        version = cluster.get("database_version")
        if version in VERSIONS:
            fields["database_version"] = version
        instances = ctx.referrers(cluster, "google_alloydb_instance")
        primaries = [i for i in instances if i.get("instance_type") == "PRIMARY"]
        pools = [i for i in instances if i.get("instance_type") == "READ_POOL"]
        if primaries:
            primary = primaries[0]
            shape = _shape(primary, ctx)
            if shape:
                fields["machine_type"] = shape
            fields["ha"] = primary.get("availability_type", default="REGIONAL") == "REGIONAL"
            connections = number(primary, ctx, "database_flags", "max_connections", minimum=1,
                                 assumed="left at the shape's default")
            if connections is not None:
                fields["max_connections"] = connections
        else:
            ctx.notes.append(f"{cluster.address}: no PRIMARY google_alloydb_instance refers to it: an HA "
                             "n2-highmem-2 primary assumed")
        read_pools = []
        for pool in pools:
            entry: dict = {"name": _pool_name(pool, cluster)}
            shape = _shape(pool, ctx)
            if shape and shape != "n2-highmem-2":
                entry["machine_type"] = shape
            nodes = number(pool, ctx, "read_pool_config", "node_count", minimum=1, assumed="read as 1 node")
            if nodes is not None and nodes != 1:
                entry["nodes"] = nodes
            read_pools.append(entry)
        if read_pools:
            fields["read_pools"] = read_pools
        # its initial user's generated password, and the secret holding it, are the cluster's
        passwords = [p for p in ctx.referenced(cluster, "random_password") if p.base_address in cluster.refs("initial_user")]
        found.append(Mapped(label_name(cluster), "alloydb", fields,
                            owned(cluster, *instances, *passwords) | password_secrets(ctx, [cluster], ("initial_user",)),
                            cluster))
    return found


def protocol(mapped: Mapped) -> str:
    return "Postgres"
