"""Memorystore for Redis instances: Standard tier fails over to its replica, Basic tier is one node (its RDB
snapshots, if any, are what survives); no cross-region replica, so a multi-region plan's region outage is a new
instance elsewhere."""
from __future__ import annotations

import math

from archplan.check import regions
from archplan.check.recovery import Recovery, minutes

LISTED_FIRST = ("zone outage",)
SNAPSHOT_MINUTES = {"1h": 60, "6h": 360, "12h": 720, "24h": 1440}


def rows(component, plan) -> list[Recovery]:
    spec = component.spec
    out: list[Recovery] = []
    if spec.tier == "standard":
        failover = minutes("memorystore_standard_failover_seconds")
        known = failover is not None
        failover = failover if known else 1.0
        out.append(Recovery(component.name, "zone outage", failover, 1 / 60,
                            f"failover to the replica ({'~' if known else 'not published; assumed '}"
                            f"{failover:g} min); asynchronous replication loses the last second or so "
                            "of writes"))
    else:
        snapshot = SNAPSHOT_MINUTES.get(spec.rdb_snapshot_period or "", math.inf)
        out.append(Recovery(component.name, "zone outage", 15.0, snapshot,
                            "Basic tier: a new empty node (assumed 15 min); data since the last RDB "
                            "snapshot is lost" if snapshot != math.inf else
                            "Basic tier, no persistence: all cached data is lost (assumed 15 min to "
                            "replace the node)"))
    if regions.is_multi_region(plan):
        keeps = bool(getattr(spec, "rdb_snapshot_period", None))
        # Either way a new instance comes up elsewhere in about the same time. A cache (no persistence) is
        # refilled from the source of truth; data the plan keeps snapshots of is lost with them, since Memorystore
        # keeps RDB snapshots in the instance's own region.
        out.append(Recovery(component.name, "region outage", 15.0, 0.0 if not keeps else math.inf,
                            "Memorystore for Redis has no cross-region replica: a new instance in another region "
                            "(assumed 15 min), "
                            + ("refilled from the source of truth" if not keeps else
                               "empty: its RDB snapshots are kept in its region and lost with it (export them "
                               "to a bucket in another region to bound the loss)")))
    return out
