"""google_dns_managed_zone -> one cloud_dns component per module and visibility: how many zones. Queries are
usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_dns_managed_zone",)
PLACEHOLDERS = {"queries_per_month": "DNS queries: Terraform does not hold them"}


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
        records = ctx.referrers({z.base_address for z in zones}, "google_dns_record_set")
        found.append(Mapped(label_name(zones[0]), "cloud_dns", fields, owned(*zones, *records), zones[0],
                            dict(PLACEHOLDERS)))
    return found
