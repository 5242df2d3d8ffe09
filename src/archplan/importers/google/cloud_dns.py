"""google_dns_managed_zone -> one cloud_dns component per module and visibility: how many zones. Queries are
usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, placeholders, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_dns_managed_zone",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"queries_per_month": (0, "DNS queries")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    groups: dict[tuple[str, str], list[TfResource]] = {}
    for zone in resources:
        module = zone.address.rsplit("google_dns_managed_zone.", 1)[0]
        groups.setdefault((module, str(zone.get("visibility", default="public"))), []).append(zone)
    found = []
    for (_, visibility), zones in groups.items():
        fields: dict = {"queries_per_month": 0}
        if len(zones) > 1:
            fields["zones"] = len(zones)
        if visibility == "private":
            fields["visibility"] = "private"
        # An A record naming a load balancer's address: users resolve the name, then reach the load balancer.
        records = ctx.referrers({z.base_address for z in zones}, "google_dns_record_set")
        found.append(Mapped(label_name(zones[0]), "cloud_dns", fields, owned(*zones, *records), zones[0],
                            placeholders(USAGE)))
    return found
