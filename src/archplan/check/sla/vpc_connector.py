from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    # No SLA page for Serverless VPC Access was found; the instances are Compute Engine VMs in parallel.
    return SlaChoice("compute_engine_multi_zone", f"Serverless VPC Access, {spec.min_instances} instances",
                     parallel=spec.min_instances, single_fact="compute_engine_single_instance")
