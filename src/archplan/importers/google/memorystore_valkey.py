"""google_memorystore_instance -> memorystore_valkey: shards, replicas, node type, engine version, zones,
IAM authentication, TLS, persistence."""
from __future__ import annotations

import re

from archplan.components.memorystore_valkey import NODE_TYPES
from archplan.importers.google import _memorystore_cluster as shared
from archplan.importers.google._base import MapContext, Mapped
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_memorystore_instance",)
USAGE = shared.USAGE
SUPPORTING = shared.SUPPORTING
VERSIONS = ("7.2", "8.0")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = shared.read(resources, ctx, "memorystore_valkey", NODE_TYPES, "IAM_AUTH", "SERVER_AUTHENTICATION")
    for mapped in found:
        version = re.fullmatch(r"VALKEY_(\d+)_(\d+)", str(mapped.source.get("engine_version", default="")))
        if version and f"{version.group(1)}.{version.group(2)}" in VERSIONS:
            mapped.fields["version"] = f"{version.group(1)}.{version.group(2)}"
    return found


def protocol(mapped: Mapped) -> str:
    return "Redis"  # Valkey speaks the Redis protocol
