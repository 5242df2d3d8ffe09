from archplan.check.sla import SlaChoice
from archplan.components.spanner import multi_region


def sla(spec) -> SlaChoice:
    if multi_region(spec.config):
        return SlaChoice("spanner_multi_region", f"Spanner multi-region instance ({spec.config})")
    return SlaChoice("spanner_regional", "Spanner regional instance")
