from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if spec.replicas_per_shard == 0 or spec.node_type == "shared-core-nano":
        replicas = f"{spec.replicas_per_shard} replica{'' if spec.replicas_per_shard == 1 else 's'}"
        return SlaChoice("memorystore_cluster_no_replicas", f"Memorystore for Valkey, {spec.node_type}, {replicas}")
    return SlaChoice("memorystore_valkey", f"Memorystore for Valkey with replicas ({spec.zone_distribution})")
