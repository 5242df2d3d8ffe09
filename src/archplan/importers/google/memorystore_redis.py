"""google_redis_instance -> memorystore_redis: tier, capacity, version, AUTH, in-transit encryption, RDB
snapshots."""
from __future__ import annotations

import re

from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_redis_instance",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"working_set_gb": (None, "data held"), "commitment": (None, "committed-use discounts are bought outside Terraform")}
SNAPSHOTS = {"ONE_HOUR": "1h", "SIX_HOURS": "6h", "TWELVE_HOURS": "12h", "TWENTY_FOUR_HOURS": "24h"}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for redis in resources:
        # Memorystore for Redis instances hold 1 to 300 GB, in whole GB.
        size = number(redis, ctx, "memory_size_gb", minimum=1, maximum=300, assumed="left out")
        if size is None:
            if not redis.given("memory_size_gb"):  # required: Terraform stops without it
                ctx.notes.append(f"{redis.address}: memory_size_gb is not written: left out")
            continue
        fields: dict = {"tier": "standard" if redis.get("tier", default="BASIC") == "STANDARD_HA" else "basic",
                        "capacity_gb": size}
        version = re.fullmatch(r"REDIS_(\d+)_(\d+)", str(redis.get("redis_version", default="")))
        if version:
            fields["version"] = f"{version.group(1)}.{version.group(2)}"
        if redis.get("auth_enabled") is True:
            fields["auth_enabled"] = True
        if redis.get("transit_encryption_mode") == "SERVER_AUTHENTICATION":
            fields["transit_encryption"] = True
        period = SNAPSHOTS.get(redis.get("persistence_config", "rdb_snapshot_period"))
        if redis.get("persistence_config", "persistence_mode") == "RDB" and period:
            fields["rdb_snapshot_period"] = period
        found.append(Mapped(label_name(redis), "memorystore_redis", fields, owned(redis), redis))
    return found


def protocol(mapped: Mapped) -> str:
    return "Redis"
