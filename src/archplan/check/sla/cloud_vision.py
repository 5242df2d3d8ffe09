from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("cloud_vision", "Cloud Vision API")
