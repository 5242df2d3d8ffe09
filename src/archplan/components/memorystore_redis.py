"""Memorystore for Redis, Basic or Standard (HA) tier, priced per GiB-hour by capacity band."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment
from archplan.components.base import ComponentSpec, Usage, UsageContext

# Capacity bands: (band, lowest GB, highest GB). Google's pricing page names them M1 to M5.
BANDS = (("m1", 1, 4), ("m2", 5, 10), ("m3", 11, 35), ("m4", 36, 100), ("m5", 101, 300))


def band_for(capacity_gb: Decimal) -> str:
    for band, _low, high in BANDS:
        if capacity_gb <= high:
            return band
    raise ValueError("capacity above 300 GB")


class Spec(ComponentSpec):
    def only_inside_vpc(self) -> bool:
        return True  # a Memorystore instance has a private address in the VPC only

    category: ClassVar[str] = "data"
    kind: Literal["memorystore_redis"]
    other_names: ClassVar[dict[str, str]] = {
        "memory_size_gb": "capacity_gb", "memory_gb": "capacity_gb", "size_gb": "capacity_gb",
        "transit_encryption_mode": "transit_encryption", "tls": "transit_encryption", "auth": "auth_enabled",
        "redis_version": "version", "persistence_config": "rdb_snapshot_period"}
    tier: Literal["basic", "standard"] = Field(description="basic: one node, no SLA; standard: replicated HA")
    capacity_gb: Decimal = Field(ge=1, le=300, description="instance memory, GB (1-300), priced by its capacity "
                                                           "band")
    version: str | None = Field(default=None, description="e.g. 7.2")
    working_set_gb: Decimal | None = Field(default=None, ge=0, description="data the plan expects to hold")
    auth_enabled: bool = Field(default=False, description="AUTH (GCP default off)")
    transit_encryption: bool = Field(default=False, description="in-transit TLS (GCP default off)")
    commitment: Commitment = COMMITMENT_FIELD
    rdb_snapshot_period: Literal["1h", "6h", "12h", "24h"] | None = Field(
        default=None, description="RDB persistence snapshots (none = no persistence, GCP default)")
    primary_ops_per_second: Decimal | None = Field(
        default=None, gt=0, description="simulate: commands a second the primary serves (Google publishes no "
                                        "figure; unset: archplan assumes 100,000)")

    @field_validator("capacity_gb")
    @classmethod
    def _whole_gb(cls, value: Decimal) -> Decimal:
        # The instance's memory_size_gb is an integer (hashicorp/terraform-provider-google commit
        # e03b7622a26cf4e878f90bdccaca6aa3d03a7999, google/services/redis/resource_redis_instance.go, TypeInt).
        if value != value.to_integral_value():
            raise ValueError(f"Memorystore for Redis is sized in whole GB (memory_size_gb is an integer): "
                             f"{value} GB would be created as {int(value)} GB and priced as {value}; write a whole "
                             "number")
        return value


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"capacity_gb": spec.capacity_gb})
