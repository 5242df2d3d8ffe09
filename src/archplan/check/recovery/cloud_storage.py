"""Cloud Storage buckets: every bucket keeps each object in at least two zones, so a zone outage costs nothing;
an object deleted or overwritten by mistake is restored from soft delete (on by default) or, with versioning,
from its noncurrent version. A multi-region plan adds the region outage: a regional bucket is unreachable until
its region returns, a dual- or multi-region one loses what it had not replicated yet."""
from __future__ import annotations

import math

from archplan.check import regions
from archplan.check.recovery import Recovery, fact, figure, restore


def rows(component, plan) -> list[Recovery]:
    spec = component.spec
    zones = fact("gcs_zone_copies")
    out = [Recovery(component.name, "zone outage", 0.0, 0.0,
                    f"each object is stored in at least {zones.value} zones before a write is confirmed "
                    f"({zones.source}): nothing to recover")]
    days = figure("gcs_soft_delete_days")
    rto, restoring = restore("restore the old objects")
    if spec.versioning:
        kept = ("object versioning keeps each overwritten or deleted object as a noncurrent version until it is "
                f"deleted or a lifecycle rule removes it (soft delete then keeps it {days:g} days more)")
        lost = "nothing is lost while the old version is kept"
    else:
        kept = (f"soft delete (on by default; archplan's Terraform keeps Google's {days:g}-day retention) keeps each "
                f"deleted or overwritten object {days:g} days")
        lost = f"nothing is lost if the bad write is noticed within {days:g} days"
    locked = (f"; the retention policy keeps objects from being deleted or replaced for {spec.retention_days} days"
              if spec.retention_days else "")
    out.append(Recovery(component.name, "data corruption", rto, 0.0,
                        f"a bad deploy or bad write: {kept}; {restoring}: {lost}{locked}"))
    if regions.is_multi_region(plan):
        out.append(_region_outage(component, plan))
    return out


def _region_outage(component, plan) -> Recovery:
    spec = component.spec
    if spec.location_type == "region":
        return Recovery(component.name, "region outage", math.inf, 0.0,
                        f"a regional bucket ({spec.location or plan.region}): its objects are durable "
                        "but unreachable until the region returns")
    key = "gcs_turbo_replication_rpo_minutes" if spec.turbo_replication else "gcs_default_replication_rpo_minutes"
    return Recovery(component.name, "region outage", 0.0, figure(key),
                    f"{spec.location_type} bucket {spec.placement}: served from the other region "
                    f"(RTO 0); writes not yet replicated are lost: "
                    + ("turbo replication, 15-minute target" if spec.turbo_replication else
                       "default replication, 99.9% within 60 min"))
