from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if spec.count >= 2:
        return SlaChoice("compute_engine_multi_zone", f"{spec.count} VMs (assumed spread over zones)",
                         parallel=spec.count, single_fact="compute_engine_single_instance")
    return SlaChoice("compute_engine_single_instance", "a single VM")
