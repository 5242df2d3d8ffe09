from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    # Google publishes one figure for instances in multiple zones, not a product of single-instance ones; a plan
    # cannot put several VMs in one zone (no zone field: generate places VM i in the region's zone i % 3).
    if spec.count >= 2:
        return SlaChoice("compute_engine_multi_zone",
                         f"{spec.count} VMs in multiple zones (generate places VM i in zone i % 3)")
    return SlaChoice("compute_engine_single_instance", "a single VM")
