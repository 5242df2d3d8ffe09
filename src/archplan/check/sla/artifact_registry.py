from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("artifact_registry", "Artifact Registry")
