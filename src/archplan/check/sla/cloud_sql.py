from archplan.check.sla import SlaChoice
from archplan.components.cloud_sql import parse_tier


def sla(spec) -> SlaChoice:
    if parse_tier(spec.tier).shared_core:
        return SlaChoice(None, f"Cloud SQL shared-core tier {spec.tier} (excluded from the SLA)")
    if not spec.ha:
        return SlaChoice("cloud_sql_zonal", "Cloud SQL single-zone instance (no HA)")
    if spec.edition == "enterprise_plus":
        return SlaChoice("cloud_sql_enterprise_plus", "Cloud SQL Enterprise Plus, HA")
    return SlaChoice("cloud_sql_enterprise_ha", "Cloud SQL Enterprise, HA (regional)")
