"""google_compute_instance -> compute_engine: machine type, how many (count / for_each instances of one
resource are one component), Spot, boot disk, external IP."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, invalid, label_name, number, owned
from archplan.importers.hcl.expressions import unknown
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_compute_instance", "google_compute_instance_group_manager",
                  "google_compute_region_instance_group_manager")
# A managed instance group's VMs are described by its instance template, and sized by its autoscaler.
SUPPORTING = ("google_compute_instance_template", "google_compute_region_instance_template",
              "google_compute_autoscaler", "google_compute_region_autoscaler")
MANAGERS = RESOURCE_TYPES[1:]
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"hours_per_month": (None, "hours a month it runs"), "commitment": (None, "committed-use discounts are bought outside Terraform")}
DISK_TYPES = ("pd-standard", "pd-balanced", "pd-ssd")


def _managed(group: TfResource, ctx: MapContext) -> Mapped | None:
    """A managed instance group: its template's VMs, as many as its target_size (else its autoscaler's
    minimum; the autoscaler's maximum is said, a plan's VMs do not scale)."""
    templates = ctx.referenced(group, "google_compute_instance_template", "google_compute_region_instance_template")
    if not templates:
        ctx.notes.append(f"{group.address}: its instance template is not in this configuration: left out")
        return None
    scalers = ctx.referrers(group, "google_compute_autoscaler", "google_compute_region_autoscaler")
    policy = ("autoscaling_policy",)
    low = number(scalers[0], ctx, *policy, "min_replicas", minimum=0, assumed="not read") if scalers else None
    high = number(scalers[0], ctx, *policy, "max_replicas", minimum=0, assumed="not read") if scalers else None
    size = number(group, ctx, "target_size", minimum=0, assumed="read as the autoscaler's minimum, else 1")
    if size is None or scalers and low is not None and size < low:
        size = low if low is not None else 1
    mapped = _vm(templates[0], ctx, size, owned(group, templates[0], *scalers), boot_disk=_template_boot_disk)
    if mapped is not None:
        mapped.source = group
        mapped.name = label_name(group)
        if high is not None and high > size:
            mapped.notes.append(f"{group.address}: its autoscaler runs {low if low is not None else size} to {high} "
                                f"VMs: priced as {size} (a plan's VMs do not scale: set count to what it runs)")
    return mapped


def _template_boot_disk(template: TfResource) -> tuple:
    """(the path of its size, its type, whether it is an existing disk) of an instance template's boot disk: the
    disk with boot = true, else the first."""
    disks = template.blocks("disk")
    index = next((i for i, d in enumerate(disks) if d.get("boot") is True), 0)
    return ("disk", index, "disk_size_gb"), template.get("disk", index, "disk_type"), \
        bool(template.get("disk", index, "source"))


def _instance_boot_disk(instance: TfResource) -> tuple:
    """The same of an instance's boot_disk."""
    at = ("boot_disk", "initialize_params")
    return (*at, "size"), instance.get(*at, "type"), bool(instance.get("boot_disk", "source"))


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    groups: dict[str, list[TfResource]] = {}
    for instance in resources:
        groups.setdefault(instance.base_address, []).append(instance)
    found = []
    for instances in groups.values():
        if instances[0].type in MANAGERS:
            found += [m for m in (_managed(group, ctx) for group in instances) if m is not None]
            continue
        mapped = _vm(instances[0], ctx, len(instances), owned(*instances))
        if mapped is not None:
            found.append(mapped)
    return found


def _vm(first: TfResource, ctx: MapContext, count: int, owns: set[str], boot_disk=_instance_boot_disk) \
        -> Mapped | None:
    """The VMs an instance (or an instance template) describes, `count` of them."""
    machine = first.values.get("machine_type")
    if machine is None or unknown(machine):
        ctx.notes.append(f"{first.base_address}: machine_type is not known: left out")
        return None
    if not isinstance(machine, str) or not machine.strip():
        raise invalid(first, ("machine_type",), f"{machine!r} is not a machine type (e2-standard-2, n2-highmem-4...)")
    fields: dict = {"machine_type": machine.rsplit("/", 1)[-1]}
    if count != 1:
        fields["count"] = count
    if first.get("scheduling", "provisioning_model") == "SPOT" or first.get("scheduling", "preemptible") is True:
        fields["spot"] = True
    size_at, disk_type, attached = boot_disk(first)
    # A persistent disk holds 10 GB to 64 TB (the image sets the size where none is written).
    size = number(first, ctx, *size_at, minimum=10, maximum=65536, assumed="read as the image's size (10 GB)")
    if size is not None:
        fields["disk_gb"] = size
    if disk_type is None and not attached:
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
    return Mapped(label_name(first), "compute_engine", fields, owns, first)
