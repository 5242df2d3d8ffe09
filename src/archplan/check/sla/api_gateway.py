from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("api_gateway", "API Gateway")
