"""google_redis_cluster -> memorystore_redis_cluster: shards, replicas, node type, zones, IAM authentication,
TLS, persistence."""
from __future__ import annotations

from archplan.components.memorystore_redis_cluster import NODE_TYPES
from archplan.importers.google import _memorystore_cluster as shared
from archplan.importers.google._base import MapContext, Mapped
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_redis_cluster",)
USAGE = shared.USAGE
SUPPORTING = shared.SUPPORTING


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    return shared.read(resources, ctx, "memorystore_redis_cluster", NODE_TYPES, "AUTH_MODE_IAM_AUTH",
                       "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION")


def protocol(mapped: Mapped) -> str:
    return "Redis"
