from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if spec.tier == "standard":
        return SlaChoice("memorystore_redis_standard", "Memorystore Redis Standard (replicated)")
    return SlaChoice("memorystore_redis_basic", "Memorystore Redis Basic (single node)")
