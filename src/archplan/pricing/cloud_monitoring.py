"""Cloud Monitoring: chargeable metric volume (tiered MiB) and read API calls."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = [charge(component, "cloud_monitoring", "metric_data", spec.metric_mib_per_month,
                      "Chargeable metric data")]
    if spec.api_read_calls_per_month:
        charges.append(charge(component, "cloud_monitoring", "api_read", spec.api_read_calls_per_month,
                              "Read API calls"))
    return charges
