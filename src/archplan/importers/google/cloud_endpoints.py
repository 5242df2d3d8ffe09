"""google_endpoints_service -> cloud_endpoints: the managed service the ESPv2 proxy enforces. API calls are
usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_endpoints_service",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"calls_per_month": (0, "API calls"), "traffic_share": (None, "share of the traffic")}
SUPPORTING = ("google_endpoints_service_iam_member", "google_endpoints_service_iam_binding",
              "google_endpoints_service_consumers_iam_member")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    return [Mapped(label_name(service), "cloud_endpoints", {"calls_per_month": 0}, owned(service), service,
                   placeholders(USAGE)) for service in resources]


def protocol(mapped: Mapped) -> str:
    return "HTTPS"
