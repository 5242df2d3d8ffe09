"""What Memorystore for Valkey and Memorystore for Redis Cluster share: shards of equal nodes, each shard a
primary and up to two replicas, billed per node-hour by node type."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components._common import COMMITMENT_FIELD, Commitment, CrossRegionReplica
from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, Usage, UsageContext


class ClusterSpec(ComponentSpec):
    def only_inside_vpc(self) -> bool:
        return True  # a cluster is reached through Private Service Connect endpoints in the VPC only

    category: ClassVar[str] = "data"
    service: ClassVar[str] = ""  # catalog service id
    shards: int = Field(default=1, ge=1, description="shards (each holds part of the keyspace)")
    replicas_per_shard: int = Field(default=1, ge=0, le=2, description="replica nodes per shard (0-2); 0 has no SLA")
    zone_distribution: Literal["multi_zone", "single_zone"] = Field(
        default="multi_zone", description="nodes spread across zones (GCP default) or kept in one")
    working_set_gb: Decimal | None = Field(default=None, ge=0, description="data the plan expects to hold")
    iam_auth: bool = Field(default=True, description="IAM authentication of clients")
    transit_encryption: bool = Field(default=True, description="in-transit TLS")
    persistence: Literal["none", "rdb", "aof"] = Field(default="none", description="persistence mode")
    commitment: Commitment = COMMITMENT_FIELD
    primary_ops_per_second: Decimal | None = Field(
        default=None, gt=0, description="simulate: commands a second each shard's primary serves (Google "
                                        "publishes no figure; unset: archplan assumes 100,000)")
    cross_region_replicas: list[CrossRegionReplica] = Field(
        default_factory=list, max_length=2, description="secondary clusters in other regions (cross-region "
                                                        "replication; at most two)")

    @property
    def nodes(self) -> int:
        return self.shards * (1 + self.replicas_per_shard)


def usage(spec: ClusterSpec, ctx: UsageContext) -> Usage:
    from archplan import catalog

    capacity = catalog.service(spec.service).fact(f"capacity_gb/{spec.node_type}").decimal
    return Usage({"nodes": Decimal(spec.nodes), "node_hours": spec.nodes * HOURS_PER_MONTH,
                  "keyspace_gb": capacity * spec.shards})
