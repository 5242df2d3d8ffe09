"""Firestore (native mode): replicated across zones (and, in a multi-region location, across regions), with
point-in-time recovery for a bad write unless the plan turns it off (pitr: false). A regional database is
unreachable while its region is down."""
from __future__ import annotations

import math

from archplan import catalog
from archplan.check.recovery import Recovery, fact, figure, restore


def rows(component, plan) -> list[Recovery]:
    location = component.spec.location or plan.region
    regional = location in catalog.regions()
    zone = fact("firestore_zone_outage_minutes")
    window, granularity = figure("firestore_pitr_window_days"), figure("firestore_pitr_granularity_seconds")
    rto, restoring = restore("restore the documents (read them as they were, or clone the database at that "
                             "minute) and write them back")
    without = figure("firestore_retention_without_pitr_hours")
    kept = fact("firestore_retention_without_pitr_hours")
    return [
        Recovery(component.name, "zone outage", float(zone.decimal), float(zone.decimal),
                 f"data is replicated across zones and served on when one is lost ({zone.source})"),
        Recovery(component.name, "data corruption", rto, granularity / 60,
                 f"a bad deploy or bad write: point-in-time recovery (pitr: true) keeps "
                 f"{window:g} days at one version per {granularity:g} s: {restoring}; up to {granularity:g} s of "
                 f"writes before it are lost (without PITR only the last {without:g} h can be read)")
        if component.spec.pitr else
        Recovery(component.name, "data corruption", rto, math.inf,
                 f"a bad deploy or bad write: no point-in-time recovery (pitr: false): versions are kept only "
                 f"{without:g} h, so a bad write noticed later cannot be undone ({kept.source}); {restoring} if "
                 "it is noticed within the hour"),
        Recovery(component.name, "region outage", math.inf, 0.0,
                 f"a regional database ({location}): durable, but unreachable until the region returns (only "
                 "multi-region locations replicate across regions)") if regional else
        Recovery(component.name, "region outage", 0.0, 0.0,
                 f"multi-region {location}: synchronous replication across regions"),
    ]
