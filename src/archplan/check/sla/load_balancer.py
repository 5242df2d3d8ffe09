from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("load_balancer", "Cloud Load Balancing")
