"""Memorystore for Valkey: shards of nodes of one node type, billed per node-hour."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from archplan.components._memorystore_cluster import ClusterSpec, usage  # noqa: F401  (the kind's usage)

EXAMPLE = {"kind": "memorystore_valkey", "node_type": "standard-small", "shards": 2, "replicas_per_shard": 1}

NODE_TYPES = ("shared-core-nano", "standard-small", "highmem-medium", "highmem-xlarge")


class Spec(ClusterSpec):
    service: ClassVar[str] = "memorystore_valkey"
    kind: Literal["memorystore_valkey"]
    node_type: Literal[NODE_TYPES] = Field(default="highmem-medium", description="node type of every node")
    version: Literal["7.2", "8.0"] = Field(default="8.0", description="Valkey engine version")
