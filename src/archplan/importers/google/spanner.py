"""google_spanner_instance (+ its google_spanner_database) -> spanner: configuration (regional-<region> or a
named multi-region), compute capacity (processing_units, or num_nodes), edition, the database's name and
dialect. Stored data is usage."""
from __future__ import annotations

import re

from archplan.components.spanner import granularity_error
from archplan.importers.google._base import MapContext, Mapped, invalid, label_name, number, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_spanner_instance",)
# Resource-level grants stay out of the component: the import reads them for the workload -> database edge.
SUPPORTING = ("google_spanner_database", "google_spanner_database_iam_member", "google_spanner_database_iam_binding",
              "google_spanner_instance_iam_member")
USAGE = {"storage_gib": (None, "data stored (Spanner bills what the databases hold)"),
         "storage_usd_per_gib_month": (None, "a storage price to use instead of the catalog's SSD figure"),
         "storage_price_source": (None, "where that price comes from"),
         "commitment": (None, "committed-use discounts are bought outside Terraform")}
EDITIONS = ("STANDARD", "ENTERPRISE", "ENTERPRISE_PLUS")


def _config(instance: TfResource, ctx: MapContext) -> str | None:
    value = instance.get("config")
    if not isinstance(value, str):
        ctx.notes.append(f"{instance.address}: config is not a literal: the plan's region assumed (regional)")
        return None
    from archplan import catalog

    config = value.removeprefix("regional-")
    offered = [name for name, info in catalog.locations().items() if "spanner" in info.get("services", ())]
    if config not in catalog.regions() and config not in offered:
        ctx.notes.append(f"{instance.address}: config {value!r} is not a region or a multi-region archplan knows "
                         f"({', '.join(offered)}): the plan's region assumed (regional)")
        return None
    return None if config == ctx.region else config


def _units(instance: TfResource, ctx: MapContext) -> int:
    units = number(instance, ctx, "processing_units", minimum=1, assumed="read from num_nodes, else 1,000")
    nodes = number(instance, ctx, "num_nodes", minimum=1, assumed="read from processing_units, else 1,000 units")
    if units is not None:
        found, key = units, "processing_units"
    elif nodes is not None:
        found, key = nodes * 1000, "num_nodes"
    else:
        ctx.notes.append(f"{instance.address}: no literal processing_units or num_nodes (autoscaling or an "
                         "expression): 1,000 processing units assumed")
        return 1000
    if granularity_error(found):  # Spanner refuses the instance
        raise invalid(instance, (key,), f"not a size Spanner takes: {granularity_error(found)}")
    return found


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for instance in resources:
        fields: dict = {}
        config = _config(instance, ctx)
        if config:
            fields["config"] = config
        fields["processing_units"] = _units(instance, ctx)
        edition = instance.get("edition")
        if edition in EDITIONS and edition != "STANDARD":
            fields["edition"] = edition
        databases = ctx.referrers(instance, "google_spanner_database")
        if databases:
            name = databases[0].get("name")
            if isinstance(name, str) and re.fullmatch(r"[a-z][a-z0-9_-]{0,28}[a-z0-9]", name) and name != "app":
                fields["database"] = name
            dialect = databases[0].get("database_dialect")
            if dialect == "POSTGRESQL":
                fields["database_dialect"] = dialect
            if len(databases) > 1:
                ctx.notes.append(f"{instance.address}: {len(databases)} databases; archplan models the instance "
                                 f"(its capacity is shared) and names the first, {databases[0].address}")
        found.append(Mapped(label_name(instance), "spanner", fields, owned(instance, *databases), instance))
    return found


def protocol(mapped: Mapped) -> str:
    return "gRPC"
