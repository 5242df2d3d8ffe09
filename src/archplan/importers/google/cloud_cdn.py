"""Cloud CDN is a setting of a load balancer's backends (enable_cdn): load_balancer.py makes the cloud_cdn
component of each load balancer that turns it on. This module declares what Terraform does not hold."""
from __future__ import annotations

RESOURCE_TYPES = ()
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"requests_per_month": (None, "cache lookups"), "traffic_share": (None, "share of the traffic"),
         "egress_gb_per_month": (None, "data served"), "avg_object_kib": (None, "mean object size"),
         "invalidations_per_month": (None, "invalidations"), "cache_hit_ratio": (0, "share served from cache")}
# destination (where most viewers are) is written from the project region's continent, marked in the plan.


def components(resources, ctx) -> list:
    return []
