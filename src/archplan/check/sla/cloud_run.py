from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("cloud_run", "Cloud Run service (regional, multi-zone)")
