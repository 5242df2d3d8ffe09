"""google_compute_router_nat -> cloud_nat (with its router). The VMs behind it are counted from the
configuration's VMs and GKE nodes; the data it processes is usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, placeholders, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_compute_router_nat",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"data_processed_gb_per_month": (0, "data sent through NAT")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for nat in resources:
        routers = ctx.referenced(nat, "google_compute_router")
        found.append(Mapped(label_name(nat), "cloud_nat", {"vms": 0, "data_processed_gb_per_month": 0},
                            owned(nat, *routers), nat, placeholders(USAGE)))
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """vms: the VMs and GKE nodes of the configuration (each uses the NAT gateway), a stated derivation."""
    vms = 0
    for mapped in all_mapped:
        if mapped.kind == "compute_engine" and not mapped.fields.get("external_ip"):
            vms += mapped.fields.get("count", 1)
        if mapped.kind == "gke":
            vms += sum(p["nodes"] for p in mapped.fields.get("node_pools", []))
    for nat in found:
        nat.fields["vms"] = vms
        nat.notes.append(f"{nat.name}: vms {vms} = the configuration's VMs without external IP and GKE nodes "
                         "(assumed all behind this gateway)")
