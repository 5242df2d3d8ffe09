"""What Memorystore for Valkey and Memorystore for Redis Cluster share: a shard's replica in another zone takes
over when its primary's zone is lost (asynchronous, so the last writes are lost); without one, new nodes start
empty or from the last persistence point. A multi-region plan adds the region outage: a secondary cluster's
promotion, or none."""
from __future__ import annotations

import math

from archplan.check import regions
from archplan.check.recovery import Recovery, minutes

ASSUMED_FAILOVER_SECONDS = 60.0  # memorystore_cluster_failover_seconds: Google publishes no time
REPLACE_MINUTES = 15.0  # new nodes for a shard without a replica (assumed, as for a Basic Redis instance)


def rows(component, plan) -> list[Recovery]:
    spec = component.spec
    out = []
    holds_data = spec.persistence != "none"
    if spec.replicas_per_shard and spec.zone_distribution == "multi_zone":
        published = minutes("memorystore_cluster_failover_seconds")
        failover = published if published is not None else ASSUMED_FAILOVER_SECONDS / 60
        when = f"~{failover:g} min" if published is not None else f"Google publishes no time; assumed {failover:g} min"
        out.append(Recovery(component.name, "zone outage", failover, 1 / 60,
                            f"automatic failover to a replica in another zone ({when}); asynchronous "
                            "replication loses the last second or so of writes"))
    else:
        out.append(Recovery(component.name, "zone outage", REPLACE_MINUTES, math.inf if holds_data else 0.0,
                            f"no replica in another zone: new nodes (assumed {REPLACE_MINUTES:g} min); "
                            + ("data since the last persistence point is lost" if holds_data else
                               "a cache without persistence: refilled from the source of truth")))
    if not regions.is_multi_region(plan):
        return out
    if spec.cross_region_replicas:
        rto, rpo, how = min((regions.promotion(r, component.kind) for r in spec.cross_region_replicas),
                            key=lambda t: t[0])
        out.append(Recovery(component.name, "region outage", rto, rpo, how))
    else:
        out.append(Recovery(component.name, "region outage", REPLACE_MINUTES if not holds_data else math.inf,
                            0.0 if not holds_data else math.inf,
                            f"no secondary cluster: a new cluster elsewhere (assumed {REPLACE_MINUTES:g} min), "
                            "refilled from the source of truth" if not holds_data else
                            "no secondary cluster: its data is lost with the region"))
    return out
