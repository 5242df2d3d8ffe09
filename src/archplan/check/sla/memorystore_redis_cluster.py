from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if spec.replicas_per_shard == 0 or spec.node_type == "redis-shared-core-nano":
        replicas = f"{spec.replicas_per_shard} replica{'' if spec.replicas_per_shard == 1 else 's'}"
        return SlaChoice("memorystore_cluster_no_replicas", f"Memorystore for Redis Cluster, {spec.node_type}, {replicas}")
    if spec.zone_distribution == "multi_zone":
        return SlaChoice("memorystore_redis_cluster_multi_zone", "Memorystore for Redis Cluster with HA, multi-zone")
    return SlaChoice("memorystore_redis_cluster_single_zone", "Memorystore for Redis Cluster with HA, single zone")
