"""Cloud Spanner: a write commits on a majority of read-write replicas in separate zones (and, in a dual- or
multi-region configuration, regions), so a zone outage costs nothing; point-in-time recovery over the version
retention period that archplan's Terraform sets undoes a bad write. A regional instance is unreachable while its
region is down."""
from __future__ import annotations

import math

from archplan import catalog
from archplan.check.recovery import Recovery, figure, restore
from archplan.components.spanner import VERSION_RETENTION_DAYS


def rows(component, plan) -> list[Recovery]:
    config = component.spec.config or plan.region
    regional = config in catalog.regions()
    replicas = catalog.service("spanner").fact("read_write_replicas_regional")
    most, default = figure("spanner_version_retention_max_days"), figure("spanner_version_retention_default_hours")
    granularity = figure("spanner_pitr_granularity_seconds")
    rto, restoring = restore("read the rows as they were (a stale read) and write them back, or restore a backup "
                             "taken at that time into a new database")
    return [
        Recovery(component.name, "zone outage", 0.0, 0.0,
                 f"{replicas.value} read-write replicas, each in its own zone ({replicas.source}): "
                 "a write commits on a majority of them, and the others serve on" if regional else
                 f"{config} configuration: synchronous replication across regions"),
        Recovery(component.name, "data corruption", rto, granularity / 60,
                 f"a bad deploy or bad write: point-in-time recovery over the {VERSION_RETENTION_DAYS}-day version "
                 f"retention archplan's Terraform sets (Spanner's default is {default:g} h, its most {most:g} days), "
                 f"at {granularity * 1e6:g}-microsecond granularity: {restoring}; a whole-database restore can take "
                 "hours"),
        Recovery(component.name, "region outage", math.inf, 0.0,
                 f"a regional instance ({config}): its three read-write replicas are all in "
                 "that region; durable, but unreachable until the region returns (only "
                 "dual- and multi-region configurations replicate across regions)") if regional else
        Recovery(component.name, "region outage", 0.0, 0.0,
                 f"{config} configuration: synchronous replication across regions"),
    ]
