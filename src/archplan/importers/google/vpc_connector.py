"""google_vpc_access_connector -> vpc_connector: machine type, instance bounds, IP range."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_vpc_access_connector",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for connector in resources:
        fields: dict = {}
        for key in ("machine_type", "min_instances", "max_instances", "ip_cidr_range"):
            # A connector runs 2 to 10 instances.
            value = number(connector, ctx, key, minimum=2, maximum=10) if key.endswith("_instances") else \
                connector.get(key)
            if value is not None:
                fields[key] = value
        found.append(Mapped(label_name(connector), "vpc_connector", fields, owned(connector), connector))
    return found
