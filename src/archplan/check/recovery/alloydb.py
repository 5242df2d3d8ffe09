"""AlloyDB for PostgreSQL: an HA primary fails over to its standby node in another zone with nothing lost (the
WAL is written synchronously to regional storage); a basic instance is one node, replaced by restoring the
continuous backup; that backup also undoes a bad write to any point in its window. With no secondary cluster,
a region outage leaves the cluster unreachable until the region returns."""
from __future__ import annotations

import math

from archplan.check.recovery import Recovery, fact, figure, restore
from archplan.components.alloydb import CONTINUOUS_BACKUP_DAYS


def rows(component, plan) -> list[Recovery]:
    spec = component.spec
    granularity = figure("alloydb_pitr_granularity_seconds")
    default = fact("alloydb_continuous_backup_days")
    backup = (f"continuous backup (a {CONTINUOUS_BACKUP_DAYS}-day window in archplan's Terraform, Google's default "
              f"{default.value} days; {granularity * 1e6:g}-microsecond granularity)")
    if spec.ha:
        detect, start = figure("alloydb_ha_failover_detection_seconds"), figure("alloydb_ha_standby_start_seconds")
        failover = (detect + start) / 60
        zone = Recovery(component.name, "zone outage", failover, 0.0,
                        f"HA: automatic failover to the standby node in another zone: up to {detect:g} s to detect, "
                        f"about {start:g} s for the standby to accept connections = ~{failover:g} min; the WAL is "
                        "written synchronously to the regional log persistor, so no write is lost")
    else:
        rto, restoring = restore(f"restore the {backup} into a new cluster")
        zone = Recovery(component.name, "zone outage", rto, granularity / 60,
                        f"basic instance (one node, one zone): no standby; {restoring}, up to the moment the zone "
                        "was lost (the data is in regional storage), or wait for the zone")
    rto, restoring = restore(f"restore the {backup} to a point before it into a new cluster")
    return [
        zone,
        Recovery(component.name, "data corruption", rto, granularity / 60,
                 f"a bad deploy or bad write: {restoring}"),
        Recovery(component.name, "region outage", math.inf, 0.0,
                 f"a cluster in {component.region} with no secondary cluster in another region: "
                 "durable, but unreachable until the region returns"),
    ]
