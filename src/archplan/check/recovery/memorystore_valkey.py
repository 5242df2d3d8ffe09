"""Memorystore for Valkey: shards with replicas (see _memorystore_cluster)."""
from archplan.check.recovery._memorystore_cluster import rows  # noqa: F401  (the kind's recovery rows)
