"""BigQuery datasets: two synchronous copies in two zones, so a zone outage costs nothing; time travel undoes a
bad write within its window. A dataset's data is in one region (a multi-region location keeps it in one region
of it), so a region outage leaves it unreachable until the region returns."""
from __future__ import annotations

import math

from archplan.check.recovery import Recovery, fact, figure, restore


def rows(component, plan) -> list[Recovery]:
    location = component.spec.location or plan.region
    copies = fact("bigquery_zone_copies")
    days = figure("bigquery_time_travel_days")
    rto, restoring = restore("copy the tables as they were (FOR SYSTEM_TIME AS OF) back")
    return [
        Recovery(component.name, "zone outage", 0.0, 0.0,
                 f"every dataset is written synchronously to {copies.value} zones ({copies.source}): nothing to "
                 "recover"),
        Recovery(component.name, "data corruption", rto, 0.0,
                 f"a bad deploy or bad write: time travel reads any point of the last {days:g} days (the default "
                 f"window, which archplan's Terraform keeps): {restoring}; nothing is lost if it is noticed within "
                 f"{days:g} days"),
        Recovery(component.name, "region outage", math.inf, 0.0,
                 f"a dataset in {location}: its data is in one region (a multi-region location adds no cross-region "
                 "copy, and cross-region replication is not modelled); durable, but unreachable until the region "
                 "returns"),
    ]
