"""BigQuery: on-demand query bytes scanned, active and long-term logical storage."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    where = spec.location or component.region
    charges = [
        charge(component, "bigquery", "query_on_demand", spec.query_tib_per_month, "On-demand queries (scanned)",
               region=where),
        charge(component, "bigquery", "storage_active_logical", spec.active_storage_gb, "Active logical storage",
               region=where),
    ]
    if spec.long_term_storage_gb:
        charges.append(charge(component, "bigquery", "storage_long_term_logical", spec.long_term_storage_gb,
                              "Long-term logical storage", free_tier="storage_active_logical", region=where))
    return charges
