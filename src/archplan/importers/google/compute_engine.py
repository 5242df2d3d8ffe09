"""google_compute_instance -> compute_engine: machine type, how many (count / for_each instances of one
resource are one component), Spot, boot disk, external IP."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, invalid, label_name, number, owned
from archplan.importers.hcl.expressions import unknown
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_compute_instance",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"hours_per_month": (None, "hours a month it runs"), "commitment": (None, "committed-use discounts are bought outside Terraform")}
DISK_TYPES = ("pd-standard", "pd-balanced", "pd-ssd")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    groups: dict[str, list[TfResource]] = {}
    for instance in resources:
        groups.setdefault(instance.base_address, []).append(instance)
    found = []
    for instances in groups.values():
        first = instances[0]
        machine = first.values.get("machine_type")
        if machine is None or unknown(machine):
            ctx.notes.append(f"{first.base_address}: machine_type is not known: left out")
            continue
        if not isinstance(machine, str) or not machine.strip():
            raise invalid(first, ("machine_type",), f"{machine!r} is not a machine type (e2-standard-2, n2-highmem-4...)")
        fields: dict = {"machine_type": machine.rsplit("/", 1)[-1]}
        if len(instances) > 1:
            fields["count"] = len(instances)
        if first.get("scheduling", "provisioning_model") == "SPOT" or first.get("scheduling", "preemptible") is True:
            fields["spot"] = True
        # A persistent disk holds 10 GB to 64 TB (the image sets the size where none is written).
        size = number(first, ctx, "boot_disk", "initialize_params", "size", minimum=10, maximum=65536,
                      assumed="read as the image's size (10 GB)")
        if size is not None:
            fields["disk_gb"] = size
        disk_type = first.get("boot_disk", "initialize_params", "type")
        if disk_type is None and not first.get("boot_disk", "source"):
            # The Compute Engine API's default for a disk created with the instance
            # (AttachedDiskInitializeParams.diskType: "If not specified, the default is pd-standard").
            fields["disk_type"] = "pd-standard"
        elif disk_type in DISK_TYPES:
            fields["disk_type"] = disk_type
        elif isinstance(disk_type, str):
            ctx.notes.append(f"{first.base_address}: boot disk type {disk_type}: archplan prices pd-standard, "
                             "pd-balanced and pd-ssd boot disks; priced as pd-balanced")
        if any(isinstance(i, dict) for i in first.blocks("network_interface", "access_config")):
            fields["external_ip"] = True
        if first.blocks("scratch_disk"):
            ctx.notes.append(f"{first.base_address}: scratch_disk (local SSD): archplan does not price local SSD; "
                             "left out")
        found.append(Mapped(label_name(first), "compute_engine", fields, owned(*instances), first))
    return found
