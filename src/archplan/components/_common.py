"""Small pieces several kinds share."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from archplan.components.base import Strict

Commitment = Literal["none", "1y", "3y"]

COMMITMENT_FIELD = Field(default="none", description="committed-use discount: none, 1y or 3y")


def per_month(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def gpus_of(machine_type: str) -> tuple[str, int] | None:
    """(accelerator type, count) of an accelerator-optimized machine type (its price includes the GPUs)."""
    from archplan import catalog

    entry = catalog.service("compute_engine").machine_types.get(machine_type) or {}
    return (entry["gpu_type"], int(entry["gpus"])) if entry.get("gpus") else None


def check_machine_type(machine_type: str, ctx, key: str | tuple) -> None:
    """A Compute Engine machine type the catalog prices, or a SpecError suggesting the nearest."""
    from archplan import catalog
    from archplan.spec.load import suggest

    known = catalog.service("compute_engine").machine_types
    if machine_type not in known:
        raise ctx.error(key, f"unknown machine type {machine_type!r}; " + suggest(machine_type, list(known)))


def lower_location(value):
    """Locations as archplan names them: BigQuery and Cloud Storage write theirs in capitals (US, EU, EUR4,
    EUROPE-WEST3) and take either case, so a plan may too."""
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [v.lower() if isinstance(v, str) else v for v in value]
    return value


def check_location(location: str | None, service: str) -> None:
    """A dataset or database location: a supported region, or a dual/multi-region the service offers."""
    if location is None:
        return
    from archplan import catalog

    known = catalog.locations()
    offered = [name for name, info in known.items() if service in info.get("services", ())]
    if location in catalog.regions() or location in offered:
        return
    if location in known:
        info = known[location]
        raise ValueError(f"{service} is not offered in {location!r} (a {info.get('kind', 'location')} of "
                         f"{', '.join(info.get('services', ()))}); {service} takes a region or one of: "
                         f"{', '.join(offered)}")
    nearest = catalog.nearest_regions(location, locations_too=True)
    raise ValueError(f"unknown location {location!r}; a region ({nearest}) or one of: {', '.join(offered)}")


class CrossRegionReplica(Strict):
    """A copy of a database or cache kept in another region, promoted when its primary's region is lost."""

    region: str = Field(description="the replica's region (must differ from the primary's)")
    tier: str | None = Field(default=None, description="its machine tier or node type (default: the primary's)")
    ha: bool = Field(default=False, description="Cloud SQL: the replica is itself regional (a standby in a "
                                                "second zone), so it keeps HA once promoted")
    promotion: Literal["manual", "automatic"] = Field(
        default="manual", description="manual: an operator decides and promotes it (the runbook's steps); "
                                      "automatic: your own automation starts the promotion when the region is "
                                      "lost, with no operator's decision time (Cloud SQL and Memorystore never "
                                      "promote a cross-region replica by themselves, and the generated Terraform "
                                      "writes no such automation)")
    promotion_minutes: Decimal | None = Field(
        default=None, gt=0, description="time from the decision to promote to the replica serving writes "
                                        "(default: archplan's stated assumption per service)")
    replication_gib_per_month: Decimal | None = Field(
        default=None, ge=0, description="changes shipped to the replica a month (write-ahead log, binary log "
                                        "or cache writes), priced as inter-region transfer (default: the "
                                        "primary's stored data once a month, a stated assumption)")
    lag_seconds: Decimal | None = Field(
        default=None, ge=0, description="replication lag the plan expects (default: archplan's stated "
                                        "assumption per service); bounds the data lost in a region outage")
