from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("cloud_functions", "Cloud Functions (2nd gen)")
