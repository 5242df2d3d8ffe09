"""Cloud SQL: HA failover to the standby, restores from point-in-time recovery or the daily backup, and a
cross-region replica's promotion (or the last backup restored elsewhere) when the region is lost."""
from __future__ import annotations

import math

from archplan.check import regions
from archplan.check.recovery import Recovery, figure, minutes

LISTED_FIRST = ("zone outage", "data corruption", "region outage")


def rows(component, plan) -> list[Recovery]:
    spec = component.spec
    out: list[Recovery] = []
    backup_hours = figure("cloud_sql_backup_frequency_hours")
    if spec.ha:
        failover = minutes("cloud_sql_ha_failover_seconds")
        out.append(Recovery(component.name, "zone outage", failover, 0.0,
                            f"HA failover to the standby, which starts after ~{failover:g} min without a "
                            "heartbeat (Google publishes no total time); synchronous replication"))
    if spec.backups.enabled and spec.backups.pitr:
        rpo, how = 5.0, "point-in-time recovery from transaction logs (assumed within 5 min)"
    elif spec.backups.enabled:
        rpo, how = backup_hours * 60, f"last daily automated backup (up to {backup_hours:g} h lost)"
    else:
        rpo, how = math.inf, "no backups: data cannot be recovered"
    # Restoring means creating an instance and copying the data in: assumed an hour for a small DB.
    rto = 60.0 if rpo != math.inf else math.inf
    if not spec.ha:
        out.append(Recovery(component.name, "zone outage", rto, rpo,
                            f"no standby: restore into a new instance (assumed 60 min) from {how}"))
    out.append(Recovery(component.name, "data corruption", rto, rpo,
                        f"a bad deploy or bad write: restore to a point before it (assumed 60 min) from {how}"))
    if spec.cross_region_replicas:
        rto, lag, how = min((regions.promotion(r, component.kind) for r in spec.cross_region_replicas),
                            key=lambda t: t[0])
        out.append(Recovery(component.name, "region outage", rto, lag, how))
        return out
    out.append(Recovery(component.name, "region outage", 60.0 if spec.backups.enabled else math.inf,
                        backup_hours * 60 if spec.backups.enabled else math.inf,
                        "no cross-region replica modelled: restore the last automated backup (kept "
                        f"multi-region by default) in another region (assumed 60 min; up to {backup_hours:g} h "
                        "of data lost)" if spec.backups.enabled else "no backups: data cannot be recovered"))
    return out
