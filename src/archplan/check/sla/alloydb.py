from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if not spec.ha:
        return SlaChoice("alloydb_basic", "AlloyDB basic (single-zone) primary instance")
    return SlaChoice("alloydb_ha", "AlloyDB primary instance with high availability")
