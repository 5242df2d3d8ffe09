from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("pubsub", "Pub/Sub")
