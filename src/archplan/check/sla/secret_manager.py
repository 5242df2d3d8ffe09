from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("secret_manager", "Secret Manager")
