"""Memorystore for Redis Cluster: shards of nodes of one node type, billed per node-hour."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from archplan.components._memorystore_cluster import ClusterSpec, usage  # noqa: F401  (the kind's usage)

EXAMPLE = {"kind": "memorystore_redis_cluster", "node_type": "redis-standard-small", "shards": 3,
           "replicas_per_shard": 1}

NODE_TYPES = ("redis-shared-core-nano", "redis-standard-small", "redis-highmem-medium", "redis-highmem-xlarge")


class Spec(ClusterSpec):
    service: ClassVar[str] = "memorystore_redis_cluster"
    kind: Literal["memorystore_redis_cluster"]
    node_type: Literal[NODE_TYPES] = Field(default="redis-highmem-medium", description="node type of every node")
