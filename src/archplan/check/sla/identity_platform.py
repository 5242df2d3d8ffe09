from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("identity_platform", "Identity Platform")
